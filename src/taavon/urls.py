from django.contrib import admin
from django.urls import include, path

from taavon.core.views import document
from taavon.public.views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("taavon.accounts.urls")),
    path("", include("taavon.members.urls")),
    path("cooperatives/", include("taavon.registry.urls")),
    path("projects/", include("taavon.projects.urls")),
    path("imports/", include("taavon.imports.urls")),
    path("triage/", include("taavon.triage.urls")),
    path("servicedesk/", include("taavon.servicedesk.urls")),
    path("visits/", include("taavon.visits.urls")),
    path("events/", include("taavon.events.urls")),
    path("festival/", include("taavon.festival.urls")),
    path("dashboard/", include("taavon.reports.urls")),
    # a published paragraph's permanent address (public), and what changed since
    path("published/", include("taavon.reports.publication_urls")),
    # the public site (register, profiles, statistics, map, verify, open data) and the staff's identity cards
    path("", include("taavon.public.urls")),
    path("api/v1/", include("taavon.public.api_urls")),
    # uploaded documents: through a view that checks the user's jurisdiction, never as a public path
    path("documents/<str:kind>/<int:pk>/", document, name="document"),
    path("admin/", admin.site.urls),
]
