from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "taavon.places"
    label = "places"
    verbose_name = "مکان‌ها"
