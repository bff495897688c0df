"""The public site (no login) and the staff's identity cards. Views live in modules by owner:
views.py (home, register, profile, statistics), map_views.py (the counties' map), verify_views.py (the verify
pages), card_views.py (staff: a card's PDF, cards in batch), opendata_views.py (bulk downloads)."""

from django.urls import path

from taavon.public import card_views, map_views, opendata_views, verify_views, views

app_name = "public"
urlpatterns = [
    path("register/", views.register, name="register"),
    path("register/<str:shenasnameh>/", views.profile, name="profile"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/map/", map_views.county_map, name="map"),
    path("verify/", verify_views.verify_form, name="verify_form"),
    path("verify/<str:shenasnameh>/<str:token>/", verify_views.verify, name="verify"),
    path("opendata/", opendata_views.index, name="opendata"),
    path("opendata/<str:filename>", opendata_views.download, name="opendata_file"),
    path("cards/<str:shenasnameh>.pdf", card_views.card_pdf, name="card"),
    path("cards/batch/", card_views.batch, name="card_batch"),
    path("cards/batch/<str:job>/", card_views.batch_status, name="card_batch_status"),
    path("cards/batch/<str:job>/cards.pdf", card_views.batch_download, name="card_batch_download"),
]
