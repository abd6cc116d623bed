"""Secrets handed to citizens: what proves that the person acting on a complaint or an
application is the one who filed it, and not the staff member who can read its code.

A secret is twelve characters from Crockford's base32 alphabet without 0 and 1 (Crockford
already leaves out I, L, O and U), so nothing on the slip can be misread: 0/O, 1/l/I never
occur. It is shown in groups, ``K7Q2-M9XD-4HTW``: 30^12 ≈ 2^59 possibilities, far beyond
online guessing behind the lookup throttles. Case, spaces, hyphens and full-width forms are
forgiven on input. Only a hash is stored (Django's password hashers); the text exists in
the response that shows it once and nowhere else.

Showing it once without storing it: the request that makes the secret puts it in a signed,
HttpOnly, SameSite=Strict cookie limited to the one page that shows it and to ten minutes,
and redirects there; that page reads it and deletes the cookie. The secret thus never rests
in the database, the session or the cache, a reload does not file twice, and a second
visit finds nothing.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import unicodedata

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.contrib.auth.hashers import check_password, make_password
from django.core import signing
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from portal import events

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS = 3
GROUP_LENGTH = 4
LENGTH = GROUPS * GROUP_LENGTH

#: How long the one-time hand-over cookie lives: enough for a slow connection, no more.
HANDOVER_SECONDS = 600

# What people type between groups, on paper-to-keyboard copying and from Chinese IMEs.
_SEPARATORS = str.maketrans("", "", " -_.\u2010\u2011\u2012\u2013\u2014\u2212\u3000\uff0d")


@sensitive_variables("raw")
def new_secret() -> str:
    """A fresh secret, grouped for reading: ``XXXX-XXXX-XXXX``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return grouped(raw)


def grouped(compact: str) -> str:
    return "-".join(compact[i : i + GROUP_LENGTH] for i in range(0, len(compact), GROUP_LENGTH))


@sensitive_variables("text", "compact")
def normalise(text: str | None) -> str | None:
    """The secret as issued (grouped) from what a person typed, or None if it cannot be one."""
    compact = unicodedata.normalize("NFKC", text or "")[:64].upper().translate(_SEPARATORS)
    if len(compact) != LENGTH or any(ch not in ALPHABET for ch in compact):
        return None
    return grouped(compact)


@sensitive_variables("secret")
def hashed(secret: str) -> str:
    """The stored form of a secret (of its normalised text)."""
    canonical = normalise(secret)
    if canonical is None:
        raise ValueError("not a secret of this alphabet")
    return make_password(canonical)


@sensitive_variables("typed", "candidates")
def matches(typed: str | None, stored_hash: str) -> bool:
    """True if ``typed`` is the secret behind ``stored_hash``.

    Anonymous complaints filed before this alphabet got ``token_urlsafe`` secrets, which are
    case-sensitive: what was typed is tried as it stands as well, so they keep working."""
    if not typed or not stored_hash:
        return False
    typed = typed[:64]
    candidates = dict.fromkeys(c for c in (normalise(typed), typed.strip()) if c)
    return any(check_password(candidate, stored_hash) for candidate in candidates)


#: A tracking code: 13 random bytes in base32, the first 20 characters (100 bits) —
#: unguessable and in no sequence, so the code alone says nothing and reaches nothing.
CODE_BYTES = 13
CODE_LENGTH = 20


def new_tracking_code() -> str:
    """A tracking code for a citizen's filing (complaint, information request)."""
    return base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode("ascii").rstrip("=")[:CODE_LENGTH]


