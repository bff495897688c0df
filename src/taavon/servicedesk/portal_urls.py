from django.urls import path

from taavon.servicedesk import portal_views

urlpatterns = [
    path("portal/", portal_views.portal_list, name="portal_list"),
    path("portal/new/", portal_views.portal_new, name="portal_new"),
    path("portal/<str:code>/", portal_views.portal_detail, name="portal_detail"),
    path("portal/<str:code>/rate/", portal_views.portal_rate, name="portal_rate"),
    path("track/", portal_views.lookup, name="lookup"),
    path("stats/", portal_views.stats, name="stats"),
]
