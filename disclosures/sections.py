"""What the disclosures app contributes to the home page."""

from disclosures.models import Category


def categories(request) -> dict:
    """The eight public top-level categories (one query)."""
    return {"categories": list(Category.objects.top_level().public())}
