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
