from django.urls import path

from taavon.visits import views

# the staff's pages, joined into the "visits" namespace by visits/urls.py (mounted at /visits/)
urlpatterns = [
    path("", views.plan, name="plan"),
    path("plan/", views.plan_new, name="plan_new"),
    path("v/<int:pk>/", views.visit, name="visit"),
    path("v/<int:pk>/replan/", views.visit_replan, name="visit_replan"),
    path("v/<int:pk>/cancel/", views.visit_cancel, name="visit_cancel"),
    path("v/<int:pk>/reviewed/", views.visit_reviewed, name="visit_reviewed"),
    path("v/<int:pk>/findings/", views.finding_add, name="finding_add"),
    path("f/<int:pk>/actions/", views.action_add, name="action_add"),
    path("f/<int:pk>/close/", views.finding_close, name="finding_close"),
    path("f/<int:pk>/reopen/", views.finding_reopen, name="finding_reopen"),
    path("a/<int:pk>/status/", views.action_status, name="action_status"),
    path("a/<int:pk>/request/", views.action_request, name="action_request"),
    path("findings/", views.findings, name="findings"),
    path("actions/", views.actions, name="actions"),
]
