"""Tables handed out as CSV or XLSX (the dashboard's and the assessment's), with cells a
spreadsheet would run as formulas neutralised (``portal.spreadsheets``)."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook

from portal.spreadsheets import escape_formula

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _response(content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def csv_response(filename: str, header: list, rows: list[list]) -> HttpResponse:
    response = _response("text/csv; charset=utf-8", filename)
    response.write("\ufeff")  # spreadsheets read UTF-8 with a BOM
    writer = csv.writer(response)
    writer.writerow([escape_formula(str(cell)) for cell in header])
    for row in rows:
        writer.writerow([escape_formula(cell) for cell in row])
    return response


def xlsx_response(filename: str, title: str, header: list, rows: list[list]) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append([escape_formula(str(cell)) for cell in header])
    for row in rows:
        sheet.append([escape_formula(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = _response(XLSX, filename)
    response.write(buffer.getvalue())
    return response


def table_response(fmt: str, filename: str, title: str, header: list, rows: list[list]) -> HttpResponse:
    """``fmt`` is "csv" or "xlsx"."""
    if fmt == "csv":
        return csv_response(f"{filename}.csv", header, rows)
    return xlsx_response(f"{filename}.xlsx", title, header, rows)
