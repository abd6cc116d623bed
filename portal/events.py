"""The event log as a typed vocabulary (DESIGN §6): every state change writes one event
row — who, what, to which object, from which state to which, with a structured payload —
in the same transaction as the change, so history, feeds, notifications and the yearly
report read one record.

Each app declares its event kinds as one ``EventKind`` enumeration (``disclosures/events.py``
…) and registers it in ``AppConfig.ready()``; ``record`` accepts nothing else, so a verb
cannot be misspelt or invented on the spot. A kind's value is ``"<noun>.<verb>"``
(``"disclosure.submitted"``), unique across the project; its label is what staff read.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from portal import batched_writes
from portal.models import Event


class EventKind(models.TextChoices):
    """Base of each app's event kinds. Members: ``NAME = "noun.verb", _("label")``."""


_kinds: dict[str, EventKind] = {}


def register(kinds: type[EventKind]) -> None:
    """Make an app's event kinds known to the core (``AppConfig.ready()``)."""
    for kind in kinds:
        other = _kinds.get(kind.value)
        if other is not None and type(other) is not kinds:
            raise ValueError(f"event kind {kind.value!r} is declared twice ({type(other).__name__}, {kinds.__name__})")
        _kinds[kind.value] = kind


def kind_of(value: str) -> EventKind | None:
    """The registered kind of a stored event, or None for one no app declares any more."""
    return _kinds.get(value)


def kinds() -> list[EventKind]:
    return list(_kinds.values())


def label_of(value: str) -> str:
    kind = _kinds.get(value)
    return str(kind.label) if kind is not None else value


def _plain(value):
    """Payload values as JSON: states and other enums by value, dates as ISO text."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return value


def record(kind: EventKind, *, actor, subject: Model, from_state: str = "", to_state: str = "", **payload) -> Event:
    """Write one event. Call inside the transaction of the change it records.

    ``actor`` is None (or anonymous) for the citizen's own steps and for the system's.
    """
    if _kinds.get(getattr(kind, "value", None)) is not kind:
        raise ValueError(f"{kind!r} is not a registered event kind")
    event = Event(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind=kind.value,
        content_type=ContentType.objects.get_for_model(subject),
        object_id=str(subject.pk),
        from_state=_plain(from_state) or "",
        to_state=_plain(to_state) or "",
        data=_plain(payload),
    )
    if not batched_writes.defer_event(event):  # a large import writes its events together
        event.save(force_insert=True)
    return event


def state_label(model: type[Model] | None, value: str) -> str:
    """A recorded state by its label in the model's ``status`` choices (else as recorded)."""
    try:
        return str(dict(model._meta.get_field("status").flatchoices).get(value, value)) if model else value
    except FieldDoesNotExist:
        return value


def labelled(events, model: type[Model]) -> list[Event]:
    """``events`` of objects of ``model`` with their states' labels as ``from_label`` / ``to_label``."""
    try:
        labels = dict(model._meta.get_field("status").flatchoices)
    except FieldDoesNotExist:  # states are shown as recorded
        labels = {}
    rows = list(events)
    for event in rows:
        event.from_label = labels.get(event.from_state, event.from_state)
        event.to_label = labels.get(event.to_state, event.to_state)
        event.details = [_detail(model, key, value) for key, value in (event.data or {}).items()]
    return rows


#: Names of payload keys that are not fields of the subject's model.
DETAIL_LABELS = {
    "reason": _("reason"), "comment": _("comment"), "text": _("text"), "title": _("title"),
    "department": _("department"), "findings": _("findings"), "on_time": _("on time"), "scope": _("scope"),
    "date": _("date"), "working": _("working day"), "count": _("count"), "year": _("year"),
    "effective_on": _("effective on"), "document_number": _("document number"), "role": _("role"),
}


def _detail(model: type[Model], key: str, value) -> tuple[str, object]:
    """One payload entry in words: the field's name (or a known key's) and, for a field with
    choices, the choice's label rather than its stored code (issue 12: no raw codes)."""
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        return str(DETAIL_LABELS.get(key, key)), _detail_value(key, value)
    label = str(getattr(field, "verbose_name", key))
    choices = dict(field.flatchoices) if getattr(field, "choices", None) else {}
    return label, choices.get(value, _yes_no(value))


def _detail_value(key: str, value):
    if key == "role":  # a role granted or revoked: by its name
        from portal.roles import Role

        return Role(value).label if value in Role.values else value
    return _yes_no(value)


def _yes_no(value):
    return {True: _("yes"), False: _("no")}.get(value, value) if isinstance(value, bool) else value


def events_for(subject: Model):
    """Events of one object, newest first."""
    return Event.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=str(subject.pk)
    ).select_related("actor")


class CoreEvent(EventKind):
    """Events of the shared core."""

    STAFF_ATTACHED = "staff.attached", _("staff attached to a department")
    CALENDAR_CONFIRMED = "calendar.confirmed", _("official holiday schedule confirmed")
    # Subject: the CalendarDay (or, when removed, the year's CalendarYear is absent: the day as
    # payload); payload: ``date``, ``working``.
    CALENDAR_DAY_CHANGED = "calendar.day_changed", _("calendar override changed")
    # Subject: any item with a deadline; from/to: the old and the new due date; payload: ``reason``.
    DEADLINE_MOVED = "deadline.moved", _("due date moved by a calendar change")
    # Subject: the user; payload: ``role``. Written only by ``services.role_change_record``.
    ROLE_GRANTED = "role.granted", _("role granted")
    ROLE_REVOKED = "role.revoked", _("role revoked")


def rename_kinds(mapping: dict[tuple[str, str], dict[str, str]]):
    """A reversible data-migration operation renaming stored event kinds:
    ``{(app_label, model): {old: new}}``. Apps use it when their vocabulary changes."""
    from django.db import migrations

    def rename(apps, schema_editor, reverse=False):
        ContentTypes = apps.get_model("contenttypes", "ContentType")
        Events = apps.get_model("portal", "Event")
        for (app_label, model), names in mapping.items():
            content_type = ContentTypes.objects.filter(app_label=app_label, model=model).first()
            if content_type is None:
                continue
            for old, new in names.items():
                source, target = (new, old) if reverse else (old, new)
                Events.objects.filter(content_type=content_type, kind=source).update(kind=target)

    return migrations.RunPython(rename, lambda apps, schema_editor: rename(apps, schema_editor, reverse=True))
