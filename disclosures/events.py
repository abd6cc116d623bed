"""What can happen to a disclosure (the event kinds of ``portal.events``)."""

from django.utils.translation import gettext_lazy as _

from portal.events import EventKind


class DisclosureEvent(EventKind):
    CREATED = "disclosure.created", _("draft created")
    EDITED = "disclosure.edited", _("draft edited")
    SUBMITTED = "disclosure.submitted", _("submitted for pre-review")
    FORWARDED = "disclosure.forwarded", _("approved by the department, sent to the coordinator")
    APPROVED = "disclosure.approved", _("approved in pre-review")
    RETURNED = "disclosure.returned", _("returned to the department")
    PUBLISHED = "disclosure.published", _("published")
    AMENDMENT_STARTED = "disclosure.amendment_started", _("opened for amendment")
    WITHDRAWN = "disclosure.withdrawn", _("withdrawn")
    TABLE_MASKING_CONFIRMED = "disclosure.table_masking_confirmed", _("masking of a data table confirmed")
    # Subject: the CatalogueEntry; from/to: the due date missed and the next period's. By the scan.
    OBLIGATION_MISSED = "catalogue.obligation_missed", _("obligation missed: nothing disclosed by the due date")
    CATALOGUE_IMPORTED = "disclosure.catalogue_imported", _("standard catalogue imported")


class RequestEvent(EventKind):
    """What can happen to an information request (依申請公開)."""

    FILED = "request.filed", _("request filed")
    CORRECTION_REQUESTED = "request.correction_requested", _("correction requested")
    CORRECTED = "request.corrected", _("corrected request received: the clock restarts")
    ABANDONED = "request.abandoned", _("closed: not corrected in time")
    CONSULTED = "request.consulted", _("third party consulted: the clock is paused")
    CONSULTATION_ENDED = "request.consultation_ended", _("third party's opinion received: the clock runs again")
    EXTENDED = "request.extended", _("reply period extended")
    REPLIED = "request.replied", _("replied")
    REPLY_PUBLISHED = "request.reply_published", _("reply sent for publication as a disclosure")
    MADE_PROACTIVE = "request.made_proactive", _("information moved into proactive disclosure")


class AnnualReportEvent(EventKind):
    """What can happen to a yearly open-government report."""

    OPENED = "annual_report.opened", _("yearly report opened")
    EDITED = "annual_report.edited", _("yearly report edited")
    FINALISED = "annual_report.finalised", _("yearly report finalised")
    PUBLISHED = "annual_report.published", _("yearly report sent for publication as a disclosure")
