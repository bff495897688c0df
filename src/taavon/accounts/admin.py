from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from taavon.accounts.models import User


@admin.register(User)
class TaavonUserAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + (
        (
            _("Jurisdiction"),
            {"fields": ("role", "province", "county", "cooperative", "is_inspector", "language")},
        ),
    )
    add_fieldsets = UserAdmin.add_fieldsets + (
        (_("Jurisdiction"), {"fields": ("role", "province", "county", "cooperative", "is_inspector")}),
    )
    raw_id_fields = ("cooperative",)
    list_display = ("username", "get_full_name", "role", "province", "county", "is_inspector", "is_active")
    list_filter = ("role", "province", "is_inspector", "is_active")


def _admin_login(request, extra_context=None):
    """Django's admin signs in on the site's login page: one place for the lockout by (user, address), the known
    devices and the one-time code (a password alone must not open the admin to a user with a device)."""
    return redirect_to_login(request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index"), "accounts:login")


admin.site.login = _admin_login
