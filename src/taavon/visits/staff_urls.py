from django.urls import path  # noqa: F401

# the staff's pages, joined into the "visits" namespace by visits/urls.py (mounted at /visits/)
urlpatterns = []
