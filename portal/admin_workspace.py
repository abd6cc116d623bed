"""The workspace in the admin: the change-list filter behind each home tile (``portal.workspace``)."""

from django.contrib import admin
from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import workspace
from portal.deadlines import due_display
from portal.models import Department
from portal.permissions import departments_for


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


class OwnDepartmentsFilter(admin.RelatedFieldListFilter):
    """A department filter offering only the departments the user acts for (all of them for
    county-wide roles), not every department of the county."""

    def field_choices(self, field, request, model_admin):
        return [(department.pk, str(department)) for department in departments_for(request.user).order_by("name")]


def _is_department(model, path: str) -> bool:
    try:
        field = get_fields_from_path(model, path)[-1]
    except (FieldDoesNotExist, NotRelationField):
        return False
    return getattr(field, "related_model", None) is Department


class TodoFilterMixin:
    """Adds ``TodoFilter`` to a model admin that has tiles, and offers only the user's own
    departments in its department filters."""

    def get_list_filter(self, request):
        filters = [
            (entry, OwnDepartmentsFilter) if isinstance(entry, str) and _is_department(self.model, entry) else entry
            for entry in super().get_list_filter(request)
        ]
        if workspace.tiles_for_model(request.user, self.model) and TodoFilter not in filters:
            filters.insert(0, TodoFilter)
        return filters


class DueColumnMixin:
    """The *due on* column of a model admin whose rows have a deadline: the date, marked
    provisional with its reason where it is (issue 16: wherever a due date appears)."""

    @admin.display(description=_("due on"), ordering="due_on")
    def due(self, obj):
        return due_display(obj.due_on, obj.due_provisional)
