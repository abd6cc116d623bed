"""The e-mails a requester gets, composed when they are sent (``portal.notify``): the address
is read from the requester's row then, and the e-mail says only that there is news — the
reply itself is read on the tracking page with the code and the secret."""

from __future__ import annotations

from django.utils.translation import gettext as _

from disclosures.models.requests import Requester
from portal.notify import Letter


def _letter(request_id: int, subject: str, body: str) -> Letter | None:
    record = Requester.objects.filter(request_id=request_id).select_related("request").first()
    if record is None or not record.email:
        return None
    return Letter([record.email], subject, body % {"code": record.request.tracking_code})


def request_replied(request_id: int) -> Letter | None:
    return _letter(request_id, _("Your request for information has been answered"),
                   _("There is a reply to your request %(code)s. Read it on the portal with your tracking code and "
                     "the secret you were given when you filed it."))


def request_extended(request_id: int) -> Letter | None:
    return _letter(request_id, _("The reply to your request for information is extended"),
                   _("The time to reply to your request %(code)s has been extended. The new date and the reason are "
                     "on the portal's tracking page."))
