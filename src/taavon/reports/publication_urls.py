from django.urls import path

from taavon.reports import publication_views

app_name = "publications"
urlpatterns = [
    path("<str:token>/", publication_views.detail, name="detail"),
    path("<str:token>/changes/", publication_views.changes, name="changes"),
]
