from django.urls import path  # noqa: F401

# the inspector's offline app, joined into the "visits" namespace by visits/urls.py (mounted at /visits/)
urlpatterns = []
