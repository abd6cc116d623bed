"""Import files built to hurt a server that reads them whole (issue 11, item 9), written
to disk as they are built (a 100 MB shared string never sits in the test's memory)."""

import csv
import io
import zipfile

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<workbook {NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/></Relationships>'
)
STYLES = (
    f'<styleSheet {NS}><fonts count="1"><font/></fonts><fills count="1"><fill><patternFill patternType="none"/>'
    '</fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs></styleSheet>'
)
EMPTY_STRINGS = f'<sst {NS} count="0" uniqueCount="0"></sst>'


def cell(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet(rows_xml, dimension=None):
    dimension = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}>{dimension}<sheetData>{rows_xml}</sheetData></worksheet>'


def workbook(path, sheet_xml, *, strings=EMPTY_STRINGS, styles=STYLES, write_strings=None):
    """An XLSX file at ``path``; ``write_strings(part)`` streams the shared strings instead."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", styles)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        if write_strings:
            with archive.open("xl/sharedStrings.xml", "w") as part:
                write_strings(part)
        else:
            archive.writestr("xl/sharedStrings.xml", strings)
    return path


def huge_dimension(path):
    """Under 2 KB that claims A1:XFD3000 — with 3,000 empty rows that openpyxl pads to
    16,384 cells each: 49 million cells from a file smaller than this docstring."""
    return workbook(path, sheet(f'<row r="1">{cell("A1", "title")}</row>' + "<row/>" * 2999, "A1:XFD3000"))


def shared_string_bomb(path, megabytes=100):
    """About 100 KB whose one shared string unpacks to 100 MB."""

    def write(part):
        part.write(f'<sst {NS} count="1" uniqueCount="1"><si><t>'.encode())
        block = b"A" * (1 << 20)
        for _ in range(megabytes):
            part.write(block)
        part.write(b"</t></si></sst>")

    rows = f'<row r="1">{cell("A1", "title")}</row><row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    return workbook(path, sheet(rows, "A1:A2"), write_strings=write)


def style_bomb(path, styles=200_000):
    """About 20 KB with 200,000 cell formats, each of which openpyxl makes an object of."""
    xfs = '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' * styles
    bloated = STYLES.replace(
        '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>',
        f'<cellXfs count="{styles}">{xfs}</cellXfs>',
    )
    return workbook(path, sheet(f'<row r="1">{cell("A1", "title")}</row>', "A1:A1"), styles=bloated)


def rows_without_dimension(path, rows=300_000):
    """300,000 rows and no <dimension>: nothing says how large the sheet is until it is read."""
    body = f'<row r="1">{cell("A1", "title")}</row>' + "".join(
        f'<row><c t="inlineStr"><is><t>t{number}</t></is></c></row>' for number in range(rows)
    )
    return workbook(path, sheet(body))


def entity_expansion(path):
    """The "billion laughs": entities that multiply into a gigabyte when parsed."""
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + level)} "' + f"&{chr(97 + level)};" * 10 + '">' for level in range(8)
    )
    strings = f'<?xml version="1.0"?><!DOCTYPE sst [{entities}]><sst {NS}><si><t>&i;</t></si></sst>'
    rows = f'<row r="1">{cell("A1", "title")}</row><row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    return workbook(path, sheet(rows, "A1:A2"), strings=strings)


def many_parts(path, parts=60_000):
    """A zip of 60,000 empty parts, whose directory alone costs memory to read."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for number in range(parts):
            archive.writestr(str(number), b"")
    return path


def csv_rows(path, rows, columns=("department", "title")):
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(columns)
        for number in range(rows):
            writer.writerow(["dept-a", f"第{number}份"] + [""] * (len(columns) - 2))
    return path


def csv_long_line(path, megabytes=8):
    """One line of 8 MB: no newline for a line reader to stop at."""
    with open(path, "wb") as out:
        out.write(b"title\n")
        block = b"x" * (1 << 20)
        for _ in range(megabytes):
            out.write(block)
    return path


def xlsx_bytes(rows):
    """A genuine workbook (openpyxl), as bytes."""
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
