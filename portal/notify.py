"""Telling people: an in-site notification and an e-mail, in the recipient's language.

E-mail never undoes an action. No step sends mail itself: it records an
``OutgoingEmail`` in its own transaction (``email_on_commit``), and once that commits one
Celery task, ``portal.send_email``, composes and sends it, retrying with back-off while the
mail server fails. A mail server that is down can neither roll a reply back nor turn its
page into a 500, and a batch of admin actions goes on past it; what finally fails stays
visible in the admin.

What to say comes from a composer that an app registers under a name
(``register_email``) and that is called with the object's id when the e-mail is sent: the
address is looked up then, never stored with the e-mail or put in the broker.

The one gap no database closes: a worker that dies after the mail server accepted a
message and before it recorded so (a few milliseconds: ``email_send``) sends that e-mail
again once the e-mail's lease expires.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import random
import smtplib
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from portal.models import Notification, OutgoingEmail

#: A pending e-mail this long past its due attempt is handed to the workers again.
REQUEUE_AFTER = dt.timedelta(minutes=5)
#: What the task retries on: the mail server refused for now, or could not be reached.
MAIL_SERVER_ERRORS = (smtplib.SMTPException, OSError)


@dataclass(frozen=True)
class Letter:
    to: list[str]
    subject: str
    body: str


_composers: dict[str, Callable[[int], Letter | None]] = {}
_labels: dict[str, str] = {}


def register_email(kind: str, compose: Callable[[int], Letter | None], *, label: str) -> None:
    """Register what an e-mail of ``kind`` says: ``compose(object_id)`` returns a
    ``Letter``, or None when there is nobody to write to any more. It is called in the
    language recorded with the e-mail. ``label`` names the kind to staff (the outbox)."""
    _composers[kind] = compose
    _labels[kind] = label


def email_kinds() -> list[tuple[str, str]]:
    """(kind, label) of every registered e-mail."""
    return list(_labels.items())


def email_label(kind: str) -> str:
    """An e-mail kind in words; a kind no app registers any more as recorded."""
    return str(_labels.get(kind, kind))


_quiet = contextvars.ContextVar("gongkai_quiet_email", default=False)


@contextmanager
def without_email():
    """Notify in the site only, writing no e-mail (loading the demo county sends none)."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def email_on_commit(*, kind: str, object_id: int) -> OutgoingEmail | None:
    """Record an e-mail in the current transaction and queue its sending after commit.
    The language active now is the one it will be written in. None inside ``without_email``."""
    if kind not in _composers:
        raise ValueError(f"no e-mail composer registered as {kind!r}")
    if _quiet.get():
        return None
    email = OutgoingEmail.objects.create(kind=kind, object_id=object_id, language=translation.get_language() or "")
    transaction.on_commit(lambda: _enqueue([email.pk]))
    return email


def _enqueue(email_ids: list[int]) -> None:
    from portal.tasks import enqueue_emails  # the tasks import this module

    enqueue_emails(email_ids)


def language_of(user) -> str:
    profile = getattr(user, "staff_profile", None)
    return getattr(profile, "language", None) or settings.LANGUAGE_CODE


def absolute(url: str) -> str:
    """``url`` as a link that works outside the site: a path gets ``SITE_URL`` in front."""
    return settings.SITE_URL.rstrip("/") + url if url.startswith("/") else url


def notify(*, user, key: str, render, url: str = "") -> bool:
    """Notify ``user`` once per ``key``, in the site and, if they have an address, by
    e-mail. ``render()`` returns (subject, body) and is called in the recipient's
    language. Returns False if this key was already delivered."""
    with translation.override(language_of(user)):
        subject, body = render()
    try:
        with transaction.atomic():
            notification = Notification.objects.create(recipient=user, key=key, subject=subject[:200], body=body, url=url)
            if user.email:
                email_on_commit(kind="notification", object_id=notification.pk)
    except IntegrityError:
        return False
    return True


def _notification_letter(notification_id: int) -> Letter | None:
    notification = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if notification is None or not notification.recipient.email:
        return None
    body = f"{notification.body}\n\n{absolute(notification.url)}".strip()
    return Letter([notification.recipient.email], notification.subject, body)


