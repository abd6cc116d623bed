"""Loading a county's standard-catalogue workbook into the catalogue, and writing it back.

``standard_catalogue_import`` reads the file (``disclosures.standard_layout``), matches each
row to a domain, the carriers ticked and a department, and — only if no row has a problem
and it is not a dry run — writes every entry in one transaction (all or nothing). An entry
is known by its domain and items (一級事項, 二級事項): re-importing the same workbook finds
every entry unchanged and writes nothing. ``standard_catalogue_export`` writes the same
layout back (docs/catalogue.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from disclosures import compliance, standard_layout, time_limits
from disclosures.events import DisclosureEvent
from disclosures.models import Carrier, CatalogueEntry, Domain
from disclosures.standard_layout import LayoutRow, Problem, normalise
from portal import events, page_cache
from portal.permissions import departments_for, has_model_permission, may_add_to

#: The fields an import writes (and compares, to find what changed).
FIELDS = (
    "department_id", "title", "item", "sub_item", "elements", "legal_basis", "time_limit", "time_limit_rule",
    "cadence", "days_allowed", "responsible_body", "channels", "audience_all", "audience_specific", "proactive",
    "on_request", "position",
)


@dataclass
class ImportReport:
    dry_run: bool
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def applied(self) -> bool:
        return not self.dry_run and not self.problems


def _key(name: str) -> str:
    """A name as matched: Traditional, without spaces, slashes or brackets ("發布會／聽證會")."""
    return normalise(name).replace("/", "").replace("(", "").replace(")", "")


def _lookup(objects) -> dict[str, object]:
    """Domains or carriers by their names and other names."""
    table = {}
    for obj in objects:
        for name in [obj.name, *(obj.aliases.split("、") if obj.aliases else [])]:
            table.setdefault(_key(name), obj)
    return table


def standard_catalogue_import(*, actor, fileobj, extension: str, department, name: str = "", dry_run: bool = True) -> ImportReport:
    """Check (``dry_run``) or import a standard-catalogue file. ``department`` is the one an
    entry gets when its 公開主體 names no department ``actor`` acts for."""
    if not (has_model_permission(actor, CatalogueEntry, "change") and may_add_to(actor, CatalogueEntry, department)):
        raise PermissionDenied(_("You may not import the standard catalogue."))
    report = ImportReport(dry_run=dry_run)
    reading = standard_layout.read(fileobj, extension, sheet_name=name)
    report.problems.extend(reading.problems)
    domains = _lookup(Domain.objects.all())
    carriers = _lookup(Carrier.objects.all())
    departments = {_key(d.name): d for d in departments_for(actor).only("pk", "name")}
    wanted: dict[tuple, dict] = {}
    positions: dict[int, int] = {}
    for row in reading.rows:
        domain = domains.get(_key(row.domain))
        if domain is None:
            report.problems.append(Problem(row.sheet, row.row, _("domain"), _("“%(domain)s” is not a domain of the "
                                           "standard catalogue.") % {"domain": row.domain}))
            continue
        unknown = [channel for channel in row.channels if _key(channel) not in carriers]
        if unknown:
            report.problems.append(Problem(row.sheet, row.row, standard_layout.COLUMN_LABELS["channels"],
                                           _("Unknown channels or carriers: %(names)s. Add them to the list of "
                                             "channels and carriers, or correct the file.") % {"names": "、".join(unknown)}))
            continue
        key = (domain.pk, row.item, row.sub_item)
        if key in wanted:
            report.problems.append(Problem(row.sheet, row.row, standard_layout.COLUMN_LABELS["sub_item"],
                                           _("The same items (%(item)s / %(sub_item)s) appear twice in %(domain)s.")
                                           % {"item": row.item, "sub_item": row.sub_item, "domain": domain.name}))
            continue
        positions[domain.pk] = positions.get(domain.pk, 0) + 1
        wanted[key] = _values(row, domain, departments.get(_key(row.responsible_body), department), carriers,
                              positions[domain.pk])
    existing = {
        (entry.domain_id, entry.item, entry.sub_item): entry
        for entry in CatalogueEntry.objects.filter(domain_id__in={key[0] for key in wanted})
    }
    new, changed = [], []
    for key, values in wanted.items():
        entry = existing.get(key)
        if entry is None:
            new.append(CatalogueEntry(domain_id=key[0], **values))
            report.created.append(values["title"])
        elif any(getattr(entry, name) != values[name] for name in FIELDS):
            for name in FIELDS:
                setattr(entry, name, values[name])
            changed.append(entry)
            report.updated.append(values["title"])
        else:
            report.unchanged += 1
    if dry_run or report.problems or not (new or changed):
        return report  # nothing to write: not even an event for a workbook imported again
    try:
        with transaction.atomic():
            _write(actor, new, changed, name)
    except IntegrityError:  # another import added the same items meanwhile: nothing of this one is kept
        report.problems.append(Problem(name, None, "", _("The catalogue was changed by another import at the same "
                                                         "time; nothing was imported. Check the file again.")))
        return report
    compliance.refresh(CatalogueEntry.objects.filter(pk__in=[entry.pk for entry in [*new, *changed]]))
    return report


def _write(actor, new: list[CatalogueEntry], changed: list[CatalogueEntry], name: str) -> None:
    bulk_create_with_history(new, CatalogueEntry, default_user=actor)
    bulk_update_with_history(changed, CatalogueEntry, list(FIELDS), default_user=actor)
    for domain in Domain.objects.filter(pk__in={entry.domain_id for entry in [*new, *changed]}):
        events.record(DisclosureEvent.CATALOGUE_IMPORTED, actor=actor, subject=domain, file=name[:200],
                      created=sum(1 for e in new if e.domain_id == domain.pk),
                      updated=sum(1 for e in changed if e.domain_id == domain.pk))
    page_cache.invalidate_on_commit()


def _values(row: LayoutRow, domain: Domain, department, carriers: dict, position: int) -> dict:
    limit = time_limits.parse(row.time_limit)
    return {
        "department_id": department.pk,
        "title": (row.sub_item or row.item)[:200],
        "item": row.item[:200],
        "sub_item": row.sub_item[:200],
        "elements": row.elements,
        "legal_basis": row.legal_basis,
        "time_limit": row.time_limit[:200],
        "time_limit_rule": limit.rule,
        "cadence": limit.cadence,
        "days_allowed": limit.days,
        "responsible_body": row.responsible_body[:200],
        "channels": list(dict.fromkeys(carriers[_key(channel)].code for channel in row.channels)),
        "audience_all": row.audience_all,
        "audience_specific": row.audience_specific,
        "proactive": row.proactive,
        "on_request": row.on_request,
        "position": position,
    }


def standard_catalogue_export(domains=None) -> bytes:
    """The standard catalogue (of ``domains``, default all with entries) as an XLSX workbook
    in the standard layout: what ``standard_catalogue_import`` reads back unchanged."""
    names = dict(Carrier.objects.values_list("code", "name"))
    entries = CatalogueEntry.objects.filter(domain__isnull=False).select_related("domain").order_by(
        "domain__position", "domain__code", "position", "pk"
    )
    if domains is not None:
        entries = entries.filter(domain__in=domains)
    grouped: dict[Domain, list[LayoutRow]] = {}
    for entry in entries:
        grouped.setdefault(entry.domain, []).append(LayoutRow(
            sheet="", row=0, domain=entry.domain.name, item=entry.item, sub_item=entry.sub_item,
            elements=entry.elements, legal_basis=entry.legal_basis, time_limit=entry.time_limit,
            responsible_body=entry.responsible_body, channels=[names.get(code, code) for code in entry.channels],
            audience_all=entry.audience_all, audience_specific=entry.audience_specific, proactive=entry.proactive,
            on_request=entry.on_request,
        ))
    return standard_layout.write([(domain.name, rows) for domain, rows in grouped.items()])
