from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from taavon.accounts.models import User


@admin.register(User)
class TaavonUserAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + (
        ("حوزهٔ کاری", {"fields": ("role", "province", "county", "cooperative")}),
    )
    add_fieldsets = UserAdmin.add_fieldsets + (
        ("حوزهٔ کاری", {"fields": ("role", "province", "county", "cooperative")}),
    )
    raw_id_fields = ("cooperative",)
    list_display = ("username", "get_full_name", "role", "province", "county", "is_active")
    list_filter = ("role", "province", "is_active")
