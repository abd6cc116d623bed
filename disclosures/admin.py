from django.contrib import admin

from disclosures.models import Category
from portal.admin_scoping import ScopedAdmin


@admin.register(Category)
class CategoryAdmin(ScopedAdmin):
    list_display = ["name", "code", "name_en", "parent", "scope", "position"]
    list_filter = ["scope", "parent"]
    search_fields = ["name", "name_en", "code"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    list_editable = ["position"]
