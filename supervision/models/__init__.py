"""Models of the supervision app: the supervision mailbox (complaints and reports), the
annual assessment."""

from supervision.models.assessment import DEFAULT_WEIGHT, AssessmentSnapshot, AssessmentWeight

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
    "DEFAULT_WEIGHT",
    "AssessmentSnapshot",
    "AssessmentWeight",
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
