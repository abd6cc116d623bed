"""Models of the approvals app: items and the hall, fees, applications and ratings."""

from approvals.models.applications import (
    BAD_RATING,
    ApplicantKind,
    Application,
    ApplicationStatus,
    CorrectionRequest,
    Rating,
    RatingLevel,
    RectificationCase,
    RectificationRule,
    RectificationStatus,
)
from approvals.models.fees import FeeChange, FeeChangeKind, FeeItem, FeeStatus, StandardKind
from approvals.models.items import (
    ApprovalItem,
    ChangeKind,
    ItemChange,
    ItemStatus,
    Kind,
    Material,
    ProcedureStep,
    ServiceHall,
    ServiceWindow,
)

__all__ = [
    "BAD_RATING",
    "ApplicantKind",
    "Application",
    "ApplicationStatus",
    "ApprovalItem",
    "ChangeKind",
    "CorrectionRequest",
    "FeeChange",
    "FeeChangeKind",
    "FeeItem",
    "FeeStatus",
    "ItemChange",
    "ItemStatus",
    "Kind",
    "Material",
    "ProcedureStep",
    "Rating",
    "RatingLevel",
    "RectificationCase",
    "RectificationRule",
    "RectificationStatus",
    "ServiceHall",
    "ServiceWindow",
    "StandardKind",
]
