"""The e-mails the supervision mailbox sends, composed when they are sent (``portal.notify``):
the complainant's address is read from the sealed identity then, and copied nowhere."""

from __future__ import annotations

from django.utils.translation import gettext as _

from portal.notify import Letter
from supervision.models import ReporterIdentity


def complaint_replied(complaint_id: int) -> Letter | None:
    """To a complainant who gave an address: a reply is waiting (not the reply itself)."""
    record = ReporterIdentity.objects.filter(complaint_id=complaint_id).select_related("complaint").first()
    if record is None or not record.email:
        return None
    return Letter(
        [record.email],
        _("Your complaint has been answered"),
        _("There is a reply to your complaint %(code)s. Read it on the portal with your tracking code and the secret you were given when you filed it.")
        % {"code": record.complaint.tracking_code},
    )
