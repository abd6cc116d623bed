"""Slowing down login guessing with django-axes (settings: ``AXES_*``, README "Configuration").

Failures are counted per pair of account and client address (``portal.throttle.client_address``,
so behind a trusted proxy the citizen's or clerk's own address). At the limit the pair is
locked out for the cool-off time and this module's page answers, status 429. Superusers see
attempts, failures and logins in the admin and unlock a pair by deleting its access attempt.
"""

from __future__ import annotations

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.contrib import admin
from django.shortcuts import render
from django.utils.translation import gettext_noop

#: django-axes ships no Chinese catalogue. Its strings that staff see in the admin (models,
#: fields, filters, actions) are listed here so that ``makemessages`` keeps them in ours,
#: where they are translated like our own; gettext finds them in any catalogue.
AXES_MESSAGES = (
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("Access Attempt"),
    gettext_noop("Access lock out"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Attempt Time"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Expires At"),
    gettext_noop("Failed Logins"),
    gettext_noop("Form Data"),
    gettext_noop("GET Data"),
    gettext_noop("HTTP Accept"),
    gettext_noop("IP Address"),
    gettext_noop("Locked Out"),
    gettext_noop("Logout Time"),
    gettext_noop("Meta Data"),
    gettext_noop("Not set"),
    gettext_noop("Path"),
    gettext_noop("POST Data"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("User Agent"),
    gettext_noop("Username"),
    gettext_noop("Account locked: too many login attempts. Please try again later."),
    gettext_noop("Account locked: too many login attempts. Contact an admin to unlock your account."),
)


def login_locked_out(request, original_response=None, credentials=None):
    """The page a locked-out login gets (``AXES_LOCKOUT_CALLABLE``): in the admin's frame,
    saying how long the pause lasts and who can lift it; never naming the account."""
    cool_off = get_cool_off(request)
    context = {
        **admin.site.each_context(request),
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else 0,
    }
    return render(request, "admin/login_locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


def attempted_username(request, credentials=None) -> str | None:
    """The username an attempt is counted under, cut to the longest an account can have: a
    12,000-character name typed into the login form would otherwise fail the attempt's own
    row (a 500 found by tests/trust/test_hostile_input.py). No account has a longer name,
    so cutting changes no real account's count."""
    from django.contrib.auth import get_user_model

    source = credentials if credentials else getattr(request, "data", request.POST)
    name = source.get(settings.AXES_USERNAME_FORM_FIELD, None)
    if name is None:
        return None
    return str(name)[: get_user_model()._meta.get_field("username").max_length]
