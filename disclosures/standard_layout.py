"""The national standard catalogue's workbook layout (基層政務公開標準目錄), read and written.

A county keeps its standard catalogues as workbooks in one fixed layout (docs/catalogue.md):
a title row naming the domain ("（一）重大建設項目領域基層政務公開標準目錄"), then a two-row
header —

    序號 | 公開事項          | 公開內容（要素） | 公開依據 | 公開時限 | 公開主體 | 公開渠道和載體 | 公開對象          | 公開方式
         | 一級事項 | 二級事項 |                  |          |          |          |                | 全社會 | 特定群眾 | 主動 | 依申請公開

— and one row per item: the ticked channels written as "■政府網站 ■兩微一端 □公開查閱點",
audience and manner ticked with ■ or √. One sheet per domain, or one sheet for all with
a title row (or a 領域 column) before each domain's rows. Cells merged over several rows
(an 一級事項, a shared 公開依據) hold their value in every row; "同上" means "as the row
above". Simplified or Traditional text, an XLSX workbook or a CSV file in UTF-8 or GB18030.

This module only turns a file into rows (and rows back into a workbook); it knows no
models. ``disclosures.services.standard_catalogue_import`` matches the rows to domains,
carriers and departments and writes them.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

import openpyxl
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl.utils.exceptions import InvalidFileException

from disclosures.tables import read_csv
from portal.chinese import to_simplified, to_traditional
from portal.import_files import FileRefused, check_workbook

#: Column keys, in the layout's order.
TEXT_COLUMNS = ("item", "sub_item", "elements", "legal_basis", "time_limit", "responsible_body")
TICK_COLUMNS = ("audience_all", "audience_specific", "proactive", "on_request")
REQUIRED = (*TEXT_COLUMNS, "channels", *TICK_COLUMNS)

#: Header words → column key; a sub-header (second row) is looked up first.
SUB_HEADERS = [
    ("一級事項", "item"), ("二級事項", "sub_item"), ("全社會", "audience_all"), ("特定群眾", "audience_specific"),
    ("依申請", "on_request"), ("主動", "proactive"),
]
TOP_HEADERS = [
    ("序號", "number"), ("領域", "domain"), ("公開內容", "elements"), ("公開依據", "legal_basis"),
    ("公開時限", "time_limit"), ("公開主體", "responsible_body"), ("公開渠道", "channels"), ("載體", "channels"),
]
#: Header labels written on export, in the layout's order (Traditional Chinese: the source language).
COLUMN_LABELS = {
    "item": "一級事項", "sub_item": "二級事項", "elements": "公開內容（要素）", "legal_basis": "公開依據",
    "time_limit": "公開時限", "responsible_body": "公開主體", "channels": "公開渠道和載體",
    "audience_all": "全社會", "audience_specific": "特定群眾", "proactive": "主動", "on_request": "依申請公開",
}

TICKED = "■√✓✔☑●"
UNTICKED = "□口☐○"
SAME_AS_ABOVE = "同上"
_SPACES = re.compile(r"\s+")
_BOX = re.compile(f"([{TICKED}{UNTICKED}])")
_SEPARATORS = re.compile(r"[、，,；;\n]+")
_TITLE_NUMBERING = re.compile(r"^[（(]?[一二三四五六七八九十\d]+[）)、.．]\s*")
_TITLE_SUFFIX = re.compile(r"(?:基層政務公開|基层政务公开)?(?:標準目錄|标准目录).*$|[（(](?:試行|试行)[）)]")


@dataclass
class Problem:
    """Something wrong with a place in the file: the sheet, the row (1-based) and the column."""

    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self):
        where = _("sheet “%(sheet)s”") % {"sheet": self.sheet}
        if self.row:
            where += _(", row %(row)d") % {"row": self.row}
        if self.column:
            where += _(", column “%(column)s”") % {"column": self.column}
        return f"{where}: {self.message}"


@dataclass
class LayoutRow:
    sheet: str
    row: int
    domain: str
    item: str = ""
    sub_item: str = ""
    elements: str = ""
    legal_basis: str = ""
    time_limit: str = ""
    responsible_body: str = ""
    channels: list[str] = field(default_factory=list)
    audience_all: bool = False
    audience_specific: bool = False
    proactive: bool = False
    on_request: bool = False

    def cells(self) -> tuple:
        """What the row says, for comparing two readings (round trip)."""
        return (
            self.domain, *(getattr(self, name) for name in TEXT_COLUMNS), tuple(self.channels),
            *(getattr(self, name) for name in TICK_COLUMNS),
        )


@dataclass
class Reading:
    rows: list[LayoutRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def normalise(text) -> str:
    """For matching headers and names: Simplified (many Traditional variants fold into one
    Simplified form, 群眾 and 羣衆 alike), no spaces, ASCII brackets."""
    text = to_simplified(_SPACES.sub("", str(text or "")))
    return text.replace("（", "(").replace("）", ")").replace("／", "/")


def as_traditional(text: str) -> str:
    """Text as stored: Simplified text converted; Traditional text kept exactly as written
    (converting it again would swap variants — 群眾 into 羣衆 — and break the round trip)."""
    return to_traditional(text) if text and to_simplified(text) == text else text


def _has(text: str, label: str) -> bool:
    return normalise(label) in text


def read(fileobj, extension: str, *, sheet_name: str = "") -> Reading:
    """Every row of a standard-catalogue file (``extension``: ``xlsx`` or ``csv``); a file
    that cannot be read at all is one problem, never an exception."""
    reading = Reading()
    try:
        for title, grid in _sheets(fileobj, extension, sheet_name):
            _read_sheet(title, grid, reading)
    except FileRefused as refused:
        reading.problems.append(Problem(sheet_name, None, "", str(refused)))
    except ValidationError as error:  # a CSV file in neither encoding, or malformed
        reading.problems.append(Problem(sheet_name, None, "", " ".join(error.messages)))
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        reading.problems.append(Problem(sheet_name, None, "", _("The file is not a workbook that can be read.")))
    if not reading.rows and not reading.problems:
        reading.problems.append(Problem(sheet_name or "", None, "", _("No catalogue rows were found in the file.")))
    return reading


def _sheets(fileobj, extension: str, sheet_name: str):
    if extension == "csv":
        yield sheet_name or "CSV", [[_text(cell) for cell in row] for row in read_csv(fileobj.read())]
        return
    # Not read-only: merged cells are only known to a full workbook, so the archive is
    # checked first (its directory, what its parts unpack to, how many elements they hold).
    check_workbook(fileobj, sheet_name or "xlsx")
    workbook = openpyxl.load_workbook(fileobj, data_only=True)
    try:
        for sheet in workbook.worksheets:
            grid = [[_text(cell.value) for cell in row] for row in sheet.iter_rows()]
            for merged in sheet.merged_cells.ranges:
                value = grid[merged.min_row - 1][merged.min_col - 1]
                for r in range(merged.min_row - 1, merged.max_row):
                    for c in range(merged.min_col - 1, merged.max_col):
                        grid[r][c] = value
            yield sheet.title, grid
    finally:
        workbook.close()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _title_domain(cells: list[str]) -> str | None:
    """The domain a title row names ("（一）重大建設項目領域基層政務公開標準目錄"), or None."""
    filled = {cell for cell in cells if cell}
    if len(filled) != 1:
        return None
    text = filled.pop()
    if not (_has(normalise(text), "目錄") or _has(normalise(text), "領域")):
        return None
    return domain_name(text)


def domain_name(text: str) -> str:
    """A domain's bare name (as written) from a title, a sheet name or a 領域 cell."""
    text = _TITLE_NUMBERING.sub("", _SPACES.sub("", str(text or "")))
    text = _TITLE_SUFFIX.sub("", text)
    return as_traditional(re.sub("(領域|领域)$", "", text) or text)


