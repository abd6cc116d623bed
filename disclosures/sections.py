"""What the disclosures app contributes to the home page: the latest public notices and
the eight disclosures with how many notices each holds. A fixed number of queries each;
counted for the public whoever is reading, so the page is the same for everyone."""

from disclosures.models import Category, PublicTotal
from disclosures import selectors

LATEST = 8


def latest(request) -> dict:
    """The newest public notices (one query)."""
    disclosures = (
        selectors.current()
        .select_related("department", "category", "current_revision")
        .defer(*selectors.LIST_DEFERRED)
        .order_by("-current_published_at", "-pk")[:LATEST]
    )
    return {"disclosures": list(disclosures)}


def categories(request) -> dict:
    """The eight public top-level categories, each with the number of published notices in
    it and its sub-categories (three queries: the counts are kept by the database,
    ``PublicTotal``, never counted per request)."""
    top = list(Category.objects.top_level().public())
    children = dict(Category.objects.filter(parent__in=top).values_list("pk", "parent_id"))
    counts = {category.pk: 0 for category in top}
    keys = [f"category:{pk}" for pk in [*counts, *children]]
    for name, count in PublicTotal.objects.filter(name__in=keys).values_list("name", "count"):
        pk = int(name.split(":")[1])
        counts[children.get(pk, pk)] += count
    for category in top:
        category.published_count = counts[category.pk]
    return {"categories": top}
