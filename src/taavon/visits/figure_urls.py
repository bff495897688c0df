from django.urls import path

from taavon.visits import figure_views

# the visits' figures, joined into the "visits" namespace by visits/urls.py (mounted at /visits/)
urlpatterns = [
    path("figures/", figure_views.figures, name="figures"),
]
