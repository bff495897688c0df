from django.urls import path

from taavon.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_create, name="create"),
    path("export.<str:fmt>", views.project_export, name="export"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/stage/", views.project_stage, name="stage"),
    path("<int:pk>/history/", views.project_history, name="history"),
    path("<int:pk>/facilities/new/", views.facility_add, name="facility_add"),
    path("<int:pk>/facilities/<int:facility_pk>/", views.facility_edit, name="facility_edit"),
]
