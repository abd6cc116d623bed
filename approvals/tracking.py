"""Tracking numbers and the applicant's progress lookup (DESIGN §3.4).

A tracking number is the date of receipt and eight characters drawn at random from an
alphabet without look-alikes (no 0/O, 1/I/L): ``20261009-K7Q2M9XD``, about 40 bits that
nobody can guess from another number. The lookup needs it and the last four digits of
the applicant's phone, and wrong guesses are throttled per client address and per
tracking number (a counter in the Django cache), so neither one address trying many
numbers nor many addresses trying one number's phone digits get far.
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
import secrets

from django.core.cache import cache

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RANDOM_LENGTH = 8
_FORMAT = re.compile(r"^(\d{8})-?([" + ALPHABET + r"]{" + str(RANDOM_LENGTH) + r"})$")

#: Wrong guesses allowed per window, per client address and per tracking number.
MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60


def new_tracking_number(received_on: dt.date) -> str:
    return f"{received_on:%Y%m%d}-" + "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))


def normalise(text: str) -> str | None:
    """The tracking number as stored, from what a person typed (spaces, lower case and a
    missing hyphen are forgiven); None if it cannot be one."""
    compact = re.sub(r"[\s\u3000]", "", text or "").upper().replace("－", "-")
    match = _FORMAT.match(compact)
    return f"{match.group(1)}-{match.group(2)}" if match else None


def phone_matches(phone: str, last_four: str) -> bool:
    digits = re.sub(r"\D", "", phone or "")
    given = re.sub(r"\D", "", last_four or "")
    return len(digits) >= 4 and len(given) == 4 and hmac.compare_digest(digits[-4:], given)


class Throttle:
    """Counts wrong guesses in the cache; blocks further lookups once a counter is full."""

    def __init__(self, client: str, number: str | None):
        self.keys = [f"approvals:track:ip:{client}"]
        if number:
            self.keys.append(f"approvals:track:number:{number}")

    def blocked(self) -> bool:
        return any((count or 0) >= MAX_FAILURES for count in cache.get_many(self.keys).values())

    def fail(self) -> None:
        for key in self.keys:
            cache.add(key, 0, WINDOW_SECONDS)  # starts the window on the first failure
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, WINDOW_SECONDS)


def client_address(request) -> str:
    # REMOTE_ADDR, not X-Forwarded-For: a client can write that header itself. Behind a
    # proxy, the proxy must set REMOTE_ADDR (gunicorn's --forwarded-allow-ips does).
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def find(application_queryset, number_text: str, last_four: str, *, client: str):
    """(application or None, blocked). Counts a failure for a wrong number or wrong digits."""
    number = normalise(number_text)
    throttle = Throttle(client, number)
    if throttle.blocked():
        return None, True
    application = None
    if number:
        application = application_queryset.filter(tracking_number=number).first()
    if application is None or not phone_matches(application.applicant_phone, last_four):
        throttle.fail()
        return None, False
    return application, False
