"""Who may take which step of the disclosure lifecycle — one place, used by services,
admin and views (built on ``portal.permissions.scope``)."""

from disclosures.models import Disclosure, Scope
from portal.permissions import can, departments_for, scope
from portal.roles import is_county_wide


def visible_to(user, queryset=None):
    """Disclosures (working copies included) that ``user`` may see in admin."""
    return scope(user, queryset if queryset is not None else Disclosure.objects.all(), "view")


def public_for(user, queryset=None):
    """Published disclosures ``user`` may read on the site: public ones for everyone,
    internal ones only for staff of that department and county-wide roles."""
    queryset = queryset if queryset is not None else Disclosure.objects.all()
    published = queryset.filter(current_revision__isnull=False)
    if not getattr(user, "is_authenticated", False):
        return published.filter(scope=Scope.PUBLIC)
    if is_county_wide(user):
        return published
    from django.db.models import Q

    return published.filter(Q(scope=Scope.PUBLIC) | Q(department__in=departments_for(user)))


def may(user, action: str, disclosure: Disclosure) -> bool:
    """``action`` is change, delete, review, publish or withdraw."""
    return can(user, action, disclosure)
