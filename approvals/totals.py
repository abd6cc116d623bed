"""The counts of published decisions (``DecisionTotal``), kept by database triggers
(migration 0010); :func:`count_decision_totals` counts them afresh — after a bulk load that
bypassed the triggers, for a repair, and to fill them the first time (migration 0011)."""

from django.db import transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q
from django.db.models.functions import ExtractYear

from approvals.models import Application, DecisionTotal
from approvals.models.applications import DECIDED, ApplicationStatus


def count_decision_totals(application_model=Application, total_model=DecisionTotal) -> None:
    """Replace every total by a count of the decided applications (the models may be a
    migration's historical ones)."""
    rows = (
        application_model.objects.filter(status__in=DECIDED, decided_on__isnull=False)
        .values(department=F("item__department"), year=ExtractYear("decided_on"),
                rejected=ExpressionWrapper(Q(status=ApplicationStatus.REJECTED), output_field=BooleanField()))
        .annotate(n=Count("pk"))
        .order_by()
    )
    with transaction.atomic():
        total_model.objects.select_for_update().all().delete()
        total_model.objects.bulk_create(
            total_model(department_id=row["department"], year=row["year"], rejected=row["rejected"], count=row["n"])
            for row in rows
        )
