from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from taavon.accounts.views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("taavon.accounts.urls")),
    path("", include("taavon.members.urls")),
    path("cooperatives/", include("taavon.registry.urls")),
    path("projects/", include("taavon.projects.urls")),
    path("imports/", include("taavon.imports.urls")),
    path("dashboard/", include("taavon.reports.urls")),
    path("api/v1/", include("taavon.reports.api_urls")),
    path("admin/", admin.site.urls),
]
urlpatterns += (
    [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})] if settings.DEBUG else []
)
