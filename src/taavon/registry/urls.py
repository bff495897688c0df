from django.urls import path

from taavon.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.cooperative_list, name="list"),
    path("new/", views.cooperative_create, name="create"),
    path("export.<str:fmt>", views.cooperative_export, name="export"),
    path("<str:shenasnameh>/", views.cooperative_detail, name="detail"),
    path("<str:shenasnameh>/edit/", views.cooperative_edit, name="edit"),
    path("<str:shenasnameh>/status/", views.cooperative_change_status, name="status"),
    path("<str:shenasnameh>/print/", views.cooperative_print, name="print"),
    path("<str:shenasnameh>/history/", views.cooperative_history, name="history"),
]
