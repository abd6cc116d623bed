"""Models of the disclosures app: the catalogue, disclosures, data tables, revisions and the ledger."""

from disclosures.models.catalogue import (
    Cadence, Carrier, Category, CatalogueEntry, Channel, Domain, Scope, TimeLimitRule, split_documents,
)
from disclosures.models.disclosures import (
    Attachment, Disclosure, IndexCounter, PublicTotal, ReviewRecord, Status, Validity,
)
from disclosures.models.ledger import LedgerHead, Revision
from disclosures.models.requests import (
    AnnualReport,
    InformationRequest,
    Outcome,
    Requester,
    RequesterType,
    RequestFile,
    RequestStatus,
    SubReason,
)
from disclosures.models.tables import DataTable

__all__ = [
    "AnnualReport",
    "InformationRequest",
    "Outcome",
    "Requester",
    "RequesterType",
    "RequestFile",
    "RequestStatus",
    "SubReason",
    "Attachment",
    "Cadence",
    "Carrier",
    "CatalogueEntry",
    "Category",
    "Channel",
    "DataTable",
    "Domain",
    "Disclosure",
    "IndexCounter",
    "LedgerHead",
    "PublicTotal",
    "ReviewRecord",
    "Revision",
    "Scope",
    "Status",
    "TimeLimitRule",
    "Validity",
    "split_documents",
]
