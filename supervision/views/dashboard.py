"""The supervisors' pages: the compliance dashboard (``/supervision/dashboard/``) with its
drill-downs to the records behind each number, the annual assessment, and the assessment's
public summary. The dashboard and the assessment are for the supervision office and the
coordinator (``acts_county_wide``): anyone else gets 403, an anonymous visitor the login page.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache, wraps
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from portal import deadlines, indicators
from portal.indicators import Period, Unit
from portal.chinese import for_language
from portal.models import Department
from portal.page_cache import cache_public_page
from portal.permissions import acts_county_wide, has_model_permission
from supervision import assessment, charts, dashboard
from supervision.downloads import table_response
from supervision.models import AssessmentSnapshot, AssessmentWeight

#: Rows per page of a drill-down list (keyset pagination).
PAGE = 50
FORMATS = ("csv", "xlsx")


def county_wide(view):
    """Supervisors and the coordinator only; anonymous visitors to the login page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not acts_county_wide(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def requested_year(value) -> int:
    """The year asked for, or this year when it is missing or not a plausible year."""
    this_year = timezone.localdate().year
    try:
        year = int(value)
    except (TypeError, ValueError):
        return this_year
    return year if 2000 <= year <= this_year + 1 else this_year


def _years() -> list[int]:
    this_year = timezone.localdate().year
    return list(range(this_year, this_year - 6, -1))


def _percent(figure) -> str:
    if figure.value is None:
        return "—"
    return f"{figure.value:g}%" if figure.unit == Unit.RATE else f"{figure.value:g}"


def _records_url(name: str, code: str, year: int, **extra) -> str:
    return _address("supervision:dashboard-records") + "?" + urlencode({"indicator": name, "department": code, "year": year, **extra})


def _overdue_url(kind: str, code: str = "") -> str:
    query = {"kind": kind, **({"department": code} if code else {})}
    return _address("supervision:dashboard-overdue") + "?" + urlencode(query)


@lru_cache(maxsize=None)
def _address(name: str, *args: str) -> str:
    """A drill-down page's address, reversed once: a table links hundreds of cells to it."""
    return reverse(name, args=args)


#: Stands for a department's code in an address reversed once.
_CODE = "--code--"


def _department_url(code: str, year: int) -> str:
    """A department's drill-down: the address reversed once, the code put in (the table
    links every row to one)."""
    return _address("supervision:dashboard-department", _CODE).replace(_CODE, quote(code)) + "?" + urlencode({"year": year})


def _table(board: dashboard.Dashboard) -> SafeString:
    """The per-department table's rows, a link in every cell with a number behind it. Built
    here, not in the template: a thousand cells through the template engine cost more than
    the figures (bench/DASHBOARD.md)."""
    language = get_language()
    rows = []
    for row in board.rows:
        code = row.department["code"]
        cells = [format_html('<th scope="row"><a href="{}">{}</a></th><td>{}</td>', _department_url(code, board.year),
                             for_language(row.department["name"], language), row.overdue_total)]
        cells += [format_html('<td><a href="{}" class="late">{}</a></td>', _overdue_url(kind.kind.name, code), n)
                  if n else mark_safe("<td>0</td>") for kind, n in zip(board.overdue, row.overdue)]
        cells += [format_html('<td><a href="{}">{}</a></td>', _records_url(column.name, code, board.year), _percent(figure))
                  if figure.denominator else format_html("<td>{}</td>", _percent(figure))
                  for column, figure in zip(board.columns, row.figures)]
        rows.append(mark_safe("<tr>" + "".join(cells) + "</tr>"))
    return mark_safe("".join(rows))


def _trend_rows(board: dashboard.Dashboard, trends: list[dict]) -> list[tuple]:
    """The trend charts' figures as a table: a row per month, a column per chart."""
    return [(month, [t["points"].get(month) for t in trends]) for month in board.months]


def _trend_charts(board: dashboard.Dashboard) -> list[dict]:
    trends = []
    for column in board.columns:
        points = [(month, figure.value) for month, figure in board.trend(column)]
        if not points:
            continue
        top = 100 if column.indicator.unit == Unit.RATE else None
        trends.append({
            "column": column,
            "chart": charts.line_chart(str(column.indicator.label), [(str(column.indicator.label), points)],
                                       months=board.months, top=top),
            "points": {month: value for month, value in points},
        })
    return trends


def _export(board: dashboard.Dashboard, fmt: str):
    header = [_("Department code"), _("Department")]
    header += [_("Overdue: %(kind)s") % {"kind": kind.kind.label} for kind in board.overdue]
    for column in board.columns:
        header += [str(column.indicator.label), _("%(indicator)s: counted") % {"indicator": column.indicator.label},
                   _("%(indicator)s: of") % {"indicator": column.indicator.label}]
    rows = []
    for row in board.rows:
        cells = [row.department["code"], row.department["name"], *row.overdue]
        for figure in row.figures:
            cells += [figure.value if figure.value is not None else "", float(figure.numerator or 0), figure.denominator]
        rows.append(cells)
    return table_response(fmt, f"compliance-{board.year}", _("Compliance %(year)s") % {"year": board.year}, header, rows)


@require_safe
@county_wide
def dashboard_page(request):
    year = requested_year(request.GET.get("year"))
    code = request.GET.get("department", "")
    sort = request.GET.get("sort", dashboard.BY_DEPARTMENT)
    descending = request.GET.get("dir") == "desc"
    board = dashboard.build(year, department=code, sort=sort, descending=descending)
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        return _export(board, fmt)
    chart_column = next((c for c in board.columns if c.name == sort), board.columns[0] if board.columns else None)
    bars = None
    if chart_column is not None and not board.department:
        index = board.columns.index(chart_column)
        bars = charts.bar_chart(
            _("%(indicator)s by department") % {"indicator": chart_column.indicator.label},
            [(row.department["name"], row.figures[index].value) for row in board.rows],
            top=100 if chart_column.indicator.unit == Unit.RATE else None,
        )
    query = {"year": year, **({"department": code} if board.department else {})}
    trends = _trend_charts(board)
    return render(request, "supervision/dashboard/dashboard.html", {
        "board": board,
        "overview": [{"column": c, "shown": _percent(board.figure(c)), "figure": board.figure(c)} for c in board.columns],
        "overdue": [{"kind": o.kind, "count": board.overdue_count(o),
                     "url": _overdue_url(o.kind.name, code if board.department else "")} for o in board.overdue],
        "table": _table(board),
        "trends": trends,
        "trend_rows": _trend_rows(board, trends),
        "bars": bars,
        "chart_column": chart_column,
        "sort": sort,
        "descending": descending,
        "query": urlencode(query),
        "years": _years(),
        "departments": board.departments,
    })


@require_safe
@county_wide
def dashboard_department(request, code: str):
    """One department's figures month by month, and its overdue items of every kind."""
    year = requested_year(request.GET.get("year"))
    board = dashboard.build(year, department=code)
    if board.department is None:
        raise Http404(_("No such department."))
    today = timezone.localdate()
    trends = _trend_charts(board)
    late = []
    for kind in board.overdue:
        items = list(deadlines.overdue_of_department(kind.kind, today, board.department["pk"])[:20])
        late.append({"kind": kind.kind, "count": board.overdue_count(kind), "url": _overdue_url(kind.kind.name, code),
                     "items": [_overdue_item(kind.kind, item, today) for item in items]})
    return render(request, "supervision/dashboard/department.html", {
        "board": board,
        "late": late,
        "overview": [
            {"column": c, "shown": _percent(board.figure(c)), "figure": board.figure(c),
             "url": _records_url(c.name, code, year), "counted_url": _records_url(c.name, code, year, counted=1)}
            for c in board.columns
        ],
        "trends": trends,
        "trend_rows": _trend_rows(board, trends),
        "years": _years(),
    })


def _overdue_item(kind, item, today: dt.date) -> dict:
    due = getattr(item, kind.due_field)
    return {"pk": item.pk, "description": kind.describe(item), "url": kind.url(item), "due": due,
            "days_late": (today - due).days}


def _department_or_404(code: str):
    if not code:
        return None
    return get_object_or_404(Department, code=code)


@require_safe
@county_wide
def dashboard_overdue(request):
    """The overdue items of one deadline kind (of one department, or all), oldest first."""
    try:
        kind = deadlines.get(request.GET.get("kind", ""))
    except KeyError:
        raise Http404(_("No such kind of deadline.")) from None
    department = _department_or_404(request.GET.get("department", ""))
    today = timezone.localdate()
    items = (deadlines.overdue_of_department(kind, today, department.pk) if department
             else deadlines.overdue(kind, today))
    after = _keyset(request.GET.get("after", ""))
    if after:
        due, pk = after
        items = items.filter(Q(**{f"{kind.due_field}__gt": due}) | Q(**{kind.due_field: due, "pk__gt": pk}))
    page = list(items[:PAGE + 1])
    rows = [_overdue_item(kind, item, today) for item in page[:PAGE]]
    more = ""
    if len(page) > PAGE:
        last = rows[-1]
        more = "?" + urlencode({"kind": kind.name, **({"department": department.code} if department else {}),
                                "after": f"{last['due'].isoformat()}_{last['pk']}"})
    return render(request, "supervision/dashboard/overdue.html",
                  {"kind": kind, "department": department, "rows": rows, "more": more})


def _keyset(value: str):
    try:
        due, pk = value.split("_", 1)
        return dt.date.fromisoformat(due), int(pk)
    except ValueError:
        return None


def _admin_url(obj) -> str:
    opts = obj._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return ""


@require_safe
@county_wide
def dashboard_records(request):
    """The records behind one figure: the rows the indicator judged for a department and
    year, each marked counted or not, newest first."""
    try:
        indicator = indicators.get(request.GET.get("indicator", ""))
    except KeyError:
        raise Http404(_("No such indicator.")) from None
    department = get_object_or_404(Department, code=request.GET.get("department", ""))
    year = requested_year(request.GET.get("year"))
    period = Period.year(year)
    figure = indicators.by_department(indicator, period, [department.pk]).get(department.pk)
    rows = indicators.records(indicator, period, department.pk).select_related().order_by("-pk")
    numerator = indicator._part(indicator.numerator, period)
    counted = request.GET.get("counted")
    if isinstance(numerator, Q):
        rows = rows.annotate(is_counted=ExpressionWrapper(numerator, output_field=BooleanField()))
        if counted in ("0", "1"):
            rows = rows.filter(is_counted=counted == "1")
    if indicator.date:
        rows = rows.annotate(placed_on=F(indicator.date))
    try:
        after = int(request.GET.get("after", ""))
    except ValueError:
        after = None
    if after is not None:
        rows = rows.filter(pk__lt=after)
    page = list(rows[:PAGE + 1])
    shown = [{"label": str(row), "url": _admin_url(row), "on": getattr(row, "placed_on", None),
              "counted": getattr(row, "is_counted", None)} for row in page[:PAGE]]
    more = ""
    if len(page) > PAGE:
        more = "?" + urlencode({"indicator": indicator.name, "department": department.code, "year": year,
                                **({"counted": counted} if counted in ("0", "1") else {}), "after": page[PAGE - 1].pk})
    return render(request, "supervision/dashboard/records.html", {
        "indicator": indicator, "department": department, "year": year, "figure": figure,
        "shown_figure": _percent(figure) if figure else "—", "rows": shown, "more": more,
        "counted": counted, "has_counted": isinstance(numerator, Q),
    })


def _assessment_table(result: assessment.Assessment, *, links: bool) -> list[dict]:
    return [
        {
            "rank": row["rank"], "department": row["department"], "score": row["score"],
            "cells": [
                None if cell is None else {
                    **cell,
                    "shown": f"{cell['value']:g}%" if column["unit"] == Unit.RATE else f"{cell['value']:g}",
                    "url": _records_url(column["name"], row["department"]["code"], result.year) if links else "",
                }
                for column, cell in zip(result.columns, row["cells"])
            ],
        }
        for row in result.rows
    ]


def _assessment_export(result: assessment.Assessment, fmt: str):
    header = [_("Rank"), _("Department code"), _("Department"), _("Score")]
    for column in result.columns:
        header += [column["label"], _("%(indicator)s: mark") % {"indicator": column["label"]}]
    rows = []
    for row in result.rows:
        cells = [row["rank"] or "", row["department"]["code"], row["department"]["name"], "" if row["score"] is None else row["score"]]
        for cell in row["cells"]:
            cells += ["", ""] if cell is None else [cell["value"], cell["mark"]]
        rows.append(cells)
    return table_response(fmt, f"assessment-{result.year}", _("Assessment %(year)s") % {"year": result.year}, header, rows)


def _weights_from(post, columns) -> dict[str, int] | None:
    weights = {}
    for column in columns:
        raw = post.get(f"weight-{column.name}", "").strip()
        if not raw.isdigit() or int(raw) > 100:
            return None
        weights[column.name] = int(raw)
    return weights


@require_http_methods(["GET", "HEAD", "POST"])
@county_wide
def assessment_page(request):
    """The annual assessment of a year: ranking, every figure with its mark and records;
    the weights (who may change them) and freezing the year."""
    year = requested_year(request.GET.get("year") or request.POST.get("year"))
    if request.method == "POST":
        return _assessment_post(request, year)
    result = assessment.current(year)
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        return _assessment_export(result, fmt)
    weights = None
    if not result.frozen and has_model_permission(request.user, AssessmentWeight, "change"):
        weight_of = assessment.weights()
        weights = [{"name": i.name, "label": i.label, "weight": weight_of[i.name]} for i in indicators.indicators()]
    return render(request, "supervision/dashboard/assessment.html", {
        "result": result,
        "table": _assessment_table(result, links=True),
        "weights": weights,
        "may_freeze": not result.frozen and has_model_permission(request.user, AssessmentSnapshot, "add"),
        "years": _years(),
        "query": urlencode({"year": year}),
    })


def _assessment_post(request, year: int):
    action = request.POST.get("action")
    back = reverse("supervision:assessment") + "?" + urlencode({"year": year})
    try:
        if action == "weights":
            weights = _weights_from(request.POST, indicators.indicators())
            if weights is None:
                messages.error(request, _("A weight is a whole number from 0 to 100."))
                return redirect(back)
            assessment.assessment_weights_save(actor=request.user, weights=weights)
            messages.success(request, _("The weights are saved."))
        elif action == "freeze":
            assessment.assessment_freeze(actor=request.user, year=year)
            messages.success(request, _("The assessment of %(year)s is frozen.") % {"year": year})
        else:
            messages.error(request, _("Nothing to do."))
    except ValueError as error:
        messages.error(request, str(error))
    return redirect(back)


@cache_public_page(params=("year",))
@require_safe
def assessment_results(request):
    """The public summary: the frozen years' ranking and figures (no records, no names of people)."""
    years = assessment.frozen_years()
    year = requested_year(request.GET.get("year")) if request.GET.get("year") else (years[0] if years else None)
    result = assessment.current(year) if year in years else None
    return render(request, "supervision/assessment_results.html", {
        "result": result, "table": _assessment_table(result, links=False) if result else [],
        "years": years, "year": year,
    })