register_email("notification", _notification_letter, label=_("notification"))


#: How long an e-mail handed to the mail server may stay "sending" before it is taken for
#: interrupted (the worker died) and sent again: longer than the task's time limit.
SENDING_LEASE = dt.timedelta(seconds=180)


def email_send(email_id: int) -> bool:
    """Send one recorded e-mail, once. Returns True if it was sent now. A mail-server
    error propagates (the task retries), leaving the e-mail pending.

    The attempt is recorded (state *sending*) and committed before the mail server is
    spoken to, and the e-mail is marked sent right after it accepted the message. A worker
    killed in between leaves it *sending*; after ``SENDING_LEASE`` the sweep hands it to
    a worker again, which sends it again — the one duplicate SMTP allows (the server's
    acceptance and our record of it cannot be one transaction). The fixed Message-ID lets
    receiving servers and mail clients recognise that duplicate."""
    now = timezone.now()
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or not (
            email.state == OutgoingEmail.State.PENDING
            or (email.state == OutgoingEmail.State.SENDING and email.next_attempt_at <= now)
        ):
            return False
        with translation.override(email.language or settings.LANGUAGE_CODE):
            letter = _composers[email.kind](email.object_id)
        email.last_error = ""
        if letter is None:
            email.state, email.attempts = OutgoingEmail.State.DROPPED, email.attempts + 1
        else:
            email.state, email.next_attempt_at = OutgoingEmail.State.SENDING, now + SENDING_LEASE
        email.save(update_fields=["state", "attempts", "last_error", "next_attempt_at"])
    if letter is None:
        return False
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    try:
        EmailMessage(letter.subject, letter.body, settings.DEFAULT_FROM_EMAIL, letter.to,
                     headers={"Message-ID": f"<outgoing-{email.pk}@{domain}>"}).send()
    except BaseException:
        OutgoingEmail.objects.filter(pk=email_id, state=OutgoingEmail.State.SENDING).update(
            state=OutgoingEmail.State.PENDING, next_attempt_at=timezone.now())
        raise
    OutgoingEmail.objects.filter(pk=email_id, state=OutgoingEmail.State.SENDING).update(
        state=OutgoingEmail.State.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1)
    return True


def retry_delay(retries: int) -> float:
    """Seconds before the next attempt: doubling from ``GONGKAI_EMAIL_RETRY_DELAY`` up to
    an hour, spread a little so that e-mails failed together do not return together."""
    delay = settings.GONGKAI_EMAIL_RETRY_DELAY * 2**retries * random.uniform(0.8, 1.2)  # nosec B311 - not a secret
    return min(delay, 3600)


def email_postpone(email_id: int, error: BaseException, delay: float) -> None:
    """Record a failed attempt and when the next one is due."""
    OutgoingEmail.objects.filter(pk=email_id, state=OutgoingEmail.State.PENDING).update(
        attempts=F("attempts") + 1,
        last_error=describe(error),
        next_attempt_at=timezone.now() + dt.timedelta(seconds=delay),
    )


def email_fail(email_id: int, error: BaseException) -> None:
    """After the last retry: keep the e-mail visible in admin as failed."""
    OutgoingEmail.objects.filter(pk=email_id).exclude(state=OutgoingEmail.State.SENT).update(
        state=OutgoingEmail.State.FAILED, last_error=describe(error)
    )


def describe(error: BaseException) -> str:
    """The error's type and the mail server's reply code — not its text, which can name
    the recipient's address."""
    code = getattr(error, "smtp_code", None)
    return f"{type(error).__name__} {code}" if code else type(error).__name__


def lost_emails(now: dt.datetime | None = None) -> list[int]:
    """Ids of pending e-mails whose task is overdue by ``REQUEUE_AFTER``: the broker was
    down when they were queued, or lost them. Sending twice is harmless (``email_send``
    locks and sends once)."""
    before = (now or timezone.now()) - REQUEUE_AFTER
    return list(OutgoingEmail.objects.lost(before=before).order_by("pk").values_list("pk", flat=True))
