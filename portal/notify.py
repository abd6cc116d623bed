"""Telling people: an in-site notification and an e-mail, in the recipient's language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import translation

from portal.models import Notification


def language_of(user) -> str:
    profile = getattr(user, "staff_profile", None)
    return getattr(profile, "language", None) or settings.LANGUAGE_CODE


def notify(*, user, key: str, render, url: str = "") -> bool:
    """Notify ``user`` once per ``key``. ``render()`` returns (subject, body) and is called
    in the recipient's language. Returns False if this key was already delivered."""
    with translation.override(language_of(user)):
        subject, body = render()
    try:
        with transaction.atomic():
            Notification.objects.create(recipient=user, key=key, subject=subject[:200], body=body, url=url)
    except IntegrityError:
        return False
    if user.email:
        send_mail(subject, f"{body}\n\n{url}".strip(), settings.DEFAULT_FROM_EMAIL, [user.email])
    return True
