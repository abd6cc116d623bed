"""Models of the supervision app: the supervision mailbox (complaints and reports) and
evaluation campaigns."""

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
from supervision.models.campaigns import (
    Campaign,
    CampaignStatus,
    Criterion,
    EvaluatorKind,
    Invitation,
    Scale,
    Score,
    Scorecard,
    ScorecardStatus,
)

__all__ = [
    "Campaign",
    "CampaignStatus",
    "Criterion",
    "EvaluatorKind",
    "Invitation",
    "Scale",
    "Score",
    "Scorecard",
    "ScorecardStatus",
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
