"""What the disclosures app contributes to the home page: the latest public notices and
the eight disclosures with how many notices each holds. A fixed number of queries each;
counted for the public whoever is reading, so the page is the same for everyone."""

from django.db.models import Count

from disclosures.models import Category
from disclosures import selectors

LATEST = 8


def latest(request) -> dict:
    """The newest public notices (one query)."""
    disclosures = (
        selectors.current()
        .select_related("department", "category", "current_revision")
        .defer("current_revision__tables", "current_revision__body")
        .order_by("-current_revision__published_at", "-pk")[:LATEST]
    )
    return {"disclosures": list(disclosures)}


def categories(request) -> dict:
    """The eight public top-level categories, each with the number of published notices in
    it and its sub-categories (two queries)."""
    top = list(Category.objects.top_level().public())
    counts = {category.pk: 0 for category in top}
    rows = selectors.current().values("category_id", "category__parent_id").annotate(count=Count("pk")).order_by()
    for row in rows:
        for key in (row["category_id"], row["category__parent_id"]):
            if key in counts:
                counts[key] += row["count"]
    for category in top:
        category.published_count = counts[category.pk]
    return {"categories": top}
