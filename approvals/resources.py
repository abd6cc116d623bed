"""Import and export of approval items (with their materials and steps) and fee items, on the
hardened base in ``portal.resources`` (scope, row limit, one transaction, formulae).

Rows are saved through the services, so an imported item is established — or adjusted —
in the change log exactly as one entered in the admin: a new row is established on
``established_on`` (today if empty); a row that changes an item's name, basis, conditions
or limits (a fee's standard) needs ``change_reason`` (and ``change_document_number`` if
there is one) and is logged as an adjustment. docs/approvals.md describes the columns.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export.fields import Field
from import_export.widgets import DateWidget, Widget

from approvals import services
from approvals.models import ApprovalItem, ChangeKind, FeeChangeKind, FeeItem, Material, ProcedureStep, ServiceWindow
from portal.models import Department
from portal.resources import CodeWidget, ScopedCodeWidget, ScopedResource

SEPARATOR = "|"
_YES = {"yes", "y", "true", "1", "是", "必需", "必要", "required"}
_NO = {"no", "n", "false", "0", "否", "非必需", "optional", ""}


def _part(source, name):
    return source[name] if isinstance(source, dict) else getattr(source, name)


class LinesWidget(Widget):
    """Rows of a related list in one cell: one per line, parts separated by “|”. Renders
    model objects (export) and cleaned dicts (to compare an import with what is there)."""

    #: Names of the parts of a line, in order (set by subclasses).
    parts: tuple[str, ...] = ()

    def split(self, value) -> list[list[str]]:
        lines = [line.strip() for line in str(value or "").replace("\r\n", "\n").split("\n") if line.strip()]
        result = []
        for number, line in enumerate(lines, start=1):
            cells = [cell.strip() for cell in line.split(SEPARATOR)]
            if len(cells) > len(self.parts) or not cells[0]:
                raise ValueError(
                    _("Line %(line)d: “%(text)s” — write %(parts)s, separated by “|”.")
                    % {"line": number, "text": line, "parts": " | ".join(self.parts)}
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
    electronic; mandatory yes or no."""

    parts = ("name", "form", "copies", "mandatory")

    def clean(self, value, row=None, **kwargs):
        materials = []
        for position, (name, form, copies, mandatory) in enumerate(self.split(value), start=1):
            form = form or Material.Form.ORIGINAL
            if form not in Material.Form.values:
                raise ValueError(
                    _("Material “%(name)s”: form “%(form)s” is not one of %(known)s.")
                    % {"name": name, "form": form, "known": ", ".join(Material.Form.values)}
                )
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
        mandatory = "yes" if _part(source, "mandatory") else "no"
        return (_part(source, "name"), _part(source, "form"), _part(source, "copies"), mandatory)


class StepsWidget(LinesWidget):
    """``name | responsible | working days | description``, in order."""

    parts = ("name", "responsible", "working days", "description")

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
    department = _column("department", CodeWidget(Department))
    established_on = Field(column_name="established_on", readonly=True)
    change_reason = Field(column_name="change_reason", readonly=True)
    change_document_number = Field(column_name="change_document_number", readonly=True)

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
    window = _column("window", CodeWidget(ServiceWindow, "name"))
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
    approval_item = _column("approval_item", ScopedCodeWidget(ApprovalItem))

    class Meta:
        model = FeeItem
        fields = [
            "code", "name", "department", "approval_item", "status", "legal_basis", "standard_kind", "amount",
            "amount_min", "amount_max", "currency", "unit", "reductions", "established_on", "change_reason",
            "change_document_number",
        ]
        import_id_fields = ["code"]

    def filter_export(self, queryset, **kwargs):
        return super().filter_export(queryset, **kwargs).select_related("department", "approval_item")

