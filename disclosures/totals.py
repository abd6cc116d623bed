"""The counts the public pages show (``PublicTotal``), kept by a database trigger
(migration 0014) as rows become or stop being public; :func:`count_public_totals`
counts them afresh, for a bulk load that bypassed the trigger or a repair."""

from django.db import transaction
from django.db.models import Count

from disclosures.models import Disclosure, PublicTotal, Status


@transaction.atomic
def count_public_totals() -> None:
    public = Disclosure.objects.filter(current_public=True)
    totals = {"public": public.count()}
    for category_id, count in (
        public.exclude(status=Status.WITHDRAWN).values_list("category_id").annotate(n=Count("pk")).order_by()
    ):
        totals[f"category:{category_id}"] = count
    PublicTotal.objects.select_for_update().all().delete()
    PublicTotal.objects.bulk_create([PublicTotal(name=name, count=count) for name, count in totals.items()])
