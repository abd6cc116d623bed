"""The annual assessment (年度考核, DESIGN §3.5): a score per department for a year from every
registered indicator (``supervision.figures``), weighted; a rank with ties; a year frozen
into a snapshot that later changes to the data do not move.

Scoring. Each indicator gives a department a mark out of 100: a percentage is its own mark
(100 minus it where lower is better); a count or an average is marked against the other
departments' figures that year, the best 100 and the worst 0 (all equal: 100 each). A
department's score is the weighted mean of the marks it has: an indicator on which it has
nothing to be judged (no rows) is left out and the remaining weights count in full. Scores
are rounded to one decimal before ranking; equal scores share a rank and the next rank is
skipped (1, 2, 2, 4). A department with no figure at all has no score and no rank.

The figures are never typed in: the only thing people set is the weights
(``assessment_weights_save``), and every figure links to the records behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from portal import events, page_cache
from portal.indicators import Figure, Period, Unit
from portal.models import Department
from portal.permissions import has_model_permission
from supervision import figures
from supervision.events import AssessmentEvent
from supervision.models import DEFAULT_WEIGHT, AssessmentSnapshot, AssessmentWeight


@dataclass
class Assessment:
    year: int
    #: [{"name", "label", "unit", "higher_is_better", "weight"}] in the registry's order.
    columns: list[dict]
    #: [{"department": {"pk", "code", "name"}, "cells": [{"numerator", "denominator", "value",
    #: "mark"} | None, … aligned with columns], "score", "rank"}], best first.
    rows: list[dict]
    snapshot: AssessmentSnapshot | None = field(default=None)

    @property
    def frozen(self) -> bool:
        return self.snapshot is not None


def weights() -> dict[str, int]:
    """Every registered indicator's weight (the default where none is set): one query."""
    stored = dict(AssessmentWeight.objects.values_list("indicator", "weight"))
    from portal import indicators

    return {indicator.name: stored.get(indicator.name, DEFAULT_WEIGHT) for indicator in indicators.indicators()}


def _mark(value: float, unit: str, higher_is_better: bool, low: float, high: float) -> float:
    if unit == Unit.RATE:
        mark = value
    elif high == low:
        return 100.0
    else:
        mark = 100 * (value - low) / (high - low)
    return mark if higher_is_better else 100 - mark


def _cell(figure: Figure | None) -> dict | None:
    if figure is None or figure.value is None:
        return None
    return {"numerator": float(figure.numerator or 0), "denominator": figure.denominator, "value": figure.value}


def rank(rows: list[dict]) -> list[dict]:
    """Order ``rows`` best first and give each its rank: equal scores share one, the next is
    skipped (1, 2, 2, 4); rows without a score come last, unranked."""
    rows.sort(key=lambda row: (row["score"] is None, -(row["score"] or 0), row["department"]["code"]))
    for row in rows:
        row["rank"] = None if row["score"] is None else 1 + sum(
            1 for other in rows if other["score"] is not None and other["score"] > row["score"]
        )
    return rows


def score(columns: list[dict], cells: list[dict | None]) -> float | None:
    """The weighted mean of the marks a department has (None: no marks, or no weight)."""
    weighted = [(column["weight"], cell["mark"]) for column, cell in zip(columns, cells) if cell is not None]
    total = sum(weight for weight, _mark in weighted)
    if not total:
        return None
    return round(sum(weight * mark for weight, mark in weighted) / total, 1)


def compute(year: int, *, fresh: bool = False) -> Assessment:
    """The assessment of ``year`` from the data as it is now (as computed within the last
    minutes, ``supervision.figures``; ``fresh``: this moment): at most one query per
    indicator, one for the departments and one for the weights."""
    weight_of = weights()
    columns = figures.columns(Period.year(year), fresh=fresh)
    departments = list(Department.objects.order_by("code").values("pk", "code", "name"))
    described = [
        {"name": c.name, "label": str(c.indicator.label), "unit": c.indicator.unit,
         "higher_is_better": c.indicator.higher_is_better, "weight": weight_of[c.name]}
        for c in columns
    ]
    table = {d["pk"]: [_cell(c.by_department.get(d["pk"])) for c in columns] for d in departments}
    for index, (column, meta) in enumerate(zip(columns, described)):
        values = [cells[index]["value"] for cells in table.values() if cells[index] is not None]
        low, high = (min(values), max(values)) if values else (0, 0)
        for cells in table.values():
            if cells[index] is not None:
                cells[index]["mark"] = round(_mark(cells[index]["value"], meta["unit"], meta["higher_is_better"], low, high), 1)
    rows = [{"department": d, "cells": table[d["pk"]], "score": score(described, table[d["pk"]])} for d in departments]
    return Assessment(year, described, rank(rows))


def current(year: int) -> Assessment:
    """The frozen snapshot of ``year`` if there is one, else the assessment computed now."""
    snapshot = AssessmentSnapshot.objects.filter(year=year).first()
    if snapshot is not None:
        return Assessment(year, snapshot.columns, snapshot.rows, snapshot)
    return compute(year)


def frozen_years() -> list[int]:
    return list(AssessmentSnapshot.objects.order_by("-year").values_list("year", flat=True))


def assessment_weights_save(*, actor, weights: dict[str, int]) -> dict[str, int]:
    """Set the weights of registered indicators (0–100; 0 leaves an indicator out). Years
    already frozen keep the weights they were frozen with."""
    if not has_model_permission(actor, AssessmentWeight, "change"):
        raise PermissionDenied
    from portal import indicators

    known = {indicator.name for indicator in indicators.indicators()}
    unknown = set(weights) - known
    if unknown:
        raise ValueError(_("Unknown indicators: %(names)s") % {"names": ", ".join(sorted(unknown))})
    if any(not isinstance(w, int) or not 0 <= w <= 100 for w in weights.values()):
        raise ValueError(_("A weight is a whole number from 0 to 100."))
    with transaction.atomic():
        before = dict(AssessmentWeight.objects.select_for_update().values_list("indicator", "weight"))
        for name, weight in weights.items():
            AssessmentWeight.objects.update_or_create(indicator=name, defaults={"weight": weight, "updated_by": actor})
        changed = {name: [before.get(name, DEFAULT_WEIGHT), w] for name, w in weights.items()
                   if before.get(name, DEFAULT_WEIGHT) != w}
        if changed:
            subject = AssessmentWeight.objects.get(indicator=next(iter(changed)))
            events.record(AssessmentEvent.WEIGHTS_CHANGED, actor=actor, subject=subject, changed=changed)
    return weights


def assessment_freeze(*, actor, year: int) -> AssessmentSnapshot:
    """Freeze ``year``: keep its assessment as computed now. A frozen year is never
    recomputed and cannot be frozen again."""
    if not has_model_permission(actor, AssessmentSnapshot, "add"):
        raise PermissionDenied
    assessment = compute(year, fresh=True)
    try:
        with transaction.atomic():
            snapshot = AssessmentSnapshot.objects.create(
                year=year, columns=assessment.columns, rows=assessment.rows, frozen_by=actor
            )
            events.record(AssessmentEvent.FROZEN, actor=actor, subject=snapshot, year=year)
            page_cache.invalidate_on_commit()
    except IntegrityError:
        raise ValueError(_("The assessment of %(year)s is already frozen.") % {"year": year}) from None
    return snapshot
