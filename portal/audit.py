"""Writing the event log (DESIGN §6): who did what to which object, from which state to which."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from portal.models import Event


def record_event(
    *, actor, subject: Model, verb: str, from_state: str = "", to_state: str = "", **data
) -> Event:
    """Write one event row. Call inside the service's transaction."""
    return Event.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        content_type=ContentType.objects.get_for_model(subject),
        object_id=str(subject.pk),
        from_state=from_state or "",
        to_state=to_state or "",
        data=data,
    )


def events_for(subject: Model):
    """Events of one object, newest first."""
    return Event.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=str(subject.pk)
    ).select_related("actor")
