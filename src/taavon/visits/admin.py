"""Administrators configure the visits' list of purposes here; staff work on the real pages."""

from django.contrib import admin

from taavon.visits.models import Purpose


@admin.register(Purpose)
class PurposeAdmin(admin.ModelAdmin):
    list_display = ("name_fa", "name_en", "code", "order", "is_active")
    list_editable = ("order", "is_active")
