from django.urls import path

from taavon.festival import jury_views

# the jurors' pages and the staff's page of an edition's jurors, joined into the "festival" namespace
urlpatterns = [
    path("jury/", jury_views.jury_home, name="jury"),
    path("jury/conflicts/", jury_views.jury_conflicts, name="jury_conflicts"),
    path("jury/<int:pk>/", jury_views.jury_candidate, name="jury_candidate"),
    path("<int:number>/jurors/", jury_views.jurors, name="jurors"),
    path("<int:number>/jurors/<int:pk>/remove/", jury_views.juror_remove, name="juror_remove"),
]
