"""Every rectification with a deadline in one list (DESIGN §3.5): the supervision office's
rectification orders — from inspections and from complaints — and the rectification cases
that bad service ratings open in ``approvals`` (which knows nothing of supervision: this
page reads both).

Each person sees the rows ``portal.permissions.scope`` gives them (a department its own,
the supervision office and the coordinator all). One UNION ALL query per page, with keyset
pagination on (due date, source, number): as fast on the last page as on the first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, F, IntegerField, Q, QuerySet, Value
from django.db.models.functions import Left
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from approvals.models import RectificationCase, RectificationStatus
from portal.models import Department
from portal.permissions import departments_for, has_model_permission, scope
from supervision.models import OPEN_ORDER_STATUSES, OrderStatus, RectificationOrder

PAGE = 50
ORDER, RATING = "order", "rating"
STATES = {
    "open": _("Open"),
    "overdue": _("Overdue"),
    "closed": _("Closed"),
    "all": _("All"),
}
COLUMNS = ("source", "pk", "department_name", "summary", "opened_on", "due_on", "status", "closed_on",
           "from_complaint")


@dataclass(frozen=True)
class Cursor:
    due_on: dt.date
    source: str
    pk: int

    @classmethod
    def parse(cls, raw: str | None) -> "Cursor | None":
        """``2026-12-01.order.17``; anything else is the first page."""
        try:
            day, source, pk = (raw or "").split(".")
            cursor = cls(dt.date.fromisoformat(day), source, int(pk))
        except ValueError:
            return None
        return cursor if source in (ORDER, RATING) else None

    def __str__(self) -> str:
        return f"{self.due_on.isoformat()}.{self.source}.{self.pk}"

    def after(self, source: str) -> Q:
        """Rows of ``source`` after this cursor in (due date, source, pk) order."""
        later = Q(due_on__gt=self.due_on)
        if source > self.source:
            return later | Q(due_on=self.due_on)
        if source == self.source:
            return later | Q(due_on=self.due_on, pk__gt=self.pk)
        return later


def _orders(user, state: str, today: dt.date) -> QuerySet:
    queryset = scope(user, RectificationOrder.objects.all(), "view")
    queryset = {
        "open": lambda: queryset.exclude(status=OrderStatus.CLOSED),
        "overdue": lambda: queryset.filter(status__in=OPEN_ORDER_STATUSES, due_on__lt=today),
        "closed": lambda: queryset.filter(status=OrderStatus.CLOSED),
    }.get(state, lambda: queryset)()
    return queryset.annotate(
        source=Value(ORDER, output_field=CharField()), department_name=F("department__name"),
        summary=Left("requirement", 80), opened_on=F("issued_on"),
        from_complaint=F("complaint_id"),
    )


def _cases(user, state: str, today: dt.date) -> QuerySet:
    queryset = scope(user, RectificationCase.objects.all(), "view")
    queryset = {
        "open": lambda: queryset.open(),
        "overdue": lambda: queryset.open().filter(due_on__lt=today),
        "closed": lambda: queryset.filter(status=RectificationStatus.CLOSED),
    }.get(state, lambda: queryset)()
    return queryset.annotate(
        source=Value(RATING, output_field=CharField()), department_name=F("department__name"),
        summary=Left("item__name", 80), from_complaint=Value(None, output_field=IntegerField()),
    )


def rows(user, *, state: str, department: Department | None, cursor: Cursor | None, limit: int = PAGE) -> list[dict]:
    """One page of the combined list: one query."""
    today = timezone.localdate()
    parts = []
    for source, build in ((ORDER, _orders), (RATING, _cases)):
        queryset = build(user, state, today)
        if department is not None:
            queryset = queryset.filter(department=department)
        if cursor is not None:
            queryset = queryset.filter(cursor.after(source))
        parts.append(queryset.order_by().values(*COLUMNS))
    union = parts[0].union(parts[1], all=True).order_by("due_on", "source", "pk")[:limit + 1]
    return list(union)


STATUS_LABELS = {ORDER: dict(OrderStatus.choices), RATING: dict(RectificationStatus.choices)}


def _present(row: dict, today: dt.date) -> dict:
    if row["source"] == ORDER:
        row["url"] = reverse("admin:supervision_rectificationorder_change", args=[row["pk"]])
        row["source_label"] = _("order after a complaint") if row["from_complaint"] else _("order after an inspection")
        row["open"] = row["status"] in OPEN_ORDER_STATUSES
    else:
        row["url"] = reverse("admin:approvals_rectificationcase_change", args=[row["pk"]])
        row["source_label"] = _("bad service rating")
        row["open"] = row["status"] == RectificationStatus.OPEN
    row["status_label"] = STATUS_LABELS[row["source"]].get(row["status"], row["status"])
    row["overdue"] = row["open"] and row["due_on"] < today
    return row


@login_required
@require_safe
def rectification_list(request):
    user = request.user
    if not (has_model_permission(user, RectificationOrder, "view") or has_model_permission(user, RectificationCase, "view")):
        raise PermissionDenied
    state = request.GET.get("state") if request.GET.get("state") in STATES else "open"
    departments = departments_for(user).order_by("code")
    department = departments.filter(code=request.GET.get("department", "")[:40]).first()
    cursor = Cursor.parse(request.GET.get("after"))
    found = rows(user, state=state, department=department, cursor=cursor)
    today = timezone.localdate()
    page = [_present(row, today) for row in found[:PAGE]]
    following = None
    if len(found) > PAGE:
        last = page[-1]
        following = str(Cursor(last["due_on"], last["source"], last["pk"]))
    return render(request, "supervision/rectifications.html", {
        "rows": page, "state": state, "states": STATES, "department": department, "departments": departments,
        "following": following, "first_page": cursor is None,
    })
