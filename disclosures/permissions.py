"""Who may read and change what in disclosures — the rules ``portal.permissions`` applies.

The public reads only published revisions: a disclosure is public when its *published
revision* is public in scope, whatever its working copy says (a change of scope is a
reviewed change like any other). Staff also read the published internal notices of the
departments they may view.
"""

from django.db.models import Q

from disclosures.models import Attachment, CatalogueEntry, DataTable, Disclosure, ReviewRecord, Revision, Scope
from disclosures.models.disclosures import PUBLIC, PUBLISHED
from disclosures.models.requests import AnnualReport, InformationRequest, Requester, RequestFile
from portal.permissions import Rules, register


def declare() -> None:
    register(Disclosure, Rules(department="department", public=PUBLIC, readable=PUBLISHED))
    for model in (Attachment, DataTable, ReviewRecord):
        register(model, Rules(department="disclosure__department"))
    # A revision is public when it was published public and its disclosure still is.
    register(Revision, Rules(department="disclosure__department", readable=Q(),
                             public=Q(scope=Scope.PUBLIC, disclosure__current_revision__scope=Scope.PUBLIC)))
    register(CatalogueEntry, Rules(department="department"))
    # An information request belongs to the department asked; nothing of it is public but
    # its counts (``disclosures.requests.stats``). The requester reaches their own request
    # with its code and secret (``disclosures.requests.services.may_track``).
    register(InformationRequest, Rules(department="department"))
    for model in (Requester, RequestFile):
        register(model, Rules(department="request__department"))
    # A department's yearly report is its own; the county's (no department) the county-wide roles'.
    register(AnnualReport, Rules(department="department"))
