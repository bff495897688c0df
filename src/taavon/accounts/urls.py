from django.contrib.auth import views as auth_views
from django.urls import path

from taavon.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.otp_verify, name="otp_verify"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-step/", views.otp_setup, name="otp_setup"),
    path("language/", views.set_language, name="language"),
]
