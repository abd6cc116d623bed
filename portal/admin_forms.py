"""A form base for the admin's tabular inlines (issue 12, accessibility).

In a tabular inline Django writes each field's label once, in the column header, and
the inputs of the rows carry none — a screen reader announces "edit text" with no name
(axe-core: "label", critical). Each input here carries its field's label as its
accessible name (``aria-label``)."""

from django import forms


class LabelledInputsForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field.label:
                field.widget.attrs.setdefault("aria-label", str(field.label))
