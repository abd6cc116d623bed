"""The one hardened base for every app's import-export resources (STYLE, "Admin").

Each ``<app>/resources.py`` builds on ``ScopedResource``, and the admin offers ``FORMATS``
through ``portal.admin_scoping.ScopedImportExportAdmin``. On top of django-import-export:

* **Bounded reading** — an import file becomes rows only through
  ``portal.import_files.read_dataset``, which refuses a file larger than an import may be
  (bytes, rows, columns, what a workbook unpacks to) before it is read whole; a file of
  more than ``GONGKAI_IMPORT_MAX_ROWS`` rows is refused whole, before any row is imported.
* **All or nothing** — one transaction per import (``IMPORT_EXPORT_USE_TRANSACTIONS``),
  rolled back when any row is an error *or* invalid. The admin's first step is a dry run
  that shows each row's result; nothing is written until it is confirmed.
* **Scope** — a row only ever matches an object the user may change
  (``scope(user, qs, "change")``, under a row lock); a row whose department is not one the
  user acts for (``departments_for``) is invalid, naming that row and the department
  field; a new row needs the add permission. An export contains only
  ``scope(user, qs, "view")``.
* **Formulae** — on export a text cell that a spreadsheet would run (it starts with
  ``=``, ``+``, ``-``, ``@``, tab or CR) is, in CSV, prefixed with an apostrophe (an import
  removes that one apostrophe again) and, in XLSX, stored as text with the quote-prefix
  style (shown as typed, never run); export → import gives back exactly what was exported.
* **Excel reads it** — CSV exports start with a UTF-8 byte-order mark.
* **Chinese files** — every column has a label (the model field's verbose name, or
  ``labels``): a file written in Chinese has the labels as its headers, and an import takes
  a column by its code, or its label in English, Traditional or Simplified Chinese. A choice
  is taken by its code or its label (``ChoiceWidget``), a yes/no as 是/否 too
  (``YesNoWidget``), a department or category by its code or its name (``CodeWidget``).
  Each model has a downloadable template (``template``).
* Unchanged rows are skipped: re-importing an export writes nothing.
* **No server internals** — an error that is not a message for the user (a fault of
  ours) is logged with its traceback and shown as one plain line; no traceback is shown.
"""

import io
import logging
import re
import unicodedata
from contextlib import nullcontext
from types import SimpleNamespace

import tablib
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import connections
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from import_export import exceptions as import_export_errors
from import_export import resources, widgets
from import_export.formats import base_formats
from import_export.instance_loaders import ModelInstanceLoader
from import_export.results import Error

from portal import batched_writes
from portal.chinese import to_traditional
from portal.constraints import validate_constraints
from portal.import_files import read_dataset
from portal.permissions import departments_for, departments_remembered, has_model_permission, rules_for, scope
from portal.spreadsheets import escape_formula, unescape_formula

logger = logging.getLogger(__name__)


class _QuotesFormulae:
    """Used when ``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT`` is on. django-import-export's own
    escaping only drops one leading "=" (so "==1+1" still runs and +, -, @ pass) and turns
    every cell into text; this quotes instead and leaves numbers and dates native."""

    def _escape_formulae(self, dataset):
        for _row in range(dataset.height):
            dataset.append([escape_formula(cell) for cell in dataset.lpop()])


class _BoundedReading:
    """Whoever asks a format for a dataset gets it through ``portal.import_files``."""

    def create_dataset(self, in_stream):
        if isinstance(in_stream, str):
            in_stream = in_stream.encode("utf-8")
        return read_dataset(io.BytesIO(in_stream), self.get_extension())


class CSV(_BoundedReading, _QuotesFormulae, base_formats.CSV):
    def export_data(self, dataset, **kwargs):
        # With a byte-order mark, Excel reads the file as UTF-8 rather than the system's
        # code page (GBK on Chinese Windows), where every Chinese character became garbage.
        return "\ufeff" + super().export_data(dataset, **kwargs)


class XLSX(_BoundedReading, base_formats.XLSX):
    """Written cell by cell: a text cell a spreadsheet would run is stored as text with
    Excel's own "quote prefix" style, so it shows as typed (no apostrophe) and never runs;
    an import reads it back as the same text."""

    def export_data(self, dataset, **kwargs):
        from openpyxl import Workbook
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = (dataset.title or "Sheet1")[:31]
        for row_number, row in enumerate([dataset.headers or [], *dataset], start=1):
            for column, value in enumerate(row, start=1):
                if isinstance(value, str):
                    value = ILLEGAL_CHARACTERS_RE.sub("\N{REPLACEMENT CHARACTER}", value)
                cell = sheet.cell(row=row_number, column=column)
                cell.value = value
                if isinstance(value, str) and escape_formula(value) != value:
                    cell.data_type = "s"
                    cell.quotePrefix = True
        sheet.freeze_panes = "A2"
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()


