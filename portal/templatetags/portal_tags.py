"""Template helpers of the core."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from portal import chinese
from portal.chinese import for_language

register = template.Library()


@register.filter
def localized(text, english=""):
    """Show Traditional-Chinese data in the reader's script: ``{{ obj.name|localized:obj.name_en }}``."""
    return for_language(str(text or ""), get_language(), english)


@register.filter
def localized_html(html):
    """Sanitized HTML (a notice's body) with its text in the reader's script, its markup
    and addresses as filed: ``{{ revision.body|localized_html }}``."""
    return mark_safe(chinese.html_for_language(str(html or ""), get_language()))


@register.filter
def localized_rows(rows):
    """A data table's cells in the reader's script (each cell escaped as usual)."""
    return chinese.rows_for_language(rows, get_language())


@register.inclusion_tag("portal/_original_text.html", takes_context=True)
def original_text_link(context, *texts, html=""):
    """The "原文" switch of a page whose content was converted to the reader's script:
    a link to the text as filed, and back. Shown only when the conversion changed something."""
    request = context["request"]
    showing = chinese.showing_original()
    query = request.GET.copy()
    if showing:
        query.pop(chinese.ORIGINAL_PARAMETER, None)
    else:
        query[chinese.ORIGINAL_PARAMETER] = "1"
    shown = showing or chinese.differs_for_language(get_language(), *[str(t or "") for t in texts], html=str(html or ""))
    return {
        "shown": shown,
        "showing_original": showing,
        "href": "?" + query.urlencode() if query else request.path,
    }


@register.simple_tag
def unread_notification_count(user) -> int:
    """The bell in the admin header: one COUNT query per admin page."""
    if not getattr(user, "is_authenticated", False):
        return 0
    from portal.models import Notification

    return Notification.objects.filter(recipient=user).unread().count()


@register.simple_tag
def workspace_tiles(user) -> list:
    """The staff home's tiles with their numbers and links (``portal.workspace``)."""
    from django.urls import reverse
    from django.utils.http import urlencode

    from portal import workspace

    if not getattr(user, "is_authenticated", False):
        return []
    shown = []
    for counted in workspace.counts(user):
        opts = counted.tile.model_class()._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist") + "?" + urlencode({"todo": counted.tile.key})
        shown.append({"tile": counted.tile, "count": counted.count, "url": url})
    return shown


@register.simple_tag
def unconfirmed_calendar_years(user) -> list[int]:
    """The years the staff home warns about: no official holiday schedule entered yet."""
    if not getattr(user, "is_authenticated", False):
        return []
    from django.utils import timezone

    from portal.calendar import unconfirmed_years

    return unconfirmed_years(timezone.localdate())


@register.filter
def lookup(mapping, key):
    """``mapping[key]``, or ``key`` itself where the mapping has none (a column's label)."""
    return (mapping or {}).get(key, key)
