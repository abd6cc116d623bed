"""Data tables of a disclosure (DESIGN §3.2): reading an uploaded CSV or XLSX file into
a header and rows of text, masking it (``portal.masking``), and presenting a published
table — sorted, one page at a time, or as CSV safe to open in a spreadsheet.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.utils.translation import gettext as _

from portal.import_files import FileRefused, Limits, read_dataset
from portal.masking import mask_lone, mask_table
from portal.spreadsheets import escape_formula

#: Limits that keep a table publishable as one JSON snapshot.
MAX_ROWS = 10_000
MAX_COLUMNS = 60
MAX_CELL_CHARS = 1_000
PER_PAGE = 50
#: Types ``portal.uploads.check_upload`` may accept for a table.
TABLE_TYPES = {"csv", "xlsx"}


@dataclass
class ParsedTable:
    header: list[str]
    rows: list[list[str]]
    masked_rows: list[list[str]] = field(default_factory=list)
    masked_columns: list[dict] = field(default_factory=list)


# --- reading ---------------------------------------------------------------------------
def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("The CSV file is neither UTF-8 nor GB18030 text."), code="encoding")


def read_csv(data: bytes) -> list[list[str]]:
    """Rows of a CSV file in UTF-8 (with or without BOM) or GB18030, comma- or tab-separated."""
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as error:
        raise ValidationError(_("The CSV file cannot be read: %(error)s") % {"error": error}, code="csv") from error


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))  # a phone number typed as a number is a float in the sheet
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def read_xlsx(fileobj) -> list[list[str]]:
    """Rows of the workbook's active sheet, as the cells' values (not formulas), read within
    the bounds of ``portal.import_files``: a hostile workbook (a huge declared dimension, a
    zip bomb, entity expansion) is refused before openpyxl parses it."""
    limits = Limits(
        rows=MAX_ROWS + 1,  # the header and one row past the limit, which read_table refuses
        bytes=settings.GONGKAI_UPLOAD_MAX_BYTES,
        unpacked_bytes=settings.GONGKAI_IMPORT_MAX_UNPACKED_BYTES,
    )
    try:
        dataset = read_dataset(fileobj, "xlsx", limits=limits)
    except FileRefused as refused:
        raise ValidationError(refused.message, code=refused.code) from refused
    return [[_cell_text(value) for value in dataset.headers or []], *([_cell_text(v) for v in row] for row in dataset)]


def read_table(fileobj, extension: str) -> ParsedTable:
    """Header and rows of an uploaded table (already checked by ``check_upload``), tidied:
    blank rows and trailing blank columns dropped, every row as wide as the header."""
    fileobj.seek(0)
    raw = read_csv(fileobj.read()) if extension == "csv" else read_xlsx(fileobj)
    rows = [[cell.strip()[:MAX_CELL_CHARS] for cell in row] for row in raw]
    rows = [row for row in rows if any(row)]
    if not rows:
        raise ValidationError(_("The table is empty."), code="empty")
    width = max(max((i + 1 for i, cell in enumerate(row) if cell), default=0) for row in rows)
    if width > MAX_COLUMNS:
        raise ValidationError(
            _("The table has %(count)d columns; at most %(limit)d are accepted.") % {"count": width, "limit": MAX_COLUMNS},
            code="too_wide",
        )
    if len(rows) - 1 > MAX_ROWS:
        raise ValidationError(_("The table has more than %(limit)d rows.") % {"limit": MAX_ROWS}, code="too_long")
    rows = [(row + [""] * width)[:width] for row in rows]
    return ParsedTable(header=rows[0], rows=rows[1:])


def read_and_mask(fileobj, extension: str) -> ParsedTable:
    """Read an uploaded table and mask its personal numbers for publication."""
    table = read_table(fileobj, extension)
    masked_rows, columns = mask_table(table.header, table.rows)
    table.header = [mask_lone(name) for name in table.header]  # a file without a header row starts with a person
    table.masked_rows = masked_rows
    table.masked_columns = [column.as_dict() for column in columns]
    return table


# --- presenting a published table -------------------------------------------------------
_NUMBER = re.compile(r"[+-]?[\d,]*\.?\d+%?")


def _sort_key(cell: str):
    """Numbers (amounts with thousands separators too) before text, numerically."""
    if _NUMBER.fullmatch(cell):
        try:
            return (0, Decimal(cell.replace(",", "").rstrip("%")), "")
        except InvalidOperation:
            pass
    return (1 if cell else 2, Decimal(0), cell)


@dataclass(frozen=True)
class Column:
    index: int
    name: str
    masked: bool
    aria_sort: str  # "ascending", "descending" or "" when the table is not sorted by it
    next_dir: str  # what a click on its header asks for


@dataclass(frozen=True)
class TableView:
    number: int
    title: str
    columns: list[Column]
    sort: int | None
    descending: bool
    page: Page

    @property
    def any_masked(self) -> bool:
        return any(column.masked for column in self.columns)

    @property
    def query(self) -> str:
        """The query string that keeps this table's order across its pages."""
        query = f"table={self.number}"
        if self.sort is not None:
            query += f"&sort={self.sort}&dir={'desc' if self.descending else 'asc'}"
        return query


def _index(value, upper: int) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 <= number < upper else None


def table_view(snapshot: dict, number: int, params) -> TableView:
    """One page of a published table, sorted by the column ``params["sort"]`` (an index)
    in ``params["dir"]`` order (asc or desc). Invalid parameters fall back to the file's order."""
    header = snapshot["header"]
    rows = snapshot["rows"]
    sort = _index(params.get("sort"), len(header))
    descending = params.get("dir") == "desc"
    if sort is not None:
        rows = sorted(rows, key=lambda row: _sort_key(row[sort]), reverse=descending)
    masked = {column["index"] for column in snapshot["masked_columns"]}
    sorted_as = "descending" if descending else "ascending"
    columns = [
        Column(
            index=index,
            name=name,
            masked=index in masked,
            aria_sort=sorted_as if index == sort else "",
            next_dir="desc" if index == sort and not descending else "asc",
        )
        for index, name in enumerate(header)
    ]
    return TableView(
        number=number,
        title=snapshot["title"],
        columns=columns,
        sort=sort,
        descending=descending,
        page=Paginator(rows, PER_PAGE).get_page(params.get("page")),
    )


spreadsheet_safe = escape_formula


def write_csv(snapshot: dict, out) -> None:
    """The masked table as UTF-8 CSV with a BOM (so that Excel reads the Chinese)."""
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([spreadsheet_safe(cell) for cell in snapshot["header"]])
    writer.writerows([spreadsheet_safe(cell) for cell in row] for row in snapshot["rows"])
