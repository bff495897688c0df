from django.urls import path

from taavon.triage import case_views as views

# joined into the "triage" namespace by triage/urls.py (mounted at /triage/)
urlpatterns = [
    path("cases/", views.case_list, name="cases"),
    path("cases/new/", views.case_open, name="case_open"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/step/", views.case_step, name="case_step"),
    path("cases/<int:pk>/decide/", views.case_decide, name="case_decide"),
    path("cases/<int:pk>/visit/", views.case_visit, name="case_visit"),
    path("cases/<int:pk>/assign/", views.case_assign, name="case_assign"),
    path("cases/<int:pk>/summons.pdf", views.case_summons, name="case_summons"),
]
