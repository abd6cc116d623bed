"""Rating figures (好差評): counts per level and the share of good reviews, computed in the
database, per item and per department. These figures are public; the comments are not."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q

from approvals.models import BAD_RATING, Rating, RatingLevel


@dataclass(frozen=True)
class RatingFigures:
    counts: dict[int, int]  # level → number of ratings

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def bad(self) -> int:
        return sum(n for level, n in self.counts.items() if level <= BAD_RATING)

    @property
    def good_share(self) -> Decimal | None:
        """Per cent of ratings that are not bad reviews, one decimal (None without ratings)."""
        if not self.total:
            return None
        return (Decimal(100 * (self.total - self.bad)) / self.total).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def levels(self) -> list[tuple[str, int]]:
        """(label, count) from very satisfied to very dissatisfied, for templates."""
        return [(level.label, self.counts.get(level.value, 0)) for level in sorted(RatingLevel, reverse=True)]


def _level_counts() -> dict:
    return {f"level_{level.value}": Count("pk", filter=Q(level=level.value)) for level in RatingLevel}


def _figures(row: dict) -> RatingFigures:
    return RatingFigures({level.value: row[f"level_{level.value}"] for level in RatingLevel})


def figures(*, item=None) -> RatingFigures:
    """Figures of one item (one query)."""
    ratings = Rating.objects.all() if item is None else Rating.objects.filter(application__item=item)
    return _figures(ratings.aggregate(**_level_counts()))


def figures_by_department() -> list[tuple[str, str, RatingFigures]]:
    """(department code, name, figures) for every department with ratings (one query)."""
    rows = (
        Rating.objects.values(code=F("application__item__department__code"), name=F("application__item__department__name"))
        .annotate(**_level_counts())
        .order_by("code")
    )
    return [(row["code"], row["name"], _figures(row)) for row in rows]
