"""Import and export of categories, catalogue entries and disclosures (CSV and XLSX).

Natural keys throughout: a department and a category by their ``code``, a catalogue entry
by its title within the row's department, channels as a comma-separated list of channel
codes. An import only ever writes draft working copies; see ``DisclosureResource``.
The rules every resource shares (scope, row limit, one transaction, formulae) are in
``portal.resources``; docs/import-export.md describes the columns.
"""

import re

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from import_export.fields import Field
from import_export.widgets import Widget

from disclosures.models import Carrier, Category, CatalogueEntry, Channel, Disclosure, Status
from portal.chinese import to_traditional
from portal.models import Department
from portal.resources import ChoiceWidget, CodeWidget, ScopedCodeWidget, ScopedResource, in_chinese


class ChannelsWidget(Widget):
    """Channels by code or label, separated by commas ("website,notice_board", “網站、公告欄”);
    a Chinese comma or enumeration comma (，、) separates too. Written as labels in Chinese
    files, as codes otherwise."""

    separators = re.compile(r"[,，、;；\s]+")

    def __init__(self, known=lambda: Channel.choices, **kwargs):
        super().__init__(**kwargs)
        self.known = known  # (code, label) of what a row may name (a catalogue entry's: the editable carriers)
        self._widgets = {}

    def _choices(self) -> ChoiceWidget:
        # One widget per set of choices: its labels in every language are worked out once,
        # not on every row (2 % of a large import's time in py-spy).
        choices = tuple((str(code), label) for code, label in self.known())
        if choices not in self._widgets:
            self._widgets = {choices: ChoiceWidget(choices)}
        return self._widgets[choices]

    def clean(self, value, row=None, **kwargs):
        known = self._choices()
        codes, unknown = [], []
        for word in self.separators.split(str(value or "")):
            if word:
                try:
                    codes.append(known.clean(word))
                except ValueError:
                    unknown.append(word)
        if unknown:
            raise ValueError(
                _("Unknown channel code(s) %(unknown)s; use %(known)s.")
                % {"unknown": ", ".join(unknown),
                   "known": ", ".join(f"{code}（{label}）" for code, label in known.choices)}
            )
        return list(dict.fromkeys(codes))

    def render(self, value, obj=None, **kwargs):
        if not in_chinese():
            return ",".join(value or [])
        known = self._choices()
        return "、".join(known.render(code) for code in value or [])


class CatalogueEntryWidget(ScopedCodeWidget):
    """A catalogue entry by its title, among the entries of the row's department."""

    def __init__(self):
        super().__init__(CatalogueEntry, "title")

    def cache_key(self, value, row) -> tuple:
        return (*super().cache_key(value, row), str((row or {}).get("department") or "").strip())

    def get_queryset(self, value, row, *args, **kwargs):
        department = str((row or {}).get("department") or "").strip()
        return super().get_queryset(value, row, *args, **kwargs).filter(
            Q(department__code=department) | Q(department__name__in={department, to_traditional(department)})
        )


def _column(name, widget):
    return Field(attribute=name, column_name=name, widget=widget)


class CategoryResource(ScopedResource):
    """The catalogue tree. A parent must exist, or come earlier in the file, than its children."""

    parent = _column("parent", CodeWidget(Category, names=("name",)))

    class Meta:
        model = Category
        fields = ["code", "name", "name_en", "parent", "scope", "position", "description"]
        import_id_fields = ["code"]

    example = {"code": "budget-final", "name": "部門決算", "name_en": "Final accounts", "parent": "", "scope": "public",
               "position": 10, "description": "各部門年度決算及說明"}


class CatalogueEntryResource(ScopedResource):
    """Obligations, matched on (department, category, title) as the database keeps them unique:
    a changed title in the file is a new entry."""

    department = _column("department", CodeWidget(Department, names=("name",)))
    category = _column("category", CodeWidget(Category, names=("name",)))
    channels = _column("channels", ChannelsWidget(known=lambda: Carrier.objects.values_list("code", "name")))

    class Meta:
        model = CatalogueEntry
        fields = [
            "department", "category", "title", "legal_basis", "scope", "channels", "cadence", "days_allowed", "active",
        ]
        import_id_fields = ["department", "category", "title"]

    example = {"category": "budget", "title": "部門預算", "legal_basis": "《政府信息公開條例》第二十條", "scope": "public",
               "channels": "website,notice_board", "cadence": "yearly", "days_allowed": 20, "active": "1"}


class DisclosureResource(ScopedResource):
    """Working copies. A row without an index number adds a draft; a row with one updates that
    disclosure, only while it is a draft. ``index_number`` and ``status`` are exported for
    reference and never written; nor are the published revision or the withdrawal."""

    index_number = Field(attribute="index_number", column_name="index_number", readonly=True)
    status = Field(attribute="status", column_name="status", readonly=True)
    department = _column("department", CodeWidget(Department, names=("name",)))
    category = _column("category", CodeWidget(Category, names=("name",)))
    catalogue_entry = _column("catalogue_entry", CatalogueEntryWidget())
    channels = _column("channels", ChannelsWidget())

    class Meta:
        model = Disclosure
        fields = [
            "index_number", "status", "department", "category", "catalogue_entry", "title", "summary", "body",
            "document_number", "formed_on", "valid_until", "scope", "channels",
        ]
        import_id_fields = ["index_number"]

    assigned_on_save = ("index_number",)  # drawn when the draft is saved (disclosures.numbering)

    example = {"category": "budget", "title": "2026年部門預算", "summary": "收支總表及說明",
               "body": "<p>2026年收入預算1200萬元。</p>", "document_number": "漢財發〔2026〕3號", "formed_on": "2026-03-02",
               "scope": "public", "channels": "website,notice_board"}

    IMPORTED_FIELDS = (
        "department", "category", "catalogue_entry", "title", "summary", "body", "document_number", "formed_on",
        "valid_until", "scope", "channels",
    )

    def after_init_instance(self, instance, new, row, **kwargs):
        number = row.get("index_number")
        if new and number:
            raise ValidationError(
                {"index_number": _("No disclosure with index number “%(number)s” that you may change.") % {"number": number}}
            )

    def skip_row(self, instance, original, row, import_validation_errors=None):
        skip = super().skip_row(instance, original, row, import_validation_errors)
        # An identical row is skipped, so a whole export can be imported again; a row that
        # would change a disclosure that is not a draft is refused.
        if not skip and instance.pk is not None and instance.status != Status.DRAFT:
            if instance.status == Status.PUBLISHED:
                message = _("published — amend it instead")
            else:
                message = _("%(status)s — only a draft can be changed by import") % {
                    "status": instance.get_status_display()
                }
            raise ValidationError({"status": message})
        return skip

    def do_instance_save(self, instance, is_create):
        # Through the service, as every write: the draft's event says it came from an import.
        from disclosures.services import disclosure_save

        disclosure_save(actor=self.user, disclosure=instance, fields=self.IMPORTED_FIELDS, source="import")