#: The formats the admin offers for import and export.
FORMATS = [CSV, XLSX]


class ImportRefused(Exception):
    """The file as a whole cannot be imported (too many rows)."""


class ImportFault(Exception):
    """Stands, on the page, for an error of ours that is not a message for the user."""


#: Errors whose text is written for the person importing: widgets' and models' checks,
#: refusals, a key column missing from the file. Any other exception is a fault of ours,
#: whose text may hold SQL or paths.
_USER_MESSAGES = (
    ValueError, ValidationError, ImportRefused, ObjectDoesNotExist, PermissionDenied, import_export_errors.FieldError,
)


class _Error(Error):
    """An import error as the user sees it: a message, never a traceback (the template of
    django-import-export prints one under every error of the file as a whole)."""

    def __init__(self, error, row=None, number=None):
        if not isinstance(error, _USER_MESSAGES):
            logger.error("Import error at row %s", number, exc_info=error)
            error = ImportFault(
                _("An error on the server stopped this import; it has been recorded for the administrators. "
                  "Nothing was imported.")
            )
        super().__init__(error, row, number)

    traceback = ""


#: The languages a header or a choice may be written in.
FILE_LANGUAGES = ("en", "zh-hant", "zh-hans")


def in_chinese() -> bool:
    """Files are written in Chinese (labels) for a reader of Chinese, in codes otherwise."""
    return (translation.get_language() or "").startswith("zh")


def folded(text) -> str:
    """A header or a choice as typed, folded for matching: width, case, spaces and script
    (“行政许可”, “行政許可 ” and “行政許可” are one)."""
    text = unicodedata.normalize("NFKC", "" if text is None else str(text)).casefold()
    return to_traditional(re.sub(r"\s+", "", text))


def _labels_in_every_language(label) -> set[str]:
    labels = set()
    for language in FILE_LANGUAGES:
        with translation.override(language):
            labels.add(str(label))
    return labels


class ChoiceWidget(widgets.Widget):
    """A choice by its code or its label in English, Traditional or Simplified Chinese
    (“licensing”, “行政許可”, “行政许可”); written as its label in Chinese files, its code
    otherwise."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = [(str(value), label) for value, label in choices]

    @cached_property
    def _values(self) -> dict[str, str]:
        known = {}
        for value, label in self.choices:
            for name in {value} | _labels_in_every_language(label):
                known.setdefault(folded(name), value)
        return known

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return ""
        try:
            return self._values[folded(value)]
        except KeyError:
            raise ValueError(
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": value, "choices": "、".join(str(label) for _value, label in self.choices)}
            ) from None

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if in_chinese():
            for known, label in self.choices:
                if known == str(value):
                    return str(label)
        return str(value)


class YesNoWidget(widgets.BooleanWidget):
    """1/0, true/false, yes/no or 是/否 — anything else is an error, not a silent “no”;
    written as 是/否 in Chinese files, 1/0 otherwise."""

    YES = {"1", "true", "yes", "y", "是", "對", "对"}
    NO = {"0", "false", "no", "n", "否", "不"}

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)) and value in (0, 1):
            return bool(value)
        word = folded(value)
        if word in self.YES:
            return True
        if word in self.NO:
            return False
        raise ValueError(_("“%(value)s” is neither 是 (yes) nor 否 (no).") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        if not isinstance(value, bool):
            return ""
        if in_chinese():
            return "是" if value else "否"  # the same in both scripts
        return "1" if value else "0"


class CodeWidget(widgets.ForeignKeyWidget):
    """A related object by a natural key (``code`` unless told), or else by one of ``names``
    (a department by its code or its name, in either script), with an error naming the value."""

    def __init__(self, model, field="code", *, names=(), **kwargs):
        super().__init__(model, field, **kwargs)
        self.names = tuple(names)
        self._found = {}

    def cache_key(self, value, row) -> tuple:
        """What decides the object a value finds (a subclass adds what else of the row does)."""
        return (type(value), value)

    def clean(self, value, row=None, **kwargs):
        # A file names the same few objects on every row: each is looked up once per import
        # (``ScopedResource`` forgets them when it saves an object of the widget's model).
        key = self.cache_key(value, row)
        if key not in self._found:
            found = self._clean(value, row, **kwargs)
            if found is None:
                return None
            self._found[key] = found
        return self._found[key]

    def forget(self) -> None:
        self._found = {}

    def _clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            found = self._by_name(value, row, **kwargs)
            if found is not None:
                return found
            raise ValueError(_("No %(model)s with %(field)s “%(value)s”.") % self._names(value)) from None
        except self.model.MultipleObjectsReturned:
            raise ValueError(_("More than one %(model)s with %(field)s “%(value)s”.") % self._names(value)) from None

    def _by_name(self, value, row, **kwargs):
        if not self.names:
            return None
        text = str(value).strip()
        spellings = {text, to_traditional(text)}
        for name in self.names:
            found = list(self.get_queryset(value, row, **kwargs).filter(**{f"{name}__in": spellings})[:2])
            if len(found) > 1:
                raise self.model.MultipleObjectsReturned
            if found:
                return found[0]
        return None

    def _names(self, value) -> dict:
        fields = [str(self.model._meta.get_field(name).verbose_name) for name in (self.field, *self.names)]
        return {
            "model": self.model._meta.verbose_name,
            "field": fields[0] if len(fields) == 1 else _("%(first)s or %(second)s") % {
                "first": "、".join(fields[:-1]), "second": fields[-1]},
            "value": value,
        }


class ScopedCodeWidget(CodeWidget):
    """A ``CodeWidget`` that finds only what the importing user may view (``ScopedResource``
    gives it the user), so an import cannot probe another department's objects."""

    user = None
    _visible = None

    def bind(self, user):
        self.user, self._visible = user, None
        self.forget()

    def get_queryset(self, value, row, *args, **kwargs):
        if self._visible is None:  # built once per import, not per row
            self._visible = scope(self.user, super().get_queryset(value, row, *args, **kwargs), "view")
        return self._visible.all()


