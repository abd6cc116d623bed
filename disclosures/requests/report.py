"""The yearly open-government report (政府信息公開工作年度報告), in the six sections of the
standard template: overview; proactive disclosure; requests received and handled;
administrative review and litigation; problems and improvements; other matters.

The requests table (columns by requester type and total; rows new, carried over, each
outcome and sub-reason, total handled, carried into next year) is counted in the database
in one query, and every cell can be traced to its records (``records``). A report is
finalised only when the table balances: new + carried over = handled + carried into next
year, in every column, and what it carries over is what last year's final report carried
into this year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable

from django.apps import apps
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosures.models.requests import (
    SUB_REASONS,
    AnnualReport,
    InformationRequest,
    Outcome,
    ReportStatus,
    RequesterType,
    SubReason,
)

TOTAL = "total"
COLUMNS = [*RequesterType.values, TOTAL]


def due_on(year: int, department) -> dt.date:
    """Departments report by 31 January, the county by 31 March of the following year."""
    return dt.date(year + 1, 1, 31) if department is not None else dt.date(year + 1, 3, 31)


def _span(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _closed_in(year: int) -> Q:
    return Q(closed_on__range=_span(year))


@dataclass(frozen=True)
class Row:
    key: str
    label: object
    #: 0: a line of its own (new, carried over, total, carried forward); 1: an outcome; 2: a sub-reason.
    level: int
    condition: Callable[[int], Q]


def _outcome_row(key: str, label, outcomes) -> Row:
    return Row(key, label, 1, lambda year: _closed_in(year) & Q(outcome__in=list(outcomes)))


def _sub_rows(outcome: Outcome) -> list[Row]:
    return [
        Row(f"{outcome.value}.{reason}", SubReason(reason).label, 2,
            lambda year, o=outcome, r=reason: _closed_in(year) & Q(outcome=o, sub_reason=r))
        for reason in SUB_REASONS[outcome]
    ]


#: The rows of the table, in the template's order. "Already public" is answered by telling
#: where: the template counts it as disclosed.
ROWS: list[Row] = [
    Row("new", gettext_lazy("New requests this year"), 0, lambda year: Q(received_on__range=_span(year))),
    Row("carried_over", gettext_lazy("Carried over from last year"), 0,
        lambda year: Q(received_on__lt=_span(year)[0]) & (Q(closed_on__isnull=True) | Q(closed_on__gte=_span(year)[0]))),
    _outcome_row("disclosed", gettext_lazy("(1) Disclosed"), [Outcome.DISCLOSED, Outcome.ALREADY_PUBLIC]),
    _outcome_row("partly", gettext_lazy("(2) Partly disclosed"), [Outcome.PARTLY]),
    _outcome_row("not_disclosed", gettext_lazy("(3) Not disclosed"), [Outcome.NOT_DISCLOSED]),
    *_sub_rows(Outcome.NOT_DISCLOSED),
    _outcome_row("cannot_provide", gettext_lazy("(4) Cannot be provided"), [Outcome.CANNOT_PROVIDE]),
    *_sub_rows(Outcome.CANNOT_PROVIDE),
    _outcome_row("not_processed", gettext_lazy("(5) Not processed"), [Outcome.NOT_PROCESSED]),
    *_sub_rows(Outcome.NOT_PROCESSED),
    _outcome_row("other", gettext_lazy("(6) Other handling"), [Outcome.OTHER]),
    *_sub_rows(Outcome.OTHER),
    Row("handled", gettext_lazy("(7) Total handled"), 0, lambda year: _closed_in(year) & ~Q(outcome="")),
    Row("carried_forward", gettext_lazy("Carried into next year"), 0,
        lambda year: Q(received_on__lte=_span(year)[1]) & (Q(closed_on__isnull=True) | Q(closed_on__gt=_span(year)[1]))),
]
ROW_BY_KEY = {row.key: row for row in ROWS}
#: The outcome rows whose sum is the total handled.
OUTCOME_ROWS = [row.key for row in ROWS if row.level == 1]


def _requests(department) -> QuerySet:
    queryset = InformationRequest.objects.all()
    return queryset if department is None else queryset.filter(department=department)


def requests_table(year: int, department=None) -> dict[str, dict[str, int]]:
    """``{row key: {column: count}}`` for the year (one query: a row per requester type)."""
    end = _span(year)[1]
    counted = (
        _requests(department).filter(received_on__lte=end).order_by()
        .values("requester_type")
        .annotate(**{row.key.replace(".", "__"): Count("pk", filter=row.condition(year)) for row in ROWS})
    )
    table = {row.key: dict.fromkeys(COLUMNS, 0) for row in ROWS}
    for line in counted:
        for row in ROWS:
            value = line[row.key.replace(".", "__")]
            table[row.key][line["requester_type"]] += value
            table[row.key][TOTAL] += value
    return table


def records(year: int, department, row_key: str, column: str = TOTAL) -> QuerySet:
    """The requests behind one cell of the table."""
    queryset = _requests(department).filter(received_on__lte=_span(year)[1]).filter(ROW_BY_KEY[row_key].condition(year))
    return queryset if column == TOTAL else queryset.filter(requester_type=column)


def imbalances(year: int, department, table: dict) -> list[str]:
    """Why the table does not balance (empty: it does)."""
    problems = []
    labels = dict(RequesterType.choices) | {TOTAL: _("Total")}
    for column in COLUMNS:
        handled = sum(table[key][column] for key in OUTCOME_ROWS)
        if handled != table["handled"][column]:
            problems.append(_("%(column)s: the outcomes add up to %(sum)d, not the %(total)d handled.")
                            % {"column": labels[column], "sum": handled, "total": table["handled"][column]})
        left = table["new"][column] + table["carried_over"][column]
        right = handled + table["carried_forward"][column]
        if left != right:
            problems.append(_("%(column)s: new + carried over = %(left)d, but handled + carried into next year = "
                              "%(right)d.") % {"column": labels[column], "left": left, "right": right})
    previous = (AnnualReport.objects.filter(year=year - 1, department=department, status=ReportStatus.FINAL)
                .values_list("figures", flat=True).first())
    if previous:
        carried = previous.get("requests", {}).get("carried_forward", {}).get(TOTAL)
        if carried is not None and carried != table["carried_over"][TOTAL]:
            problems.append(_("Last year's final report carried %(then)d requests into this year; the records now "
                              "show %(now)d carried over (a request of last year registered late?).")
                            % {"then": carried, "now": table["carried_over"][TOTAL]})
    return problems


# --- proactive disclosure -------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    label: str
    value: object
    #: Where the figure comes from, or why the portal cannot give it.
    source: str = ""
    #: The records behind it: (admin change list's URL name, its query), or None when the
    #: figure is entered by hand.
    trace: tuple[str, dict] | None = None


def _disclosures(department) -> QuerySet:
    from disclosures.models import Disclosure

    documents = Disclosure.objects.all()
    return documents if department is None else documents.for_department(department)


def _first_published(year: int, department, **revision) -> QuerySet:
    """Disclosures whose revision no. 1 was published in the year (one each)."""
    from disclosures.models import Revision

    first = Revision.objects.filter(number=1, published_at__date__range=_span(year), **revision)
    return _disclosures(department).filter(pk__in=first.values("disclosure_id"))


def _normative_repealed(year: int, department) -> QuerySet:
    from disclosures.models.disclosures import Validity

    return _disclosures(department).normative().filter(
        current_revision__validity=Validity.REPEALED, current_revision__repealed_on__range=_span(year))


def _normative_in_force(year: int, department) -> QuerySet:
    # Validity as published now: for a past year, a document repealed since counts as not in force.
    end = _span(year)[1]
    return _disclosures(department).normative().filter(first_published_on__lte=end).in_force(end)


#: The disclosures behind each figure of section 2 that the portal counts: the figure is the
#: number of these records, and the report links each figure to them (``proactive_records``).
PROACTIVE_RECORDS: dict[str, Callable] = {
    "first_published": _first_published,
    "normative_issued": lambda year, department: _first_published(year, department, normative=True),
    "normative_repealed": _normative_repealed,
    "normative_in_force": _normative_in_force,
}
PROACTIVE_LABELS = {
    "first_published": gettext_lazy("Disclosures published for the first time"),
    "normative_issued": gettext_lazy("Normative documents issued"),
    "normative_repealed": gettext_lazy("Normative documents repealed"),
    "normative_in_force": gettext_lazy("Normative documents in force"),
}


def proactive_records(year: int, department, key: str) -> QuerySet:
    """The disclosures behind one figure of section 2."""
    return PROACTIVE_RECORDS[key](year, department)


def _counted(key: str, source, year: int, department) -> Figure:
    query = {"report_figure": key, "report_year": year}
    if department is not None:
        query["department__id__exact"] = department.pk
    return Figure(str(PROACTIVE_LABELS[key]), proactive_records(year, department, key).count(), source,
                  ("admin:disclosures_disclosure_changelist", query))


def proactive_figures(year: int, department=None, report: AnnualReport | None = None) -> list[Figure]:
    """Section 2's figures. Each says where it comes from and leads to its records; one the
    portal cannot compute is None with the reason — never a made-up number."""
    figures = [_counted("first_published", _("published revisions no. 1 in the year"), year, department)]
    figures += normative_document_figures(year, department)
    figures.append(_licensing_decisions(year, department))
    figures.append(Figure(_("Fee income for providing information (yuan)"),
                          report.fee_income if report is not None else None,
                          _("entered on the report: the portal keeps no fee income register")))
    return figures


def normative_document_figures(year: int, department=None) -> list[Figure]:
    """Normative documents (規範性文件) issued, repealed and in force, from the catalogue's
    document metadata as published (the current revision's ``normative``, ``validity``,
    ``repealed_on``; docs/catalogue.md): issued — first published as one in the year; repealed —
    repealed in the year; in force — in force on 31 December. Three queries."""
    source = _("normative documents as published (document metadata)")
    return [
        _counted(key, source, year, department) for key in ("normative_issued", "normative_repealed",
                                                            "normative_in_force")
    ]


def _licensing_decisions(year: int, department) -> Figure:
    label = _("Administrative licensing decisions")
    if not apps.is_installed("approvals"):
        return Figure(label, None, _("the approvals register is not installed"))
    Application = apps.get_model("approvals", "Application")
    decided = Application.objects.decided().filter(decided_on__year=year)
    # The change list shows the same rows: a decision date is set only by deciding.
    query = {"decided_on__year": year}
    if department is not None:
        decided = decided.filter(item__department=department)
        query["item__department__id__exact"] = department.pk
    return Figure(label, decided.count(), _("applications decided in the year"),
                  ("admin:approvals_application_changelist", query))


# --- the whole report --------------------------------------------------------------------------

REVIEW_FIELDS = {
    "review": ("review_upheld", "review_corrected", "review_other", "review_pending"),
    "suit": ("suit_upheld", "suit_corrected", "suit_other", "suit_pending"),
    "suit_after_review": ("suit_after_review_upheld", "suit_after_review_corrected", "suit_after_review_other",
                          "suit_after_review_pending"),
}


@dataclass
class Document:
    year: int
    department: object
    body: str
    proactive: list[Figure]
    requests: dict[str, dict[str, int]]
    review: dict[str, list[int]]
    problems: list[str] = field(default_factory=list)
    report: AnnualReport | None = None

    @property
    def balanced(self) -> bool:
        return not self.problems

    def rows(self):
        """(row, [cells in column order]) for templates and spreadsheets."""
        return [(row, [self.requests[row.key][column] for column in COLUMNS]) for row in ROWS]


def columns() -> list[tuple[str, str]]:
    return [*RequesterType.choices, (TOTAL, _("Total"))]


def build(year: int, department=None, report: AnnualReport | None = None) -> Document:
    """The report as it stands: a final report shows its frozen figures, a draft (or none)
    the records' figures now."""
    if report is not None and report.status == ReportStatus.FINAL and report.figures:
        frozen = report.figures
        return Document(year, department, _body(department), [Figure(**f) for f in frozen["proactive"]],
                        frozen["requests"], frozen["review"], [], report)
    table = requests_table(year, department)
    review = {
        key: [*(getattr(report, name, 0) if report else 0 for name in names)]
        for key, names in REVIEW_FIELDS.items()
    }
    for values in review.values():
        values.append(sum(values))
    return Document(year, department, _body(department), proactive_figures(year, department, report), table, review,
                    imbalances(year, department, table), report)


def frozen_figures(document: Document) -> dict:
    """What a final report keeps (JSON)."""
    return {
        "proactive": [{"label": f.label, "value": None if f.value is None else str(f.value), "source": f.source,
                       "trace": f.trace} for f in document.proactive],
        "requests": document.requests,
        "review": document.review,
    }


def _body(department) -> str:
    return department.name if department is not None else _("the county people's government")
