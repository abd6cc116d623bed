"""Import files read within bounds (docs/import-export.md, "Safe and bounded").

``read_dataset`` is the one way an uploaded CSV or XLSX file becomes the ``tablib.Dataset``
that ``portal.resources.ScopedResource`` imports — in the admin's upload, in the worker's
check and import (``portal.import_jobs``) and in the import-export formats. A file that is
larger than an import may be is refused *before* it costs time or memory, not after it has
been read whole:

* the file's size (``GONGKAI_IMPORT_MAX_BYTES``) first;
* an XLSX workbook — a zip archive — by its central directory before anything is unpacked
  (how many parts, how large each one unpacks: ``GONGKAI_IMPORT_MAX_UNPACKED_BYTES``), then
  by a count of the XML elements of each part, made on the unpacked bytes without parsing
  them (a small file can declare a huge number of styles, each of which openpyxl would turn
  into an object), then by one pass of expat over the shared strings and the active sheet
  (its declared dimension first, then the shape of its rows and the length of its texts);
  only then does openpyxl read, in read-only mode, what the active sheet needs;
* a CSV file (UTF-8, or GB18030/GBK as Excel saves it on a Chinese Windows) is decoded
  and split into rows as it streams, stopping at the first line,
  cell or row over its limit.

Every refusal is a ``FileRefused`` carrying a message for the person importing.
"""

from __future__ import annotations

import codecs
import csv
import io
import struct
import warnings
import zipfile
from dataclasses import dataclass
from itertools import islice

import tablib
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

#: Columns a file may have: every resource has far fewer (the widest, approval items, 21).
MAX_COLUMNS = 100
#: Characters in one cell — the csv module's own field limit, for both formats.
MAX_CELL_CHARS = 131_072
#: Characters in one physical line of a CSV file (a quoted cell may span lines).
MAX_LINE_CHARS = 1_048_576
#: Parts of an XLSX archive: a workbook has a dozen or two.
MAX_PARTS = 1_000
#: Size of the zip's central directory, which ``zipfile`` reads into memory whole.
MAX_DIRECTORY_BYTES = 1_048_576
#: XML elements, and unpacked bytes, of a part that openpyxl builds in memory whole (styles,
#: workbook, relations); Excel's own default workbook has about 200 elements, a richly
#: formatted one a few thousand.
MAX_PART_ELEMENTS = 10_000
MAX_PART_BYTES = 2 * 1024 * 1024
#: XML elements per row a workbook may hold in all: a cell is two or three elements (a
#: shared string two more), so this allows the widest rows a resource has, with room.
ELEMENTS_PER_ROW = 120
#: A blank line in a CSV file is skipped, as tablib does; this many of them per row at most.
BLANK_LINES_PER_ROW = 1