def normalise_code(code: str) -> str:
    """Codes are read off paper: ignore case, spaces and hyphens."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[:32]


class SecretInput(forms.PasswordInput):
    """Where a citizen types a secret. It never renders a value, so a page sent back after
    an error (or after success) cannot carry the secret."""

    def __init__(self, attrs=None):
        defaults = {"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        super().__init__(attrs={**defaults, **(attrs or {})}, render_value=False)


def reissue_reason(reason: str) -> str:
    """The reason a new secret is issued, which is logged; refused when empty."""
    if not (reason or "").strip():
        raise ValidationError(_("Say why a new secret is issued; it is logged."))
    return reason.strip()[:200]


@sensitive_variables("secret")
def reissue(obj, *, field: str, actor, kind: events.EventKind, reason: str) -> str:
    """Replace the secret of ``obj`` (locked by the caller's service, in its transaction):
    the old one stops working, the hash of a new one goes into ``field``, and the event
    ``kind`` records who and why — never the secret, which is returned once."""
    secret = new_secret()
    setattr(obj, field, hashed(secret))
    obj.save(update_fields=[field, "updated_at"])
    events.record(kind, actor=actor, subject=obj, reason=reason)
    return secret


# --- shown once ------------------------------------------------------------------------


def _salt(name: str) -> str:
    return f"gongkai.handover.{name}"


@sensitive_variables("payload")
def hand_over(response: HttpResponse, *, name: str, path: str, payload: dict) -> HttpResponse:
    """Carry ``payload`` (holding a secret) to the page at ``path``, once (see the module)."""
    response.set_signed_cookie(
        name, json.dumps(payload), salt=_salt(name), max_age=HANDOVER_SECONDS, path=path,
        secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Strict",
    )
    return response


def take(request, *, name: str) -> dict | None:
    """What ``hand_over`` carried here, or None (never handed over, expired or tampered)."""
    try:
        value = json.loads(request.get_signed_cookie(name, salt=_salt(name), max_age=HANDOVER_SECONDS))
    except (KeyError, signing.BadSignature, ValueError):
        return None
    return value if isinstance(value, dict) else None


def forget(response: HttpResponse, *, name: str, path: str) -> HttpResponse:
    """Delete the hand-over cookie: the page that showed the secret was its only reader."""
    response.delete_cookie(name, path=path, samesite="Strict")
    return response


@sensitive_variables("secret", "handed")
def slip_page(request, *, cookie: str, pk: int, reissue, page) -> HttpResponse:
    """An admin page for one object's secret. GET: ``page(handed)`` with what ``hand_over``
    carried for this object (the slip, shown once) or None. POST: ``reissue(reason)`` draws
    a new secret (the service checks who may) and hands it over to this same page."""
    if request.method == "POST":
        try:
            secret = reissue(request.POST.get("reason", ""))
        except ValidationError as invalid:
            messages.error(request, "; ".join(invalid.messages))
            return redirect(request.path)
        return hand_over(redirect(request.path), name=cookie, path=request.path, payload={"pk": pk, "secret": secret})
    handed = take(request, name=cookie)
    if handed is not None and handed.get("pk") != pk:
        handed = None
    response = page(handed)
    return forget(response, name=cookie, path=request.path) if handed else response


#: A tracking code as ``normalise_code`` leaves it: CODE_LENGTH characters of the base-32 alphabet.
CODE_PATTERN = re.compile(rf"[A-Z2-7]{{{CODE_LENGTH}}}")


@sensitive_variables("secret")
def slip_text(request, *, heading: str, track_url: str, filename_prefix: str, keep_private: str,
              refused_template: str) -> HttpResponse:
    """"Save as text" on a page that shows a tracking code and its secret (complaints,
    information requests): that page's form posts back the code and secret it shows, and
    they come back as a file. Nothing is looked up or stored, so this is no oracle for
    guessing secrets; what is not a code and a secret of our alphabet is refused rather than
    written into a file."""
    code = normalise_code(request.POST.get("code", ""))
    secret = normalise(request.POST.get("secret", ""))
    if not CODE_PATTERN.fullmatch(code) or secret is None:
        return render(request, refused_template, status=400)
    return text_file(filename=f"{filename_prefix}-{code[:8]}.txt", lines=[
        heading,
        "",
        _("Tracking code: %(code)s") % {"code": code},
        _("Secret: %(secret)s") % {"secret": secret},
        "",
        _("Track it at %(url)s") % {"url": request.build_absolute_uri(track_url)},
        keep_private,
    ])


def text_file(*, filename: str, lines: list[str]) -> HttpResponse:
    """A small plain-text download, never cached, never sniffed as anything else."""
    response = HttpResponse("\r\n".join(lines) + "\r\n", content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
