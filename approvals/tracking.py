"""Tracking numbers and the applicant's progress lookup (DESIGN §3.4).

A tracking number is the date of receipt and eight characters drawn at random from an
alphabet without look-alikes (no 0/O, 1/I/L): ``20261009-K7Q2M9XD``, about 40 bits that
nobody can guess from another number. The lookup needs it and the last four digits of
the applicant's phone (rating needs the receipt's secret as well), and wrong guesses are
throttled per client address and per
tracking number (counters of ``portal.throttle``), so neither one address trying many
numbers nor many addresses trying one number's phone digits get far.
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
import secrets

from portal import throttle

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


def _counters(client: str, number: str | None) -> list[tuple[str, str]]:
    """The counters a lookup touches: its client address, and the tracking number tried."""
    counters = [("approvals-track-ip", client)]
    if number:
        counters.append(("approvals-track-number", number))
    return counters


def find(application_queryset, number_text: str, last_four: str, *, client: str):
    """(application or None, blocked). Counts a failure for a wrong number or wrong digits."""
    number = normalise(number_text)
    counters = _counters(client, number)
    if any(throttle.peek(scope, who) >= MAX_FAILURES for scope, who in counters):
        return None, True
    application = None
    if number:
        application = application_queryset.filter(tracking_number=number).first()
    if application is None or not phone_matches(application.applicant_phone, last_four):
        count_failure(client=client, number=number)
        return None, False
    return application, False


def count_failure(*, client: str, number: str | None) -> None:
    """One wrong guess — of the number, the phone digits or the rating secret — against the
    client's address and the number tried."""
    for scope, who in _counters(client, number):
        throttle.count(scope, who, WINDOW_SECONDS)