class FileRefused(Exception):
    """The file as a whole cannot be imported; ``message`` says why, for the person importing."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Limits:
    """How much an import file may hold (settings, overridable in tests)."""

    rows: int
    bytes: int
    unpacked_bytes: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            rows=settings.GONGKAI_IMPORT_MAX_ROWS,
            bytes=settings.GONGKAI_IMPORT_MAX_BYTES,
            unpacked_bytes=settings.GONGKAI_IMPORT_MAX_UNPACKED_BYTES,
        )


def read_dataset(fileobj, kind: str, *, name: str | None = None, limits: Limits | None = None) -> tablib.Dataset:
    """The rows of an import file (``kind`` "csv" or "xlsx"): the first row gives the headers.

    ``fileobj`` is a binary, seekable file (an uploaded file, ``BytesIO``). Raises
    ``FileRefused`` when the file is larger than an import may be or cannot be read.
    """
    limits = limits or Limits.from_settings()
    name = name or _("The file")  # never a file object's own name: that can be a server path
    binary = getattr(fileobj, "file", fileobj)  # an UploadedFile's own file: seekable, readable
    binary.seek(0, io.SEEK_END)
    size = binary.tell()
    binary.seek(0)
    if size > limits.bytes:
        raise FileRefused(
            _("“%(name)s” is %(size)s; an import file may be at most %(limit)s. Split it into smaller files.")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limits.bytes)},
            "too_large",
        )
    if kind == "xlsx":
        rows, skip_blank, pad = _xlsx_rows(binary, name, limits), _blank_sheet_row, None
    elif kind == "csv":
        rows, skip_blank, pad = _csv_rows(binary, name, limits), _blank_csv_line, ""
    else:
        raise ValueError(f"unknown import file kind {kind!r}")
    try:
        return _to_dataset(rows, limits, skip_blank=skip_blank, pad=pad)
    finally:
        rows.close()  # a refusal leaves the reader half-way: let it go while the file is open
        binary.seek(0)


def _too_many_rows(limits: Limits) -> FileRefused:
    return FileRefused(
        _("The file has more than %(limit)d rows; at most %(limit)d can be imported at once. "
          "Split it into smaller files.") % {"limit": limits.rows},
        "too_many_rows",
    )


def _to_dataset(rows, limits: Limits, *, skip_blank, pad) -> tablib.Dataset:
    """Rows (the first one the headers) into a dataset, refusing the row past the limit.
    Rows are numbered as a spreadsheet program shows them: the column names are row 1."""
    dataset = tablib.Dataset()
    rows = iter(rows)
    headers = next(rows, None)
    if headers is None:
        return dataset
    dataset.headers = list(headers)
    width = len(dataset.headers)
    for number, row in enumerate(rows, start=2):
        if skip_blank(row):
            continue
        if len(dataset) >= limits.rows:
            raise _too_many_rows(limits)
        row = list(row)
        if len(row) > width:
            raise FileRefused(
                _("Row %(row)d has %(cells)d cells, more than the %(columns)d column names of row 1.")
                % {"row": number, "cells": len(row), "columns": width},
                "ragged",
            )
        dataset.append(row + [pad] * (width - len(row)))
    return dataset


def _blank_csv_line(row) -> bool:
    return not row  # as tablib: a blank line is skipped, a line of empty cells is a row


def _ignores_blank_rows() -> bool:
    # As django-import-export reads a sheet: a blank row is a row unless told otherwise.
    return getattr(settings, "IMPORT_EXPORT_IMPORT_IGNORE_BLANK_LINES", False)


def _blank_sheet_row(row) -> bool:
    return _ignores_blank_rows() and all(cell is None for cell in row)


def _check_cells(row, number: int):
    for column, value in enumerate(row, start=1):
        if isinstance(value, str):
            if len(value) > MAX_CELL_CHARS:
                raise FileRefused(
                    _("Row %(row)d, column %(column)d holds %(chars)d characters; a cell may hold at most %(limit)d.")
                    % {"row": number, "column": column, "chars": len(value), "limit": MAX_CELL_CHARS},
                    "cell_too_long",
                )
            if "\x00" in value:
                raise FileRefused(
                    _("Row %(row)d, column %(column)d holds a NUL character, which no text may contain. "
                      "Save the file again as CSV (UTF-8) or XLSX.") % {"row": number, "column": column},
                    "nul",
                )
    return row


# --- CSV ------------------------------------------------------------------------------
def csv_encoding(binary) -> str:
    """UTF-8 (a BOM is accepted) when the whole file decodes as UTF-8, else GB18030 — what
    Excel on a Chinese Windows saves as “CSV (comma delimited)” (GBK and GB2312 are subsets
    of it). Decided by one pass that decodes and keeps nothing, before any row is read."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := binary.read(65_536):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        return "utf-8-sig"
    except UnicodeDecodeError:
        return "gb18030"
    finally:
        binary.seek(0)


def _csv_rows(binary, name: str, limits: Limits):
    """Rows of a CSV file (UTF-8, a BOM is accepted; or GB18030/GBK) as they are read."""
    text = io.TextIOWrapper(binary, encoding=csv_encoding(binary), newline="")
    records = 0
    try:
        reader = csv.reader(_bounded_lines(text))
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error:
                raise FileRefused(
                    _("Line %(line)d of “%(name)s” cannot be read as CSV: a cell holds more than %(limit)d "
                      "characters or a quote is not closed.") % {"line": reader.line_num, "name": name, "limit": MAX_CELL_CHARS},
                    "csv",
                ) from None
            except UnicodeDecodeError:
                raise FileRefused(
                    _("“%(name)s” is neither UTF-8 nor GB18030 (GBK) text. Save it as “CSV UTF-8 (comma delimited)”.")
                    % {"name": name},
                    "encoding",
                ) from None
            records += 1
            if records > (limits.rows + 1) * (1 + BLANK_LINES_PER_ROW):
                raise _too_many_rows(limits)
            if len(row) > MAX_COLUMNS:
                raise _too_many_columns(len(row))
            yield _check_cells(row, records)
    finally:
        text.detach()  # the upload stays open: the admin keeps it for the confirmation


