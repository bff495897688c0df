from django.urls import path

from taavon.reports import publication_views, views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("press/", views.press, name="press"),
    path("press/publish/", publication_views.publish, name="publish"),
]
