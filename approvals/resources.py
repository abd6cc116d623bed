"""Import and export of approval items (with their materials and steps) and fee items, on the
hardened base in ``portal.resources`` (scope, row limit, one transaction, formulae).

Rows are saved through the services, so an imported item is established — or adjusted —
in the change log exactly as one entered in the admin: a new row is established on
``established_on`` (today if empty); a row that changes an item's name, basis, conditions
or limits (a fee's standard) needs ``change_reason`` (and ``change_document_number`` if
there is one) and is logged as an adjustment. docs/approvals.md describes the columns.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.fields import Field
from import_export.widgets import DateWidget, Widget

from approvals import services
from approvals.models import ApprovalItem, ChangeKind, FeeChangeKind, FeeItem, Material, ProcedureStep, ServiceWindow
from portal.models import Department
from portal.resources import ChoiceWidget, CodeWidget, ScopedCodeWidget, ScopedResource, folded, in_chinese

SEPARATOR = "|"
#: Materials in one line are also separated by “；” or “;” (as service guides list them).
LIST_SEPARATORS = re.compile(r"[；;]")
#: A numbering before a material: “1.”, “1、”, “（1）”, “①”.
NUMBERING = re.compile(r"^\s*(?:\d+\s*[.、．)）]|[（(]\d+[)）]|[\u2460-\u2473])\s*")
_YES = {"yes", "y", "true", "1", "是", "必需", "必要", "required", "必交", "必须", "必須"}
_NO = {"no", "n", "false", "0", "否", "非必需", "optional", "", "選交", "选交", "可選", "可选"}


def _part(source, name):
    return source[name] if isinstance(source, dict) else getattr(source, name)


class LinesWidget(Widget):
    """Rows of a related list in one cell: one per line, parts separated by “|”. Renders
    model objects (export) and cleaned dicts (to compare an import with what is there)."""

    #: Names of the parts of a line, in order, and the model whose fields they are (set by subclasses).
    parts: tuple[str, ...] = ()
    part_fields: tuple[str, ...] = ()
    part_model = None

    def part_labels(self) -> str:
        return " | ".join(str(self.part_model._meta.get_field(name).verbose_name) for name in self.part_fields)

    def split(self, value) -> list[list[str]]:
        lines = [line.strip() for line in str(value or "").replace("\r\n", "\n").split("\n") if line.strip()]
        result = []
        for number, line in enumerate(lines, start=1):
            cells = [cell.strip() for cell in line.split(SEPARATOR)]
            if len(cells) > len(self.parts) or not cells[0]:
                raise ValueError(
                    _("Line %(line)d: “%(text)s” — write %(parts)s, separated by “|”.")
                    % {"line": number, "text": line, "parts": self.part_labels()}
                )
            result.append(cells + [""] * (len(self.parts) - len(cells)))
        return result

    def cells(self, source) -> tuple:
        raise NotImplementedError

    def render(self, value, obj=None, **kwargs):
        # The dry run's diff reads the column without a dehydrate method: it shows nothing.
        lines = (f" {SEPARATOR} ".join(str(cell) for cell in self.cells(source)) for source in value or ())
        return "\n".join(line.rstrip(f" {SEPARATOR}") for line in lines)


class MaterialsWidget(LinesWidget):
    """``name | form | copies | mandatory`` — form one of original, copy, original_and_copy,
    electronic or their labels (原件, 複印件, 原件和複印件, 電子版); mandatory yes or no (是/否).
    Materials are one per line, or separated by “；” or “;”; a line of names separated by
    “|”, none of them a form, a number or a yes/no, lists several materials."""

    parts = ("name", "form", "copies", "mandatory")
    part_fields, part_model = parts, Material
    forms = ChoiceWidget(Material.Form.choices)

    def split(self, value) -> list[list[str]]:
        pieces = []
        for line in str(value or "").replace("\r\n", "\n").split("\n"):
            for piece in LIST_SEPARATORS.split(line):
                piece = NUMBERING.sub("", piece).strip()
                cells = [cell.strip() for cell in piece.split(SEPARATOR)]
                if len(cells) > 1 and not self._has_parts(cells):
                    pieces += [cell for cell in cells if cell]
                elif piece:
                    pieces.append(piece)
        return super().split("\n".join(pieces))

    def _has_parts(self, cells) -> bool:
        """``申請表 | 原件 | 1 | 是`` is one material; ``申請表 | 營業執照`` two."""
        return (
            cells[1] == "" or folded(cells[1]) in self.forms._values
            or any(cell.isdigit() or cell.lower() in _YES | _NO for cell in cells[2:])
        )

    def clean(self, value, row=None, **kwargs):
        materials = []
        for position, (name, form, copies, mandatory) in enumerate(self.split(value), start=1):
            try:
                form = self.forms.clean(form) or Material.Form.ORIGINAL
            except ValueError:
                raise ValueError(
                    _("Material “%(name)s”: form “%(form)s” is not one of %(known)s.")
                    % {"name": name, "form": form, "known": "、".join(str(label) for _value, label in self.forms.choices)}
                ) from None
            if copies and not (copies.isdigit() and int(copies) >= 1):
                raise ValueError(_("Material “%(name)s”: copies must be a whole number from 1.") % {"name": name})
            if mandatory.lower() not in _YES | _NO:
                raise ValueError(_("Material “%(name)s”: mandatory must be yes or no.") % {"name": name})
            materials.append({
                "position": position, "name": name, "form": form, "copies": int(copies or 1),
                "mandatory": mandatory.lower() in _YES or mandatory == "",
            })
        names = [material["name"] for material in materials]
        if len(set(names)) != len(names):
            raise ValueError(_("A material is listed twice."))
        return materials

    def cells(self, source):
        if in_chinese():
            mandatory = "是" if _part(source, "mandatory") else "否"
        else:
            mandatory = "yes" if _part(source, "mandatory") else "no"
        return (_part(source, "name"), self.forms.render(_part(source, "form")), _part(source, "copies"), mandatory)


class StepsWidget(LinesWidget):
    """``name | responsible | working days | description``, in order."""

    parts = ("name", "responsible", "working days", "description")
    part_fields, part_model = ("name", "responsible", "time_limit", "description"), ProcedureStep

    def clean(self, value, row=None, **kwargs):
        steps = []
        for position, (name, responsible, days, description) in enumerate(self.split(value), start=1):
            if days and not days.isdigit():
                raise ValueError(_("Step “%(name)s”: working days must be a whole number.") % {"name": name})
            steps.append({
                "position": position, "name": name, "responsible": responsible,
                "time_limit": int(days) if days else None, "description": description,
            })
        return steps

    def cells(self, source):
        days = _part(source, "time_limit")
        return (_part(source, "name"), _part(source, "responsible"), "" if days is None else days, _part(source, "description"))


def _column(name, widget):
    return Field(attribute=name, column_name=name, widget=widget)


class ChangeLogResource(ScopedResource):
    """Saving through the services; ``established_on`` on export, change columns on import."""

    establish_kind = ""
    #: The services (staticmethods) and their keyword for the object.
    establish = update = None
    keyword = ""
    status = Field(attribute="status", column_name="status", readonly=True)  # changes by its own steps only
    department = _column("department", CodeWidget(Department, names=("name",)))
    established_on = Field(column_name="established_on", readonly=True)
    change_reason = Field(column_name="change_reason", readonly=True)
    change_document_number = Field(column_name="change_document_number", readonly=True)

    labels = {
        "established_on": gettext_lazy("established on"),
        "change_reason": gettext_lazy("reason for the change"),
        "change_document_number": gettext_lazy("document number of the change"),
        "materials": gettext_lazy("required materials"),
        "steps": gettext_lazy("procedure steps"),
    }

    def dehydrate_established_on(self, obj):
        for change in obj.changes.all():
            if change.kind == self.establish_kind:
                return change.effective_on.isoformat()
        return ""

    def dehydrate_change_reason(self, obj):
        return ""

    def dehydrate_change_document_number(self, obj):
        return ""

    def _record(self, row, is_create) -> dict:
        record = {
            "document_number": (row.get("change_document_number") or "").strip(),
            "reason": (row.get("change_reason") or "").strip(),
        }
        if is_create:
            try:
                established = DateWidget().clean(row.get("established_on"))
            except ValueError as error:
                raise ValidationError({"established_on": str(error)}) from None
            record["effective_on"] = established or timezone.localdate()
        return record

    def filter_export(self, queryset, **kwargs):
        return super().filter_export(queryset, **kwargs).prefetch_related("changes")

    def save_instance(self, instance, is_create, row, **kwargs):
        step = self.establish if is_create else self.update
        step(actor=self.user, **{self.keyword: instance}, **self._record(row, is_create))


class ApprovalItemResource(ChangeLogResource):
    """Items with their materials and steps. ``code`` is the key; ``status`` is exported for
    reference and changes only by cancellation or delegation in the admin."""

    establish_kind = ChangeKind.ESTABLISH
    establish = staticmethod(services.approval_item_establish)
    update = staticmethod(services.approval_item_update)
    keyword = "item"
    window = _column("window", CodeWidget(ServiceWindow, "name", names=("name",)))
    materials = Field(column_name="materials", widget=MaterialsWidget(), readonly=True)
    steps = Field(column_name="steps", widget=StepsWidget(), readonly=True)

    class Meta:
        model = ApprovalItem
        fields = [
            "code", "name", "department", "kind", "status", "basis_law", "basis_article", "basis_document", "conditions",
            "statutory_limit", "promised_limit", "window", "location", "consultation_phone", "complaint_phone",
            "online_url", "materials", "steps", "established_on", "change_reason", "change_document_number",
        ]
        import_id_fields = ["code"]

    example = {
        "code": "000123001000", "name": "道路貨物運輸經營許可", "kind": "licensing",
        "basis_law": "《中華人民共和國道路運輸條例》", "basis_article": "第二十四條", "conditions": "有與其經營業務相適應並經檢測合格的車輛",
        "statutory_limit": 20, "promised_limit": 10, "consultation_phone": "0915-1234567",
        "materials": "道路貨物運輸經營申請表 | 原件 | 1 | 是\n營業執照 | 複印件 | 1 | 是\n車輛技術等級評定表 | 原件 | 1 | 否",
        "steps": "受理 | 窗口 | 1 | 查驗材料\n審查 | 運輸股 | 7\n決定 | 局長 | 2",
        "established_on": "2026-01-05",
    }

    def dehydrate_materials(self, obj):
        return self.fields["materials"].widget.render(obj.materials.all())

    def dehydrate_steps(self, obj):
        return self.fields["steps"].widget.render(obj.steps.all())

    def filter_export(self, queryset, **kwargs):
        return super().filter_export(queryset, **kwargs).select_related("department", "window").prefetch_related(
            "materials", "steps"
        )

    def import_instance(self, instance, row, **kwargs):
        # The lists are checked with the other columns, so a row reports all its errors at once.
        errors, self._lists = {}, {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name in ("materials", "steps"):
            if name in row:  # a column left out keeps what is there
                try:
                    self._lists[name] = self.fields[name].widget.clean(row[name])
                except ValueError as error:
                    errors[name] = [ValidationError(str(error))]
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if not super().skip_row(instance, original, row, import_validation_errors):
            return False
        # The fields are unchanged; the lists may not be.
        return all(
            self.fields[name].widget.render(cleaned) == getattr(self, f"dehydrate_{name}")(instance)
            for name, cleaned in self._lists.items()
        )

    def save_instance(self, instance, is_create, row, **kwargs):
        super().save_instance(instance, is_create, row, **kwargs)
        saved, deleted = [], []
        if "materials" in self._lists:
            _sync_materials(instance, self._lists["materials"], saved, deleted)
        if "steps" in self._lists:
            deleted += list(instance.steps.all())
            saved += [ProcedureStep(item=instance, **step) for step in self._lists["steps"]]
        if saved or deleted:
            services.approval_item_parts_save(actor=self.user, item=instance, saved=saved, deleted=deleted, source="import")


def _sync_materials(item: ApprovalItem, materials: list[dict], saved: list, deleted: list) -> None:
    """Materials matched by name keep their blank form; others are added or removed."""
    existing = {material.name: material for material in item.materials.all()}
    for values in materials:
        material = existing.pop(values["name"], None)
        if material is None:
            saved.append(Material(item=item, **values))
        elif any(getattr(material, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(material, key, value)
            saved.append(material)
    deleted += existing.values()


class FeeItemResource(ChangeLogResource):
    """Fee items; ``code`` is the key, ``approval_item`` an item code of your departments."""

    establish_kind = FeeChangeKind.ESTABLISH
    establish = staticmethod(services.fee_item_establish)
    update = staticmethod(services.fee_item_update)
    keyword = "fee"
    approval_item = _column("approval_item", ScopedCodeWidget(ApprovalItem, names=("name",)))

    class Meta:
        model = FeeItem
        fields = [
            "code", "name", "department", "approval_item", "status", "legal_basis", "standard_kind", "amount",
            "amount_min", "amount_max", "currency", "unit", "reductions", "established_on", "change_reason",
            "change_document_number",
        ]
        import_id_fields = ["code"]

    example = {
        "code": "F-000123", "name": "機動車號牌工本費", "legal_basis": "發改價格〔2017〕1186號", "standard_kind": "fixed",
        "amount": "100", "currency": "CNY", "unit": "副", "reductions": "不反光號牌80元",
        "established_on": "2026-01-05",
    }

    def filter_export(self, queryset, **kwargs):
        return super().filter_export(queryset, **kwargs).select_related("department", "approval_item")

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        _split_amount(row)


#: A fee standard as service guides write it: an amount, “元” or not, and a note in brackets
#: — “100（不反光號牌80）”.
AMOUNT_WITH_NOTE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*元?\s*(?:[（(]\s*(.+?)\s*[）)])?\s*$")


def _split_amount(row) -> None:
    """“100（不反光號牌80）” in ``amount``: 100 is the amount and the note joins ``reductions``."""
    amount = row.get("amount")
    match = AMOUNT_WITH_NOTE.match(str(amount)) if isinstance(amount, str) else None
    if match is None:
        return
    row["amount"], note = match[1], match[2]
    reductions = str(row.get("reductions") or "").strip()
    if note and note not in reductions:
        row["reductions"] = "；".join(part for part in (reductions, note) if part)