def _bounded_lines(text):
    while True:
        line = text.readline(MAX_LINE_CHARS + 1)
        if not line:
            return
        if len(line) > MAX_LINE_CHARS:
            raise FileRefused(
                _("A line of the file is longer than %(limit)d characters.") % {"limit": MAX_LINE_CHARS},
                "line_too_long",
            )
        yield line


def _too_many_columns(columns: int) -> FileRefused:
    return FileRefused(
        _("The file has %(columns)d columns; an import reads at most %(limit)d. "
          "Delete the empty columns beside your data.") % {"columns": columns, "limit": MAX_COLUMNS},
        "too_many_columns",
    )


# --- XLSX -----------------------------------------------------------------------------
def _not_a_workbook(name: str) -> FileRefused:
    return FileRefused(
        _("“%(name)s” cannot be read as an XLSX workbook (Excel 2007 or later). "
          "Save it again as .xlsx, or as CSV (UTF-8).") % {"name": name},
        "not_xlsx",
    )


def _xlsx_rows(binary, name: str, limits: Limits):
    _check_directory(binary, name)
    try:
        archive = zipfile.ZipFile(binary)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _not_a_workbook(name) from None
    with archive:
        parts = _check_parts(archive, name, limits)
    binary.seek(0)
    sheet, shape, archive = _open_active_sheet(binary, name, parts, limits)
    try:
        yield from _sheet_rows(sheet, shape, name)
    finally:
        archive.close()


def check_workbook(binary, name: str, *, limits: Limits | None = None) -> None:
    """Refuse (``FileRefused``) an XLSX workbook too large to be read whole — every sheet,
    merged cells and all, as the standard catalogue's import reads it — by the same bounds
    as ``read_dataset``: the directory, what the parts unpack to, their elements."""
    limits = limits or Limits.from_settings()
    _check_directory(binary, name)
    try:
        archive = zipfile.ZipFile(binary)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _not_a_workbook(name) from None
    with archive:
        _check_parts(archive, name, limits)
    binary.seek(0)


def zip_directory(binary) -> tuple[int, int] | None:
    """How many parts a zip archive has and how large its central directory is — which
    ``zipfile`` reads into memory whole — from its end record, before it is read.
    ``None`` if ``binary`` has no end record (it is not a zip archive)."""
    binary.seek(0, io.SEEK_END)
    size = binary.tell()
    tail_size = min(size, 22 + 65_535)  # the record, and at most a maximal archive comment
    binary.seek(size - tail_size)
    tail = binary.read(tail_size)
    binary.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    parts, directory_bytes = struct.unpack("<HI", tail[at + 10 : at + 16])
    return parts, directory_bytes  # 0xFFFF parts: a zip64 archive, which no workbook needs


def _check_directory(binary, name: str) -> None:
    directory = zip_directory(binary)
    if directory is None:
        raise _not_a_workbook(name)
    parts, directory_bytes = directory
    if parts > MAX_PARTS or directory_bytes > MAX_DIRECTORY_BYTES:
        raise FileRefused(
            _("“%(name)s” holds %(parts)d parts; an XLSX workbook holds a few dozen. It cannot be imported.")
            % {"name": name, "parts": parts},
            "too_many_parts",
        )


