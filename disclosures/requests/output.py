"""The yearly report as HTML (a page, a printable page, the body of a disclosure) and XLSX."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from disclosures.requests import report as yearly
from portal.spreadsheets import escape_formula


def _records_url(figure: yearly.Figure) -> str | None:
    if not figure.trace:
        return None
    name, query = figure.trace
    return f"{reverse(name)}?{urlencode(query)}"


def context(document: yearly.Document, *, trace_url: str | None = None) -> dict:
    """``trace_url``: the request change list, when each figure is to link to its records."""
    return {
        "document": document,
        "proactive": [(figure, _records_url(figure) if trace_url else None) for figure in document.proactive],
        "columns": yearly.columns(),
        "rows": document.rows(),
        "review_columns": [_("Upheld"), _("Corrected"), _("Other result"), _("Not concluded"), _("Total")],
        "review_rows": [
            (_("Administrative review"), document.review["review"]),
            (_("Litigation without review"), document.review["suit"]),
            (_("Litigation after review"), document.review["suit_after_review"]),
        ],
        "trace_url": trace_url,
    }


def html_fragment(document: yearly.Document, *, trace_url: str | None = None) -> str:
    """The report's six sections as HTML (no page around them)."""
    return render_to_string("disclosures/requests/_annual_report.html", context(document, trace_url=trace_url))


def xlsx(document: yearly.Document) -> bytes:
    """One sheet per table of figures, and the text sections."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Requests")[:31]
    sheet.append([escape_formula(_("%(year)s yearly report of %(body)s") % {"year": document.year, "body": document.body})])
    sheet["A1"].font = Font(bold=True)
    sheet.append([""] + [str(label) for _key, label in yearly.columns()])
    for row, cells in document.rows():
        sheet.append(["  " * row.level + str(row.label), *cells])
    sheet.column_dimensions["A"].width = 48
    proactive = book.create_sheet(_("Proactive disclosure")[:31])
    proactive.append([_("Figure"), _("Value"), _("Source")])
    for figure in document.proactive:
        proactive.append([escape_formula(str(figure.label)),
                          "" if figure.value is None else escape_formula(str(figure.value)),
                          escape_formula(str(figure.source))])
    review = book.create_sheet(_("Review and litigation")[:31])
    page = context(document)
    review.append(["", *page["review_columns"]])
    for label, values in page["review_rows"]:
        review.append([str(label), *values])
    if document.report is not None:
        text = book.create_sheet(_("Text")[:31])
        for label, value in ((_("Overview"), document.report.overview),
                             (_("Proactive disclosure"), document.report.proactive_notes),
                             (_("Problems and improvements"), document.report.problems),
                             (_("Other matters"), document.report.other_matters)):
            text.append([str(label), escape_formula(value)])
            text.cell(row=text.max_row, column=2).alignment = Alignment(wrap_text=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
