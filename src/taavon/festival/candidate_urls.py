from django.urls import path

from taavon.festival import candidate_views as views

# an edition and its candidates (staff), stage 1, the criteria and weights; the representative's portal
urlpatterns = [
    path("", views.editions, name="editions"),
    path("portal/", views.portal, name="portal"),
    path("portal/<int:number>/apply/", views.portal_apply, name="portal_apply"),
    path("portal/<int:number>/", views.portal_sheet, name="portal_sheet"),
    path("<int:number>/", views.edition, name="edition"),
    path("<int:number>/candidates/", views.candidates, name="candidates"),
    path("<int:number>/candidates/<int:pk>/", views.candidate, name="candidate"),
    path("<int:number>/nominate/", views.nominate, name="nominate"),
    path("<int:number>/recheck/", views.recheck, name="recheck"),
    path("<int:number>/stage1/", views.stage1, name="stage1"),
    path("<int:number>/criteria/", views.criteria, name="criteria"),
    path("<int:number>/criteria/<slug:category>/", views.weights, name="weights"),
]
