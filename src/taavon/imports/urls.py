from django.urls import path

from taavon.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.import_list, name="list"),
    path("template/<str:kind>.xlsx", views.import_template, name="template"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/progress/", views.import_progress, name="progress"),
    path("<int:pk>/mapping/", views.import_remap, name="remap"),
    path("<int:pk>/decide/", views.import_decide, name="decide"),
    path("<int:pk>/commit/", views.import_commit, name="commit"),
    path("<int:pk>/undo/", views.import_undo, name="undo"),
    path("<int:pk>/rejected.xlsx", views.import_rejected, name="rejected"),
]
