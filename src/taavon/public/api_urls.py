"""The open data API, read-only, under /api/v1/ (public.api), with the existing statistics endpoint (reports.api),
the OpenAPI schema and its docs page."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from taavon.public import api
from taavon.reports.api import ProjectStatsView

urlpatterns = [
    path("", api.Root.as_view(), name="api-root"),
    path("cooperatives/", api.CooperativeList.as_view(), name="api-cooperatives"),
    path("cooperatives/<str:shenasnameh>/", api.CooperativeDetail.as_view(), name="api-cooperative"),
    path("projects/", api.ProjectList.as_view(), name="api-projects"),
    # the statistics answer with or without a closing slash (the other endpoints have one)
    re_path(r"^stats/projects/?$", ProjectStatsView.as_view(), name="api-stats-projects"),
    re_path(r"^stats/cooperatives/?$", api.CooperativeStats.as_view(), name="api-stats-cooperatives"),
    path("places/", api.Places.as_view(), name="api-places"),
    path("sectors/", api.Sectors.as_view(), name="api-sectors"),
    path("schema/", SpectacularAPIView.as_view(permission_classes=[]), name="api-schema"),
    path("docs/", api.api_docs, name="api-docs"),
]
