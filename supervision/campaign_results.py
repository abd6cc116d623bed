"""The results of an evaluation campaign: per department the number of submitted
scorecards, the weighted score (the average of the cards' weighted totals, out of 100), the
rank (equal scores share a rank; the next rank skips, as in sport), each criterion's average
points and the evaluators' comments — without names.

Submitted cards only; drafts never count. Computed in the database: three queries whatever
the number of cards (departments with rank, criteria averages, comments).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, DecimalField, F, Q, Window
from django.db.models.functions import Cast, Rank, Round

from portal.models import Department
from supervision.models import Campaign, Scale, Score, Scorecard, ScorecardStatus

SUBMITTED = Q(scorecards__status=ScorecardStatus.SUBMITTED)


@dataclass
class DepartmentResult:
    department: Department
    cards: int
    score: Decimal | None
    rank: int | None
    criteria: dict[int, Decimal] = field(default_factory=dict)
    comments: list[str] = field(default_factory=list)


def results(campaign: Campaign, *, with_comments: bool = True) -> list[DepartmentResult]:
    """Every department the campaign evaluates, best first (those without a submitted card last)."""
    in_campaign = SUBMITTED & Q(scorecards__campaign=campaign)
    score = Round(Cast(Avg("scorecards__total", filter=in_campaign), DecimalField(max_digits=7, decimal_places=4)), 2)
    departments = (
        Department.objects.filter(evaluation_campaigns=campaign)
        .annotate(cards=Count("scorecards", filter=in_campaign), score=score)
        .annotate(rank=Window(Rank(), order_by=F("score").desc(nulls_last=True)))
        .order_by(F("score").desc(nulls_last=True), "name")
    )
    rows = {
        department.pk: DepartmentResult(department, department.cards, department.score,
                                        department.rank if department.score is not None else None)
        for department in departments
    }
    factor = 20 if campaign.scale == Scale.FIVE_LEVELS else 1  # a level's points (supervision.models.LEVELS)
    averages = (
        Score.objects.filter(scorecard__campaign=campaign, scorecard__status=ScorecardStatus.SUBMITTED)
        .values("scorecard__department", "criterion")
        .annotate(points=Round(Cast(Avg("value"), DecimalField(max_digits=7, decimal_places=4)) * factor, 1))
        .order_by()
    )
    for row in averages:
        rows[row["scorecard__department"]].criteria[row["criterion"]] = row["points"]
    if with_comments:
        comments = (
            Scorecard.objects.filter(campaign=campaign, status=ScorecardStatus.SUBMITTED)
            .exclude(comment="").order_by("department", "submitted_at", "pk").values_list("department", "comment")
        )
        for department_pk, comment in comments:
            rows[department_pk].comments.append(comment)
    return list(rows.values())
