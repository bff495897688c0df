from django.urls import path

from taavon.servicedesk import views

# the staff's desk, joined into the "servicedesk" namespace by servicedesk/urls.py (mounted at /servicedesk/)
urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.new, name="new"),
    path("cooperatives/search/", views.cooperative_search, name="cooperative_search"),
    path("r/<str:code>/", views.detail, name="detail"),
    path("r/<str:code>/reply/", views.reply, name="reply"),
    path("r/<str:code>/status/", views.status, name="status"),
    path("r/<str:code>/assign/", views.assign, name="assign"),
    path("r/<str:code>/transfer/", views.transfer, name="transfer"),
]
