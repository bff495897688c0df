from django.urls import path

from taavon.festival import result_views

# the results, their publication and the appeals (staff), and the representative's appeal (portal), joined into the
# "festival" namespace
urlpatterns = [
    path("<int:number>/results/", result_views.results_page, name="results"),
    path("<int:number>/results/publish/", result_views.results_publish, name="results_publish"),
    path("<int:number>/appeals/", result_views.appeals_page, name="appeals"),
    path("<int:number>/appeals/new/", result_views.appeal_new, name="appeal_new"),
    path("appeals/<int:pk>/decide/", result_views.appeal_decide, name="appeal_decide"),
    path("portal/<int:number>/appeal/", result_views.portal_appeal, name="portal_appeal"),
]
