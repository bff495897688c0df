from django.urls import path

from taavon.visits import field_views

# the inspector's offline app, joined into the "visits" namespace by visits/urls.py (mounted at /visits/)
urlpatterns = [
    path("field/", field_views.field_app, name="field"),
    path("field/data.json", field_views.field_data, name="field_data"),
    path("field/sync/", field_views.field_sync, name="field_sync"),
    path("field/manifest.webmanifest", field_views.field_manifest, name="field_manifest"),
    path("sw.js", field_views.field_sw, name="field_sw"),
]
