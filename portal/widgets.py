"""Form widgets of the public pages."""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


def _attributes(attrs: dict):
    """As Django's ``attrs.html``: in their order, ``True`` bare, ``False`` left out."""
    return format_html_join(
        "", " {}{}", ((name, "" if value is True else format_html('="{}"', value)) for name, value in attrs.items()
                      if value is not False),
    )


class QuickSelect(forms.Select):
    """A ``<select>`` written in Python, the same markup as Django's ``Select``: Django
    renders every ``<option>`` through two templates, which made a public filter form
    with the county's 50 departments half the time of its page (issue 15)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            rendered = format_html_join(
                "", '<option value="{}"{}>{}</option>',
                ((option["value"], _attributes(option["attrs"]), option["label"]) for option in options),
            )
            groups.append(format_html('<optgroup label="{}">{}</optgroup>', group_name, rendered) if group_name else rendered)
        return format_html('<select name="{}"{}>{}</select>', widget["name"], _attributes(widget["attrs"]), mark_safe("".join(groups)))
