"""The workspace in the admin: the change-list filter behind each home tile (``portal.workspace``)."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import workspace


class TodoFilter(admin.SimpleListFilter):
    """"What waits for me": the rows of one tile of the home page, the same rows it counts."""

    title = _("waiting for me")
    parameter_name = "todo"

    def lookups(self, request, model_admin):
        return [(tile.key, tile.label) for tile in workspace.tiles_for_model(request.user, model_admin.model)]

    def queryset(self, request, queryset):
        tile = workspace.find(self.value()) if self.value() else None
        if tile is None or tile.model != queryset.model._meta.label or not tile.shown_to(request.user):
            return queryset
        return tile.rows(request.user, queryset, timezone.localdate())


class TodoFilterMixin:
    """Adds ``TodoFilter`` to a model admin that has tiles."""

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        if workspace.tiles_for_model(request.user, self.model) and TodoFilter not in filters:
            filters.insert(0, TodoFilter)
        return filters
