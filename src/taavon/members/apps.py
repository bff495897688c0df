from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "taavon.members"
    label = "members"
    verbose_name = "اعضا و ارکان"

    def ready(self):
        from taavon.members import contributions

        contributions.register()
