"""Change history in words (issue 12: no raw codes on staff pages): simple-history's list of
what changed shows yes/no for a box, a choice's label for its code, and "—" for an empty
value — not "True → False", "received" or "Deleted 部門 (pk=None)"."""

from __future__ import annotations

from django.utils.translation import gettext as _
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

EMPTY = "—"


class ReadableChanges(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if value is None or value == "" or (isinstance(value, DeletedObject) and value.pk is None):
            return EMPTY
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if getattr(field, "choices", None) and not isinstance(value, (list, dict)):
            return dict(field.flatchoices).get(value, value)
        return super().prepare_delta_change_value(change, value)
