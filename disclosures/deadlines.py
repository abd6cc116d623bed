"""The disclosures app's deadline kinds, registered with portal's engine."""

from django.utils.translation import gettext_lazy as _

from disclosures import compliance
from disclosures.models import CatalogueEntry
from portal.deadlines import DeadlineKind
from portal.reminders import staff_of
from portal.roles import Role


def _open_obligations():
    return CatalogueEntry.objects.active().filter(next_due_on__isnull=False).select_related("department")


def _recompute(calendar):
    return compliance.refresh(CatalogueEntry.objects.active(), calendar=calendar)


CATALOGUE_OBLIGATION = DeadlineKind(
    name="catalogue_obligation",
    label=_("catalogue obligation"),
    open_items=_open_obligations,
    responsible=lambda entry: staff_of(entry.department, Role.PUBLISHER),
    department=lambda entry: entry.department,
    describe=lambda entry: f"{entry.department.name} · {entry.title}",
    url=lambda entry: f"/admin/disclosures/catalogueentry/{entry.pk}/change/",
    due_field="next_due_on",
    recompute=_recompute,
)
