"""The disclosures app's compliance indicators (DESIGN §6), registered with portal's registry.

* **coverage** — of a department's catalogue obligations in force during the period, the
  share it met: a standing obligation needs a disclosure published by the period's end, a
  monthly, quarterly or yearly one a disclosure published within the period. Ad hoc
  obligations owe nothing until an event happens, so they are judged by timeliness alone.
* **timeliness** — of the disclosures first published in the period, the share published
  within the working days allowed after the information formed (the catalogue entry's
  figure, or the statutory 20), as counted on the working calendar at publication.
"""

from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from disclosures.models import Cadence, CatalogueEntry, Disclosure
from disclosures.models.requests import InformationRequest, RequestStatus
from portal.indicators import Indicator, Period


def _in_force(period: Period) -> Q:
    return Q(created_at__date__lte=period.end) & ~Q(cadence=Cadence.AD_HOC)


def _met(period: Period) -> Q:
    published = Disclosure.objects.filter(catalogue_entry=OuterRef("pk"), first_published_on__lte=period.end)
    in_period = published.filter(first_published_on__gte=period.start)
    return (Q(cadence=Cadence.STANDING) & Q(Exists(published))) | (~Q(cadence=Cadence.STANDING) & Q(Exists(in_period)))


COVERAGE = Indicator(
    name="disclosures.coverage",
    label=_("catalogue obligations met"),
    description=_(
        "Of the catalogue obligations in force in the period (ad hoc ones aside), the share met: "
        "a standing obligation by a disclosure published by the period's end, a periodic one by a "
        "disclosure published within the period."
    ),
    rows=lambda: CatalogueEntry.objects.active(),
    department="department_id",
    date=None,
    denominator=_in_force,
    numerator=_met,
    order=10,
)

TIMELINESS = Indicator(
    name="disclosures.timeliness",
    label=_("disclosures published on time"),
    description=_(
        "Of the disclosures first published in the period, the share published within the working "
        "days allowed after the information formed."
    ),
    rows=lambda: Disclosure.objects.filter(first_published_on__isnull=False),
    department="department_id",
    date="first_published_on",
    numerator=Q(first_published_on__lte=F("publication_due_on")),
    order=11,
)


#: The same rule as the public statistics (``disclosures.requests.stats``): counted by the
#: department asked and the day the request was received.
REQUESTS_ON_TIME = Indicator(
    name="disclosures.requests_on_time",
    label=_("information requests replied on time"),
    description=_("Of the information requests received in the period and replied, the share replied by their due "
                  "date (20 working days, or as extended)."),
    rows=lambda: InformationRequest.objects.all(),
    department="department_id",
    date="received_on",
    denominator=Q(status=RequestStatus.REPLIED),
    numerator=Q(on_time=True),
    order=20,
)

ALL = (COVERAGE, TIMELINESS, REQUESTS_ON_TIME)