def _header_columns(top: list[str], sub: list[str]) -> dict[int, str]:
    columns = {}
    for index, word in enumerate(top):
        below = normalise(sub[index]) if index < len(sub) else ""
        key = next((key for label, key in SUB_HEADERS if _has(below, label)), None)
        if key is None:
            heading = normalise(word)
            key = next((key for label, key in TOP_HEADERS if _has(heading, label)), None)
        if key and key not in columns.values():
            columns[index] = key
    return columns


def _is_header(cells: list[str]) -> bool:
    text = "".join(normalise(cell) for cell in cells)
    return _has(text, "公開事項") or (_has(text, "公開內容") and _has(text, "公開依據"))


def _read_sheet(title: str, grid: list[list[str]], reading: Reading) -> None:
    domain = domain_name(title)
    columns: dict[int, str] | None = None
    labels: dict[str, str] = {}
    previous: LayoutRow | None = None
    number = 0
    while number < len(grid):
        cells = grid[number]
        number += 1
        if not any(cells):
            continue
        named = _title_domain(cells)
        if named is not None:
            domain, columns, previous = named, None, None
            continue
        if _is_header(cells):
            sub = grid[number] if number < len(grid) else []
            columns = _header_columns(cells, sub)
            labels = {key: cells[index] or COLUMN_LABELS.get(key, key) for index, key in columns.items()}
            for index, key in columns.items():
                if key in COLUMN_LABELS and index < len(sub) and sub[index]:
                    labels[key] = sub[index] if key in TICK_COLUMNS or key in ("item", "sub_item") else labels[key]
            missing = [COLUMN_LABELS[key] for key in REQUIRED if key not in columns.values()]
            if missing:
                reading.problems.append(Problem(
                    title, number, "", _("The header lacks these columns of the standard layout: %(columns)s.")
                    % {"columns": "、".join(missing)},
                ))
                columns = None
            number += 1  # the sub-header row
            previous = None
            continue
        if columns is None:
            continue  # text above the first header (a note, the county's name)
        row = _read_row(title, number, cells, columns, labels, domain, previous, reading)
        if row is not None:
            reading.rows.append(row)
            previous = row