def _check_parts(archive: zipfile.ZipFile, name: str, limits: Limits) -> dict[str, tuple[int, int]]:
    """Unpacked sizes from the directory (``zipfile`` never unpacks more than a part
    declares), then the XML elements of every part, counted on its unpacked bytes.
    Returns each part's elements and unpacked size."""
    infos = archive.infolist()
    unpacked = sum(info.file_size for info in infos)
    if unpacked > limits.unpacked_bytes:
        raise FileRefused(
            _("“%(name)s” unpacks to %(size)s; an import workbook may unpack to at most %(limit)s. "
              "Split it into smaller files, or save it as CSV (UTF-8).")
            % {"name": name, "size": filesizeformat(unpacked), "limit": filesizeformat(limits.unpacked_bytes)},
            "unpacks_too_large",
        )
    parts = {info.filename: (_count_elements(archive, info, name), info.file_size) for info in infos}
    total = sum(elements for elements, _size in parts.values())
    if total > (limits.rows + 1) * ELEMENTS_PER_ROW:
        raise FileRefused(
            _("“%(name)s” holds %(count)d cells and other elements; a sheet of %(rows)d rows needs far fewer. "
              "Delete what is not data, or split the file.") % {"name": name, "count": total, "rows": limits.rows},
            "too_many_elements",
        )
    for part in ("[Content_Types].xml", "xl/styles.xml"):
        _check_built_part(name, part, parts)
    return parts


def _check_built_part(name: str, part: str, parts: dict[str, tuple[int, int]]) -> None:
    """A part openpyxl builds whole in memory, an object per element: styles, the
    workbook, relations. Its elements and size are limited far below the rows'."""
    elements, size = parts.get(part, (0, 0))
    if elements > MAX_PART_ELEMENTS or size > MAX_PART_BYTES:
        raise FileRefused(
            _("“%(name)s” holds too much formatting or other content in one part (%(part)s) to be read. "
              "Copy the data into a new workbook, or save it as CSV (UTF-8).") % {"name": name, "part": part},
            "too_many_elements",
        )


_XML_START = (b"<", b"\xef\xbb\xbf<", b"\xff\xfe<", b"\xfe\xff\x00<")


def _count_elements(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> int:
    """Opening tags of an XML part, counted in its unpacked bytes without parsing them
    (0 for a part that is not XML, such as a picture: no parser reads it). A part with a
    document type declaration is refused: entities can multiply what a parser produces,
    and no workbook part has one."""
    elements = 0
    carry = b""
    try:
        with archive.open(info) as part:
            first = part.read(1 << 20)
            if not first.lstrip(b" \t\r\n").startswith(_XML_START):
                return 0
            chunk = first
            while chunk:
                seam = carry + chunk[:16]  # a declaration split between two chunks
                if any(declaration in text for declaration in (b"<!DOCTYPE", b"<!ENTITY") for text in (chunk, seam)):
                    raise _not_a_workbook(name)
                elements += chunk.count(b"<") - chunk.count(b"</")
                carry = chunk[-16:]
                chunk = part.read(1 << 20)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, ValueError):
        # A bad checksum, an unknown compression, encryption: not a workbook we can read.
        raise _not_a_workbook(name) from None
    return elements


def _open_active_sheet(binary, name: str, parts: dict[str, tuple[int, int]], limits: Limits):
    """The active sheet, read-only, with only what its cells need: the part list, the
    shared strings, the workbook, the styles (which formats are dates). Unlike
    ``openpyxl.load_workbook`` nothing else is parsed — no other sheet, chart sheet,
    property or link, each of which a hostile file could make as large as it likes. The
    shared strings and the sheet are scanned (``_Scan``) before openpyxl reads them."""
    from openpyxl.reader.excel import ExcelReader, _find_workbook_part
    from openpyxl.packaging.relationship import get_rels_path
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.xml.constants import SHARED_STRINGS

    reader = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it drops
            reader = ExcelReader(binary, read_only=True, data_only=True, keep_links=False)
            reader.read_manifest()
            workbook_part = _find_workbook_part(reader.package).PartName[1:]
            _check_built_part(name, workbook_part, parts)
            _check_built_part(name, get_rels_path(workbook_part), parts)
            strings = reader.package.find(SHARED_STRINGS)
            if strings is not None:
                _StringsScan(name, limits).run(reader.archive, strings.PartName[1:])
            reader.read_strings()
            reader.read_workbook()
            apply_stylesheet(reader.archive, reader.wb)
            # The sheets as openpyxl numbers them (parts that are missing are left out).
            sheets = [(sheet, rel) for sheet, rel in reader.parser.find_sheets() if rel.target in reader.valid_files]
            sheet, rel = sheets[reader.wb._active_sheet_index]
            if "chartsheet" in rel.Type:
                raise _not_a_workbook(name)
            scan = _SheetScan(name, limits)
            scan.run(reader.archive, rel.target)
            sheet = _ScannedSheet(reader.wb, sheet.name, rel.target, reader.shared_strings)
            return sheet, scan.shape, reader.archive
    except FileRefused:
        if reader is not None:
            reader.archive.close()
        raise
    except Exception:
        # A parser fed a hostile or broken file can fail in many ways; each is a refusal.
        if reader is not None:
            reader.archive.close()
        raise _not_a_workbook(name) from None


