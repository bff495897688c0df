from django.urls import path

from taavon.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("press/", views.press, name="press"),
]