def _read_row(title, number, cells, columns, labels, domain, previous, reading) -> LayoutRow | None:
    values = {key: (cells[index] if index < len(cells) else "") for index, key in columns.items()}
    if not any(values.get(key) for key in (*TEXT_COLUMNS, "channels")):
        return None  # a row of marks only, or a footnote under the table
    row = LayoutRow(sheet=title, row=number, domain=domain_name(values["domain"]) if values.get("domain") else domain)
    for key in TEXT_COLUMNS:
        text = values.get(key, "")
        if normalise(text) == SAME_AS_ABOVE:
            if previous is None:
                reading.problems.append(Problem(title, number, labels[key], _("“同上” with no row above it.")))
            text = getattr(previous, key, "") if previous else ""
        elif not text and key == "item" and previous is not None:
            text = previous.item  # an 一級事項 written once over several rows (a merge saved as CSV)
        setattr(row, key, as_traditional(text))
    if not row.item:
        reading.problems.append(Problem(title, number, labels["item"], _("The item (一級事項) is empty.")))
    channels = values.get("channels", "")
    if normalise(channels) == SAME_AS_ABOVE and previous is not None:
        row.channels = list(previous.channels)
    else:
        row.channels = ticked_names(channels)
    for key in TICK_COLUMNS:
        mark = normalise(values.get(key, ""))
        if mark and mark not in TICKED and mark not in UNTICKED and mark not in ("是", "否"):
            reading.problems.append(Problem(
                title, number, labels[key], _("“%(mark)s” is not a tick: use ■ or √, or leave the cell empty.")
                % {"mark": values.get(key)},
            ))
        setattr(row, key, bool(mark) and (mark in TICKED or mark == "是"))
    return row


def ticked_names(cell: str) -> list[str]:
    """The ticked names of a channels cell: "■政府網站 □公開查閱點 ■兩微一端" gives the first and
    the last; a cell without any box lists its names plainly ("政府網站、公開欄")."""
    text = as_traditional(cell or "")
    if not _BOX.search(text):
        return [name.strip() for name in _SEPARATORS.split(_SPACES.sub("、", text.strip())) if name.strip()]
    names, ticked = [], None
    for part in _BOX.split(text):
        if not part:
            continue
        if part in TICKED or part in UNTICKED:
            ticked = part in TICKED
            continue
        name = part.strip(" \u3000、，,；;\n")
        if name and ticked:
            names.append(name)
    return names


# --- writing -----------------------------------------------------------------------------
def write(domains: list[tuple[str, list[LayoutRow]]]) -> bytes:
    """An XLSX workbook in the standard layout: one sheet per domain, its title row, the
    two-row header, the 一級事項 (and its 序號) merged over its rows as counties write them."""
    from openpyxl.styles import Alignment, Font

    from portal.spreadsheets import escape_formula

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    wrap = Alignment(wrap_text=True, vertical="center")
    for name, rows in domains:
        sheet = workbook.create_sheet(title=_sheet_title(name))
        sheet.append([f"{name}領域基層政務公開標準目錄"])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=12)
        sheet.cell(1, 1).font = Font(bold=True, size=14)
        sheet.append(["序號", "公開事項", "", "公開內容（要素）", "公開依據", "公開時限", "公開主體", "公開渠道和載體",
                      "公開對象", "", "公開方式", ""])
        sheet.append(["", "一級事項", "二級事項", "", "", "", "", "", "全社會", "特定群眾", "主動", "依申請公開"])
        for first, last in ((2, 3), (9, 10), (11, 12)):
            sheet.merge_cells(start_row=2, start_column=first, end_row=2, end_column=last)
        for column in (1, 4, 5, 6, 7, 8):
            sheet.merge_cells(start_row=2, start_column=column, end_row=3, end_column=column)
        group, start = 0, None
        for offset, row in enumerate(rows):
            here = 4 + offset
            if offset == 0 or row.item != rows[offset - 1].item:
                group += 1
                _merge_run(sheet, start, here - 1)
                start = here
            sheet.append([
                group, *(escape_formula(getattr(row, key)) for key in TEXT_COLUMNS),
                " ".join(f"■{channel}" for channel in row.channels),
                *("√" if getattr(row, key) else "" for key in TICK_COLUMNS),
            ])
            for cell in sheet[here]:
                cell.alignment = wrap
        _merge_run(sheet, start, 3 + len(rows))
        for letter, width in zip("ABCDEFGHIJKL", (6, 16, 16, 40, 36, 20, 16, 24, 7, 7, 7, 9)):
            sheet.column_dimensions[letter].width = width
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.print_title_rows = "2:3"
    if not workbook.worksheets:
        workbook.create_sheet(title="標準目錄")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _merge_run(sheet, start: int | None, end: int) -> None:
    if start is not None and end > start:
        for column in (1, 2):
            sheet.merge_cells(start_row=start, start_column=column, end_row=end, end_column=column)


def _sheet_title(name: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "", name)[:31] or "領域"
