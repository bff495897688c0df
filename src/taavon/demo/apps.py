from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data set: above every app (it loads each app's part through that app's services)."""

    name = "taavon.demo"
    label = "demo"
    verbose_name = "دادهٔ نمایشی"
