"""Models of the supervision app: the supervision mailbox (complaints and reports)."""

from supervision.models.complaints import (
    OPEN_STATUSES,
    SATISFIED,
    Channel,
    Complaint,
    ComplaintAttachment,
    HandlingTime,
    IdentityAccess,
    Kind,
    Reply,
    ReporterIdentity,
    Satisfaction,
    Status,
)

__all__ = [
    "OPEN_STATUSES",
    "SATISFIED",
    "Channel",
    "Complaint",
    "ComplaintAttachment",
    "HandlingTime",
    "IdentityAccess",
    "Kind",
    "Reply",
    "ReporterIdentity",
    "Satisfaction",
    "Status",
]