class _ScannedSheet(ReadOnlyWorksheet):
    """A read-only sheet whose dimension the scan has read: openpyxl would look for it
    again, through the whole sheet when there is none."""

    def _get_size(self):
        pass


class _Scan:
    """One pass of expat over a part, before openpyxl parses it: openpyxl builds every row
    (and every shared string) as a tree with an object per element and keeps elements it
    does not know, so the shape of the XML — not only its size — is checked first. Stops
    at the first thing out of bounds, or as soon as the rest cannot matter (``_Done``)."""

    #: Elements under one cell or one shared string (rich text runs, phonetic hints).
    MAX_CELL_ELEMENTS = 1_000
    #: Depth of the elements whose whole text is one value (a shared string, a cell): the
    #: text of all their runs adds up. Elsewhere each run of text counts alone.
    unit_depth = None

    def __init__(self, name: str, limits: Limits):
        self.name = name
        self.limits = limits
        self.depth = 0
        self.run_chars = self.text_chars = 0  # text since the last tag, and in all

    def run(self, archive: zipfile.ZipFile, part: str) -> None:
        from xml.parsers import expat

        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._text
        parser.StartDoctypeDeclHandler = self._doctype
        try:
            with archive.open(part) as source:
                while chunk := source.read(1 << 16):
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except _Done:
            pass
        except expat.ExpatError:
            raise _not_a_workbook(self.name) from None

    def _start(self, tag, attributes):
        self.depth += 1
        self.start(tag.rpartition(" ")[2], attributes)
        if self.unit_depth is None or self.depth <= self.unit_depth:
            self.run_chars = 0

    def _end(self, tag):
        if self.unit_depth is None or self.depth <= self.unit_depth:
            self.run_chars = 0
        self.depth -= 1

    def _text(self, data):
        # Text is what openpyxl keeps: a cell's, a shared string's. One run longer than a
        # cell may be is refused as it streams, before it is ever held whole.
        self.run_chars += len(data)
        self.text_chars += len(data)
        if self.run_chars > MAX_CELL_CHARS:
            raise FileRefused(
                _("“%(name)s” holds a text of more than %(limit)d characters; a cell may hold at most %(limit)d.")
                % {"name": self.name, "limit": MAX_CELL_CHARS},
                "cell_too_long",
            )
        if self.text_chars > self.limits.bytes:
            raise FileRefused(
                _("“%(name)s” holds more than %(limit)d characters of text; an import may hold at most that. "
                  "Split it into smaller files.") % {"name": self.name, "limit": self.limits.bytes},
                "too_much_text",
            )

    def _doctype(self, *args):
        raise _not_a_workbook(self.name)

    def start(self, tag: str, attributes: dict) -> None:
        raise NotImplementedError

    def too_many(self, where: str) -> FileRefused:
        return FileRefused(
            _("“%(name)s” holds too many elements in %(where)s to be read. Copy the data into a new workbook, "
              "or save it as CSV (UTF-8).") % {"name": self.name, "where": where},
            "too_many_elements",
        )


class _Done(Exception):
    """The scan has seen all that the rows read will reach."""


class _StringsScan(_Scan):
    """The shared strings: ``<sst><si>…</si>…</sst>``, each string a bounded tree, and
    little else."""

    unit_depth = 2

    def __init__(self, name: str, limits: Limits):
        super().__init__(name, limits)
        self.in_string = self.other = 0

    def start(self, tag, attributes):
        if self.depth == 2:
            self.in_string = 0
            if tag != "si":
                self.other += 1
        elif self.depth > 2:
            self.in_string += 1
            if self.in_string > self.MAX_CELL_ELEMENTS:
                raise self.too_many(_("one shared string"))
        if self.other > MAX_PART_ELEMENTS:
            raise self.too_many(_("the shared strings"))


