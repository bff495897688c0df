from django.urls import path

from taavon.events import views

app_name = "events"
# Cooperative Week (mounted at /events/): the programme of a Jalali year, an event, the exhibition
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>/", views.programme, name="programme"),
    path("<int:year>/new/", views.event_new, name="event_new"),
    path("<int:year>/exhibition/", views.exhibition, name="exhibition"),
    path("<int:year>/exhibition/booths/", views.booth_add, name="booth_add"),
    path("<int:year>/exhibition/visitors/", views.visitors, name="visitors"),
    path("e/<int:pk>/", views.event, name="event"),
    path("e/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("e/<int:pk>/delete/", views.event_delete, name="event_delete"),
    path("e/<int:pk>/projects/", views.event_projects, name="event_projects"),
    path("booths/<int:pk>/remove/", views.booth_remove, name="booth_remove"),
]
