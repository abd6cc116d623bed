"""What the public catalogue pages show (``/disclosures/catalogue/…``): the index of domains
and categories with their counts, and a page of entries in the standard layout with each
entry's state and the notice that met it. Every read here is one query for the whole page."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Q

from disclosures import compliance, selectors, time_limits
from disclosures.models import Carrier, CatalogueEntry, Category, Domain

#: Entries per page: a domain of hundreds of entries is read (and printed) a page at a time.
PAGE_SIZE = 50


def index() -> dict:
    """The domains and the top-level categories, each with its number of public entries."""
    public = Q(entries__active=True, entries__scope="public")
    domains = Domain.objects.annotate(count=Count("entries", filter=public)).order_by("position", "code")
    in_category = Q(catalogue_entries__active=True, catalogue_entries__scope="public")
    in_children = Q(children__catalogue_entries__active=True, children__catalogue_entries__scope="public")
    categories = (
        Category.objects.top_level().public()
        .annotate(own=Count("catalogue_entries", filter=in_category, distinct=True),
                  below=Count("children__catalogue_entries", filter=in_children, distinct=True))
        .order_by("position", "code")
    )
    return {"domains": list(domains), "categories": list(categories)}


def table(entries: list[CatalogueEntry]) -> dict:
    """``entries`` as the rows of the standard layout: each with its state, the readable notice
    that met it, its carriers' names, and how many rows its 一級事項 spans on this page."""
    evaluations = compliance.evaluate(entries)
    fulfilling = {e.disclosure_id for e in evaluations.values() if e.disclosure_id}
    readable = set(selectors.readable().filter(pk__in=fulfilling).values_list("pk", flat=True)) if fulfilling else set()
    names = dict(Carrier.objects.values_list("code", "name"))
    rows = []
    for number, entry in enumerate(entries):
        span = 0
        if number == 0 or entry.item != entries[number - 1].item or not entry.item:
            span = 1
            while number + span < len(entries) and entries[number + span].item == entry.item and entry.item:
                span += 1
        evaluation = evaluations[entry.pk]
        rows.append({
            "entry": entry,
            "evaluation": evaluation,
            "notice": evaluation.disclosure_id if evaluation.disclosure_id in readable else None,
            "carriers": [names[code] for code in entry.channels if code in names],
            "span": span,
        })
    totals = Counter(evaluation.state for evaluation in evaluations.values())
    return {
        "rows": rows,
        "states": [(state, totals.get(state, 0)) for state in compliance.State],
        "default_rules": [rule.value for rule in time_limits.DEFAULT_RULES],
    }
