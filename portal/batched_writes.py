"""Writes batched for one large import (issue 15: 5,000 rows in a worker within a minute).

An import runs in one transaction that is rolled back whole when any row fails, and each
of its rows in a savepoint of its own (django-import-export). Within ``batched()`` — which
only ``portal.resources.ScopedResource`` enters, and only when the import uses transactions —
the code an import row runs through writes less:

* the savepoints nested inside a row's (the workflow step's, ``Disclosure.save``'s) are
  not taken (``savepoint()`` is False): an error in them rolls back to the row's savepoint,
  and the row's error rolls back the whole file anyway;
* the event of each step (``portal.events.record``) and the history record of each save
  (django-simple-history) are kept in memory and inserted together by ``flush()`` at the
  end of the file, in the same transaction — the same rows, two inserts instead of two per
  row. An event's ``created_at`` is then the time of that flush (the import's end, when it
  commits), not of its row.

Every other caller — a page, the admin form, the API, a command — takes its savepoints and
writes its event and history at once, as before. State is per thread: a worker's import
does not change what a web request does.
"""

from __future__ import annotations

import functools
import threading
from contextlib import contextmanager

from django.db.models.signals import post_save, pre_save
from django.utils import timezone

_local = threading.local()


class _Batch:
    def __init__(self):
        self.events = []  # unsaved portal.models.Event
        self.history = {}  # {historical model: [unsaved historical records]}


def _current() -> _Batch | None:
    return getattr(_local, "batch", None)


def savepoint() -> bool:
    """The ``savepoint`` argument of a ``transaction.atomic`` nested inside an import row."""
    return _current() is None


def defer_event(event) -> bool:
    """Keep ``event`` for ``flush()`` when a batch is open; False when the caller must save it."""
    batch = _current()
    if batch is None:
        return False
    batch.events.append(event)
    return True


@functools.cache
def _history_of(model):
    """The historical model of ``model`` (None without history), once per model: simple-history's
    descriptor builds a new manager class on every access (6 % of an import's time in py-spy)."""
    name = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, name).model if name else None


def _before_save(sender, instance, raw=False, **kwargs):
    if _current() is None:
        return
    historical = _history_of(sender)
    if historical is None or raw or hasattr(instance, "skip_history_when_saving"):
        return
    if getattr(historical, "_history_m2m_fields", None):
        return  # history with many-to-many records: written at once, as simple-history does
    instance.skip_history_when_saving = True  # simple-history's own switch
    instance._history_batched = True


def _after_save(sender, instance, created, raw=False, **kwargs):
    if not getattr(instance, "_history_batched", False):
        return
    del instance.skip_history_when_saving, instance._history_batched
    batch = _current()
    if batch is None:
        return
    # What simple-history's create_historical_record writes, built now (the values of this save).
    from simple_history.utils import get_change_reason_from_object

    historical = _history_of(sender)
    record = historical(
        history_date=getattr(instance, "_history_date", timezone.now()),
        history_type="+" if created else "~",
        history_user=historical.get_default_history_user(instance),
        history_change_reason=get_change_reason_from_object(instance),
        **{field.attname: getattr(instance, field.attname) for field in historical.tracked_fields},
    )
    if hasattr(historical, "history_relation"):
        record.history_relation_id = instance.pk
    batch.history.setdefault(historical, []).append(record)


@contextmanager
def batched():
    """Batch the writes of the import that runs inside (see the module's docstring); what
    was not flushed when it ends is dropped (its transaction is rolled back)."""
    if _current() is not None:
        yield
        return
    _local.batch = _Batch()
    try:
        yield
    finally:
        _local.batch = None


def connect() -> None:
    """Listen to every save (``AppConfig.ready()``); outside a batch a listener returns at once.
    Connected for good rather than per import, so that one thread's import ending never
    unhooks another's between the two signals of a save."""
    pre_save.connect(_before_save, dispatch_uid="batched-writes-pre")
    post_save.connect(_after_save, dispatch_uid="batched-writes-post")


def flush() -> None:
    """Insert the events and history records kept so far (in the import's transaction)."""
    batch = _current()
    if batch is None:
        return
    from portal.models import Event

    Event.objects.bulk_create(batch.events, batch_size=1000)
    for historical, records in batch.history.items():
        historical.objects.bulk_create(records, batch_size=1000)
    batch.events, batch.history = [], {}


def discard() -> None:
    """Forget what was kept: the rows it belongs to are being rolled back."""
    batch = _current()
    if batch is not None:
        batch.events, batch.history = [], {}