@dataclass(frozen=True)
class _Shape:
    """What will be read of the sheet: rows 1 to ``height``, columns 1 to ``width``;
    ``declared`` when the sheet says so itself (``<dimension ref="A1:M40"/>``)."""

    width: int
    height: int
    declared: bool


class _SheetScan(_Scan):
    """The active sheet: its declared dimension (checked against the limits as soon as it
    is seen), then the rows up to the last one that will be read — cells per row, elements
    per cell — and everything around the rows."""

    def __init__(self, name: str, limits: Limits):
        super().__init__(name, limits)
        self.shape = _Shape(width=MAX_COLUMNS + 1, height=limits.rows + 2, declared=False)
        self.data_depth = None  # the depth of <sheetData> once inside it
        self.other = self.cells = self.in_cell = self.row = 0

    def start(self, tag, attributes):
        if self.data_depth is None:
            self.other += 1
            if tag == "dimension" and not self.shape.declared:
                self.declare(attributes.get("ref", ""))
            elif tag == "sheetData":
                self.data_depth = self.depth
                self.unit_depth = self.depth + 2  # a cell
        elif self.depth == self.data_depth + 1:
            self.other += tag != "row"
            self.row = int(float(attributes["r"])) if "r" in attributes else self.row + 1
            if not self.shape.declared and self.row > self.limits.rows + 1 and not _ignores_blank_rows():
                raise _too_many_rows(self.limits)  # every row up to this one is a row of the file
            if self.row > self.shape.height:
                raise _Done  # openpyxl stops at the same row
            self.cells = 0
        elif self.depth == self.data_depth + 2:
            self.cells += 1
            self.in_cell = 0
            if self.cells > 2 * MAX_COLUMNS:
                raise self.too_many(_("row %(row)d") % {"row": self.row})
        else:
            self.in_cell += 1
            if self.in_cell > self.MAX_CELL_ELEMENTS:
                raise self.too_many(_("row %(row)d") % {"row": self.row})
        if self.other > MAX_PART_ELEMENTS:
            raise self.too_many(_("the sheet outside its rows"))

    def declare(self, ref: str) -> None:
        from openpyxl.utils.cell import range_boundaries

        _min_col, _min_row, max_col, max_row = range_boundaries(ref.upper())
        if max_row is None or max_col is None:
            return
        if max_row - 1 > self.limits.rows:
            raise FileRefused(
                _("The sheet declares %(rows)d rows (%(range)s); at most %(limit)d can be imported at once. "
                  "Delete the empty rows under your data, or split the file.")
                % {"rows": max_row - 1, "range": ref, "limit": self.limits.rows},
                "too_many_rows",
            )
        if max_col > MAX_COLUMNS:
            raise FileRefused(
                _("The sheet declares %(columns)d columns (%(range)s); an import reads at most %(limit)d. "
                  "Delete the empty columns beside your data.")
                % {"columns": max_col, "range": ref, "limit": MAX_COLUMNS},
                "too_many_columns",
            )
        self.shape = _Shape(width=max_col, height=max_row, declared=True)


def _sheet_rows(sheet, shape: _Shape, name: str):
    """The active sheet's rows from row 1, as django-import-export reads them: padded to the
    declared width; without a declared dimension, cut to the widest row."""
    rows = _read_rows(sheet, name, width=shape.width, height=shape.height)
    if shape.declared:
        yield from rows
        return
    rows = list(rows)
    width = max((max((i for i, cell in enumerate(row, 1) if cell is not None), default=0) for row in rows), default=0)
    if width > MAX_COLUMNS:
        raise _too_many_columns(width)
    for row in rows:
        yield row[:width]


def _read_rows(sheet, name: str, *, width: int, height: int):
    rows = sheet.iter_rows(min_row=1, max_row=height, min_col=1, max_col=width, values_only=True)
    try:
        # islice: the parser is never asked for a row past the last one wanted, so whatever
        # the sheet holds after it is not parsed.
        for number, row in enumerate(islice(rows, height), start=1):
            yield _check_cells(row, number)
    except FileRefused:
        raise
    except Exception:
        raise _not_a_workbook(name) from None
    finally:
        rows.close()
