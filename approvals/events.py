"""What can happen to approval items, fees, applications and rectification cases (the event
kinds of ``portal.events``)."""

from django.utils.translation import gettext_lazy as _

from portal.events import EventKind


class ItemEvent(EventKind):
    ESTABLISHED = "item.established", _("approval item established")
    ADJUSTED = "item.adjusted", _("approval item adjusted")
    EDITED = "item.edited", _("approval item edited")
    CANCELLED = "item.cancelled", _("approval item cancelled")
    DELEGATED = "item.delegated", _("approval item delegated")
    GUIDE_EDITED = "item.guide_edited", _("materials or procedure steps edited")


class FeeEvent(EventKind):
    ESTABLISHED = "fee.established", _("fee established")
    ADJUSTED = "fee.adjusted", _("fee standard adjusted")
    EDITED = "fee.edited", _("fee edited")
    SUSPENDED = "fee.suspended", _("fee suspended")
    RESUMED = "fee.resumed", _("fee resumed")
    CANCELLED = "fee.cancelled", _("fee cancelled")


class ApplicationEvent(EventKind):
    REGISTERED = "application.registered", _("application registered")
    EDITED = "application.edited", _("applicant's details corrected")
    REVIEW_STARTED = "application.review_started", _("review started")
    CORRECTION_REQUESTED = "application.correction_requested", _("correction requested (補正)")
    CORRECTED = "application.corrected", _("corrected materials received")
    DECIDED = "application.decided", _("decided")
    REJECTED = "application.rejected", _("rejected")
    COMPLETED = "application.completed", _("completed")
    RATED = "application.rated", _("rated by the applicant")
    # Not a change of state: a supervisor gave the applicant a new rating secret (never recorded itself).
    RATING_SECRET_REISSUED = "application.rating_secret_reissued", _("new rating secret issued to the applicant")


class RectificationEvent(EventKind):
    OPENED = "rectification.opened", _("rectification opened after a bad rating")
    CLOSED = "rectification.closed", _("rectification closed")


ALL = (ItemEvent, FeeEvent, ApplicationEvent, RectificationEvent)
