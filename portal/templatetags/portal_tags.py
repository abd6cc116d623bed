"""Template helpers of the core."""

from django import template
from django.utils.translation import get_language

from portal.chinese import for_language

register = template.Library()


@register.filter
def localized(text, english=""):
    """Show Traditional-Chinese data in the reader's script: ``{{ obj.name|localized:obj.name_en }}``."""
    return for_language(str(text or ""), get_language(), english)


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


@register.filter
def lookup(mapping, key):
    """``mapping[key]``, or ``key`` itself where the mapping has none (a column's label)."""
    return (mapping or {}).get(key, key)