class LockingInstanceLoader(ModelInstanceLoader):
    """Rows are matched under a row lock where the database has one: a lifecycle step
    (submit, publish), which locks the same row, waits for the import, so an import never
    saves a stale copy over a change of state."""

    def get_queryset(self):
        return super().get_queryset().select_for_update()


class ScopedResource(resources.ModelResource):
    """Base of every app's resources. ``user`` is the person importing or exporting (the admin
    passes it); without one, nothing matches, nothing is exported and every row is refused."""

    class Meta:
        skip_unchanged = True  # re-importing an export writes nothing…
        report_skipped = True  # …and the dry run still lists every row
        clean_model_instances = True  # choices, lengths and constraints, as a form checks them
        instance_loader_class = LockingInstanceLoader

    # An empty cell of a text column is "", never NULL (the library only maps CharField so).
    WIDGETS_MAP = {**resources.ModelResource.WIDGETS_MAP, "TextField": widgets.CharWidget}

    #: Labels of the columns that are not model fields: ``{column: gettext_lazy(...)}``.
    labels: dict = {}
    #: The example row of the downloadable template: ``{column: value}``; a department
    #: column is filled with the user's first department.
    example: dict = {}
    #: Columns exported for reference and never imported: left out of the template.
    reference_only: tuple = ("status",)
    #: Unique fields the model's ``save`` fills in (an index number): not checked while empty.
    assigned_on_save: tuple = ()

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self._existing = set()
        for name, field in self.fields.items():
            if isinstance(field.widget, ScopedCodeWidget):
                field.widget.bind(user)
            model_field = self._model_field(name)
            if getattr(model_field, "choices", None) and type(field.widget) in (widgets.Widget, widgets.CharWidget):
                field.widget = ChoiceWidget(model_field.choices)
            elif type(field.widget) is widgets.BooleanWidget:
                field.widget = YesNoWidget()

    # --- columns --------------------------------------------------------------------------
    def _model_field(self, name):
        field = self.fields[name]
        try:
            return self._meta.model._meta.get_field(field.attribute or name)
        except FieldDoesNotExist:
            return None

    def label(self, name) -> str:
        """The column's label in the active language: ``labels``, else the field's verbose name."""
        if name in self.labels:
            return str(self.labels[name])
        model_field = self._model_field(name)
        return str(model_field.verbose_name) if model_field is not None else self.fields[name].column_name

    def header(self, name) -> str:
        """The column's header in a file written now: its label in Chinese, its code otherwise."""
        return self.label(name) if in_chinese() else self.fields[name].column_name

    def _name_of(self, field) -> str:
        return next(name for name, known in self.fields.items() if known is field)

    def column_aliases(self) -> dict[str, str]:
        """{folded header: column code} — a column by its code or its label in any language."""
        aliases = {}
        for name, field in self.fields.items():
            names = {field.column_name, name}
            for language in FILE_LANGUAGES:
                with translation.override(language):
                    names.add(self.label(name))
            for alias in names:
                aliases.setdefault(folded(alias), field.column_name)
        return aliases

    @classmethod
    def get_display_name(cls):
        return str(cls._meta.model._meta.verbose_name_plural)

    def get_user_visible_fields(self):
        """What the import and export pages list: the columns' headers (they read ``column_name``)."""
        return [SimpleNamespace(column_name=self.header(name)) for name in map(self._name_of, self.get_import_fields())]

    def get_export_headers(self, selected_fields=None):
        return [self.header(self._name_of(field)) for field in self.get_export_fields(selected_fields) if field]

    def get_diff_headers(self):
        return [self.header(self._name_of(field)) for field in self.get_import_fields()]

    def error_labels(self) -> dict[str, str]:
        """{name an error is filed under: the column's header} for the dry run's error list."""
        labels = {}
        for name, field in self.fields.items():
            labels[name] = labels[field.attribute or name] = labels[field.column_name] = self.header(name)
        return labels

    def template(self) -> tablib.Dataset:
        """The downloadable template: the headers of every column that is imported and one
        example row."""
        names = [name for name in map(self._name_of, self.get_import_fields()) if name not in self.reference_only]
        example = dict(self.example)
        department = departments_for(self.user).order_by("code").first() if self.user is not None else None
        if department is not None and "department" in names:
            example["department"] = department.code
        dataset = tablib.Dataset(headers=[self.header(name) for name in names])
        dataset.append([self._example_value(name, example.get(name, "")) for name in names])
        dataset.title = str(self._meta.model._meta.verbose_name_plural)
        return dataset

    def _example_value(self, name, value):
        widget = self.fields[name].widget
        if isinstance(widget, (ChoiceWidget, YesNoWidget)) and value != "":
            return widget.render(widget.clean(value))
        return str(value)

    def _columns_by_code(self, dataset) -> None:
        """The file's headers as the columns' codes; a file that names a column twice, or
        lacks a key column, is refused."""
        aliases = self.column_aliases()
        headers = [aliases.get(folded(header), header) if header is not None else header for header in dataset.headers or []]
        twice = sorted({header for header in headers if header is not None and headers.count(header) > 1})
        if twice:
            raise ImportRefused(
                _("More than one column of the file is “%(columns)s”; keep one of them.")
                % {"columns": "”, “".join(self.header(self._name_by_column(column)) for column in twice)}
            )
        missing = [name for name in self.get_import_id_fields() if self.fields[name].column_name not in headers]
        if missing:
            raise ImportRefused(
                _("The file has no column “%(columns)s”; the first row must name it (it may be empty for new rows).")
                % {"columns": "”, “".join(self.header(name) for name in missing)}
            )
        if headers:
            dataset.headers = headers

    def _name_by_column(self, column) -> str:
        return next(name for name, field in self.fields.items() if field.column_name == column)

    @classmethod
    def get_error_result_class(cls):
        return _Error

    @cached_property
    def department_ids(self) -> frozenset[int]:
        remembered = getattr(self.user, "_departments_remembered", None)
        return remembered if remembered is not None else frozenset(departments_for(self.user).values_list("pk", flat=True))

    # --- import -------------------------------------------------------------------------
    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None,
                    collect_failed_rows=False, rollback_on_validation_errors=True, **kwargs):
        # An invalid row rolls the whole file back, in the confirm step too (the library's
        # default keeps the valid rows there).
        limit = settings.GONGKAI_IMPORT_MAX_ROWS
        try:
            if len(dataset) > limit:
                raise ImportRefused(
                    _("The file has %(rows)d rows; at most %(limit)d can be imported at once. Split it into smaller files.")
                    % {"rows": len(dataset), "limit": limit}
                )
            self._columns_by_code(dataset)
        except ImportRefused as refusal:
            result = self.get_result_class()()
            result.total_rows = len(dataset)
            self.handle_import_error(result, refusal, raise_errors)
            return result
        remember = departments_remembered(self.user) if self.user is not None else nullcontext()
        # One transaction for the file, rolled back whole on any error: the savepoints inside
        # a row, the events and the history records need not be written row by row.
        in_one_transaction = (
            (use_transactions if use_transactions is not None else self.get_use_transactions()) or dry_run
        ) and connections[self.get_db_connection_name()].features.supports_transactions and not self._meta.use_bulk
        self._existing = set()  # (foreign key, value) found to exist during this import
        with remember, batched_writes.batched() if in_one_transaction else nullcontext():
            # every row's permission check asks which departments the user acts for
            return super().import_data(
                dataset,
                dry_run=dry_run,
                raise_errors=raise_errors,
                use_transactions=use_transactions,
                collect_failed_rows=collect_failed_rows,
                rollback_on_validation_errors=rollback_on_validation_errors,
                **kwargs,
            )

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if result.has_errors() or result.has_validation_errors():
            batched_writes.discard()  # the file is rolled back
        else:
            batched_writes.flush()

    @cached_property
    def _changeable(self):
        return scope(self.user, super().get_queryset(), "change")

    def get_queryset(self):
        """What a row may match: objects the user may change. Others look new, and fail as such."""
        return self._changeable.all()

    def before_import_row(self, row, **kwargs):
        progress = kwargs.get("progress")  # portal.import_jobs: a worker's import tells how far it is
        if progress is not None:
            progress(kwargs["row_number"])
        for column, value in row.items():
            row[column] = unescape_formula(value)

    def import_row(self, row, instance_loader, **kwargs):
        result = super().import_row(row, instance_loader, **kwargs)
        # A row may have changed an object of the model it imports, which a later row names
        # (a category's parent): those are looked up afresh.
        for field in self.fields.values():
            if isinstance(field.widget, CodeWidget) and issubclass(self._meta.model, field.widget.model):
                field.widget.forget()
        return result

    def get_instance(self, instance_loader, row):
        # A key column that does not resolve is an error of that column, not a crash of the row.
        errors, keys = {}, []
        for name in self.get_import_id_fields():
            field = self.fields[name]
            if field.column_name in row:
                try:
                    keys.append(field.clean(row))
                except ValueError as error:
                    errors[field.attribute] = ValidationError(str(error))
        if errors:
            raise ValidationError(errors)
        if not any(key not in (None, "") for key in keys):
            return None  # a row without a key is new
        return super().get_instance(instance_loader, row)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        opts = type(instance)._meta
        if instance._state.adding and not has_model_permission(self.user, type(instance), "add"):
            errors.setdefault(NON_FIELD_ERRORS, []).append(
                ValidationError(_("You may not add %(model)s.") % {"model": opts.verbose_name_plural})
            )
        if (
            rules_for(type(instance)).department == "department"
            and instance.department_id is not None
            and instance.department_id not in self.department_ids
            and "department" not in errors
        ):
            errors["department"] = [
                ValidationError(_("“%(code)s” is not one of your departments.") % {"code": instance.department.code})
            ]
        if self._meta.clean_model_instances:
            errors = self._full_clean(instance, errors, validate_unique)
        if errors:
            raise ValidationError(errors)

    def _full_clean(self, instance, errors: dict, validate_unique: bool) -> dict:
        """What the library does (``instance.full_clean``), with the same errors and fewer
        queries: the check constraints decided in Python where that gives the database's
        answer (``portal.constraints``); a foreign key's existence checked once per value
        per import (rows name the same few); a unique field that ``save`` fills in
        (``assigned_on_save``) not looked up while it is empty."""
        exclude = set(errors)
        foreign_keys = {field.name: getattr(instance, field.attname) for field in instance._meta.fields
                        if field.many_to_one and getattr(instance, field.attname) is not None}
        known = {name for name, value in foreign_keys.items() if (name, value) in self._existing}
        for check in (lambda: instance.clean_fields(exclude=exclude | known), instance.clean):
            try:
                check()
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        self._existing.update((name, value) for name, value in foreign_keys.items() if name not in errors)
        exclude.update(name for name in errors if name != NON_FIELD_ERRORS)  # as full_clean: fields that passed
        if validate_unique:
            empty = {name for name in self.assigned_on_save if getattr(instance, name) in ("", None)}
            try:
                instance.validate_unique(exclude=exclude | empty)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        try:
            validate_constraints(instance, exclude={name for name in errors if name != NON_FIELD_ERRORS})
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        return errors

    # --- export -------------------------------------------------------------------------
    def export(self, queryset=None, **kwargs):
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        return super().export(queryset, **kwargs)

    def filter_export(self, queryset, **kwargs):
        """Whatever queryset the caller passes, only what the user may view is exported."""
        return scope(self.user, queryset, "view")
