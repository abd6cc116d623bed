"""Models of the disclosures app: the catalogue, disclosures, data tables, revisions and the ledger."""

from disclosures.models.catalogue import Cadence, Category, CatalogueEntry, Channel, Scope
from disclosures.models.disclosures import Attachment, Disclosure, IndexCounter, PublicTotal, ReviewRecord, Status
from disclosures.models.ledger import LedgerHead, Revision
from disclosures.models.tables import DataTable

__all__ = [
    "Attachment",
    "Cadence",
    "CatalogueEntry",
    "Category",
    "Channel",
    "DataTable",
    "Disclosure",
    "IndexCounter",
    "LedgerHead",
    "PublicTotal",
    "ReviewRecord",
    "Revision",
    "Scope",
    "Status",
]
