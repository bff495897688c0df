"""The open data API, read-only, under /api/v1/ (public.api), with the existing statistics endpoint (reports.api),
the OpenAPI schema and its docs page."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from taavon.reports.api import ProjectStatsView

urlpatterns = [
    path("stats/projects", ProjectStatsView.as_view(), name="api-stats-projects"),
    path("schema/", SpectacularAPIView.as_view(permission_classes=[]), name="api-schema"),
]
