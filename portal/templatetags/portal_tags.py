"""Template helpers of the core."""

from django import template
from django.utils.translation import get_language

from portal.chinese import for_language

register = template.Library()


@register.filter
def localized(text, english=""):
    """Show Traditional-Chinese data in the reader's script: ``{{ obj.name|localized:obj.name_en }}``."""
    return for_language(str(text or ""), get_language(), english)
