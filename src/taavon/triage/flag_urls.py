from django.urls import path

from taavon.triage import views

# joined into the "triage" namespace by triage/urls.py, mounted at /triage/
urlpatterns = [
    path("", views.flagged_list, name="flagged"),
    path("export.<str:fmt>", views.flagged_export, name="flagged_export"),
    path("run/", views.run, name="run"),
    path("rules/", views.rules, name="rules"),
    path("health/", views.health_list, name="health"),
]
