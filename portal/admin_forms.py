"""Accessible admin inputs (issue 12): a form base for the tabular inlines, and an
autocomplete that has a name before anything is chosen.


In a tabular inline Django writes each field's label once, in the column header, and
the inputs of the rows carry none — a screen reader announces "edit text" with no name
(axe-core: "label", critical). Each input here carries its field's label as its
accessible name (``aria-label``)."""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.utils.text import capfirst
from django.utils.translation import gettext


class LabelledInputsForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field.label:
                field.widget.attrs.setdefault("aria-label", str(field.label))


class _StoredFile:
    """A stored file as a file input shows it: its address, under the name it was uploaded with."""

    def __init__(self, file, name: str):
        self.url, self.name = file.url, name

    def __str__(self):
        return self.name


class NamedFileInput(forms.ClearableFileInput):
    """Django's file input, showing the current file by the name it was uploaded with (set
    ``shown_name``), not by its storage path (``approvals/forms/6de7…``)."""

    shown_name = ""

    def format_value(self, value):
        value = super().format_value(value)
        return _StoredFile(value, self.shown_name) if value and self.shown_name else value


class NamedAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete with a placeholder ("Search approval item", 搜索審批事項): Django blanks it,
    and select2's combobox, named by what it shows, then has no accessible name until
    something is chosen (axe-core: "aria-input-field-name", serious)."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs=extra_attrs)
        attrs["data-placeholder"] = gettext("Search %(field)s") % {"field": capfirst(self.field.verbose_name)}
        return attrs

    @property
    def media(self):
        # The placeholder names the combobox; this names select2's inner textbox too.
        # Listed after Django's own scripts so the merged media keeps it after them.
        return super().media + forms.Media(js=["admin/js/jquery.init.js", "admin/js/autocomplete.js", "js/autocomplete-names.js"])
