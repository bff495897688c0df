"""Administrators configure the lists here (sectors, activities, types); staff work on the real pages."""

from django.contrib import admin

from taavon.registry.models import Activity, CooperativeType, Sector


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ("name_fa", "name_en", "code", "order", "is_active")
    list_editable = ("order", "is_active")


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("name_fa", "sector", "code", "is_active")
    list_filter = ("sector",)


@admin.register(CooperativeType)
class CooperativeTypeAdmin(admin.ModelAdmin):
    list_display = ("name_fa", "name_en", "code", "is_active")
