from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "taavon.accounts"
    label = "accounts"
    verbose_name = "حساب‌ها"
