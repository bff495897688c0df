from django.contrib import admin

from taavon.places.models import CountyAlias
from taavon.places.services import county_alias_add, county_alias_remove


@admin.register(CountyAlias)
class CountyAliasAdmin(admin.ModelAdmin):
    """Administrators teach imports and search the other names of counties (former names, capitals)."""

    list_display = ("name", "county", "province", "kind")
    list_filter = ("province", "kind")
    search_fields = ("name", "county__name_fa")
    fields = ("county", "name", "kind")

    def has_change_permission(self, request, obj=None):
        return False  # an alias is added or removed, not edited (its key must follow its name)

    def save_model(self, request, obj, form, change):
        created = county_alias_add(acting_user=request.user, county=obj.county, name=obj.name, kind=obj.kind)
        obj.pk = created.pk

    def delete_model(self, request, obj):
        county_alias_remove(acting_user=request.user, alias=obj)

    def delete_queryset(self, request, queryset):
        for alias in queryset:
            county_alias_remove(acting_user=request.user, alias=alias)
