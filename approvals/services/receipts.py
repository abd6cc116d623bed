"""The receipt handed over at the window (受理回執): the tracking number, and the secret that
rating the service (好差評) needs.

The tracking number and the applicant's phone are on every screen of the department that
handles the application, so they alone must not let anyone rate it: otherwise a department
could rate its own service "very satisfied". The secret is drawn when the application is
registered, shown once to the clerk to hand over (printed on the receipt) and stored hashed
(``portal.citizen_secrets``). Nobody can see it again; a supervisor can issue a new one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from approvals.events import ApplicationEvent
from approvals.models import Application
from approvals.services.applications import application_register
from approvals.workflows import APPLICATION
from portal import citizen_secrets
from portal.roles import Role, roles_of


@dataclass(frozen=True)
class Receipt:
    application: Application
    #: Shown once, to the clerk who hands it over; stored hashed.
    rating_secret: str


@sensitive_variables("secret")
def application_receive(*, actor, application: Application) -> Receipt:
    """Register an application received at the window (``application_register``) with the
    secret printed on its receipt. Every registration by staff goes through here; the
    registration event already names the clerk who saw the secret."""
    secret = citizen_secrets.new_secret()
    # Set before the registration saves, so the application is written once, with it.
    application.rating_secret_hash = citizen_secrets.hashed(secret)
    application = application_register(actor=actor, application=application)
    return Receipt(application, secret)


def may_reissue_rating_secret(user) -> bool:
    """Supervisors (and superusers): never the department whose service is rated."""
    return bool(getattr(user, "is_superuser", False)) or Role.SUPERVISOR in roles_of(user)


@sensitive_variables("secret")
def rating_secret_reissue(*, actor, application: Application, reason: str) -> str:
    """Issue a new rating secret, for an applicant who lost their receipt or whose application
    was registered before receipts carried one; the old secret stops working. Supervisors
    only, after checking who is asking; the reason is logged. Returned once, stored hashed."""
    if actor is None or not may_reissue_rating_secret(actor):
        raise PermissionDenied(_("Only supervisors issue a new rating secret."))
    reason = citizen_secrets.reissue_reason(reason)
    with transaction.atomic():
        # Not a step of the workflow: the application's state does not change.
        application = APPLICATION.lock(application)
        secret = citizen_secrets.reissue(application, field="rating_secret_hash", actor=actor,
                                         kind=ApplicationEvent.RATING_SECRET_REISSUED, reason=reason)
    return secret


@sensitive_variables("secret")
def rating_secret_check(application: Application, secret: str | None) -> None:
    """Refuse unless ``secret`` is the application's rating secret."""
    if not application.rating_secret_hash:
        raise PermissionDenied(_("This application was registered before receipts carried a rating secret. To rate "
                                 "it, ask the supervision office for one."))
    if not citizen_secrets.matches(secret, application.rating_secret_hash):
        raise PermissionDenied(_("The secret does not match. Type it as printed on your receipt."))
