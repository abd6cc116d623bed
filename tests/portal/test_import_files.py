"""Import files are read within bounds (portal.import_files): hostile files are refused in
under a second and under 50 MB of extra memory, measured in a fresh process; genuine files
read exactly as django-import-export read them before."""

import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from import_export.formats import base_formats

from portal.import_files import FileRefused, Limits, read_dataset
from tests.portal import hostile_files

BASE_DIR = Path(settings.BASE_DIR)

#: Run in a fresh interpreter: reads one file and reports the time it took and the peak
#: resident memory above what the process held before (the peak is reset first, so
#: Django's start-up does not count). Memory is the process's, C libraries included.
MEASURE = r"""
import io, json, os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.test_settings")
import django
django.setup()
from portal.import_files import FileRefused, read_dataset
from tests.portal.hostile_files import xlsx_bytes

def memory(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024

path, kind = sys.argv[1], sys.argv[2]
read_dataset(io.BytesIO(b"a,b\n1,2\n"), "csv")  # load what a read loads lazily
read_dataset(io.BytesIO(xlsx_bytes([["a"], [1]])), "xlsx")
try:
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")  # reset the peak (VmHWM) to the present
except OSError:
    pass  # the peak then includes start-up: the figure can only be too high
before = memory("VmRSS")
start = time.perf_counter()
code = None
if kind == "allocate":
    held = bytearray(int(path))
    held[:: 4096] = b"x" * len(held[:: 4096])
else:
    try:
        with open(path, "rb") as upload:
            read_dataset(upload, kind, name=os.path.basename(path))
    except FileRefused as refusal:
        code = refusal.code
seconds = time.perf_counter() - start
print(json.dumps({"code": code, "seconds": seconds, "extra_mb": (memory("VmHWM") - before) / 2**20}))
"""


@pytest.fixture(autouse=True)
def english():
    """These tests read the messages: read them in the source language."""
    with translation.override("en"):
        yield


def measure(path, kind):
    env = {**os.environ, "PYTHONPATH": str(BASE_DIR)}
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path), kind], cwd=BASE_DIR, env=env, capture_output=True, text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


HOSTILE = [
    # (what, builder, kind, the refusal)
    ("XLSX of 2 KB claiming A1:XFD3000", hostile_files.huge_dimension, "xlsx", "too_many_columns"),
    ("XLSX of 100 KB with a 100 MB shared string", hostile_files.shared_string_bomb, "xlsx", "unpacks_too_large"),
    ("XLSX of 30 KB with a 30 MB shared string, under the unpacking limit",
     lambda path: hostile_files.shared_string_bomb(path, megabytes=30), "xlsx", "cell_too_long"),
    ("XLSX of 20 KB with 200,000 cell formats", hostile_files.style_bomb, "xlsx", "too_many_elements"),
    ("XLSX of 300,000 rows without a dimension",
     hostile_files.rows_without_dimension, "xlsx", "too_many_elements"),
    ("XLSX of 100,000 rows without a dimension",
     lambda path: hostile_files.rows_without_dimension(path, rows=100_000), "xlsx", "too_many_rows"),
    ("XLSX with entity expansion (billion laughs)", hostile_files.entity_expansion, "xlsx", "not_xlsx"),
    ("zip of 60,000 parts named .xlsx", hostile_files.many_parts, "xlsx", "too_many_parts"),
    ("CSV of 300,000 rows", lambda path: hostile_files.csv_rows(path, 300_000), "csv", "too_many_rows"),
    ("CSV of 5,001 rows of 13 columns",
     lambda path: hostile_files.csv_rows(path, 5_001, columns=("department", "title") + ("x",) * 11), "csv",
     "too_many_rows"),
    ("CSV of one 8 MB line", hostile_files.csv_long_line, "csv", "line_too_long"),
]


@pytest.mark.parametrize(("what", "build", "kind", "code"), HOSTILE, ids=[case[0] for case in HOSTILE])
def test_a_hostile_file_is_refused_in_under_a_second_and_50_mb(tmp_path, what, build, kind, code):
    path = build(tmp_path / f"hostile.{kind}")

    figures = measure(path, kind)

    print(f"\n{what}: {path.stat().st_size:,} bytes, refused ({figures['code']}) in "
          f"{figures['seconds'] * 1000:.0f} ms, {figures['extra_mb']:.1f} MB extra")
    assert figures["code"] == code
    assert figures["seconds"] < 1.0
    assert figures["extra_mb"] < 50


def test_the_measurement_sees_memory_that_is_used(tmp_path):
    """Guard: the figures above are not zero because nothing is counted."""
    figures = measure(80 * 1024 * 1024, "allocate")
    assert figures["extra_mb"] > 75


# --- genuine files -------------------------------------------------------------------
def test_a_genuine_workbook_reads_as_django_import_export_read_it():
    content = hostile_files.xlsx_bytes([
        ["title", "formed_on", "amount", "note"],
        ["2026年預算", dt.date(2026, 3, 2), 1200, None],
        ["決算", dt.datetime(2026, 4, 1, 9, 30), 3.5, "=已付"],
        [None, None, None, None],
        ["最後一行", None, 0, "x"],
    ])

    ours = read_dataset(io.BytesIO(content), "xlsx")
    theirs = base_formats.XLSX().create_dataset(content)

    assert ours.headers == theirs.headers == ["title", "formed_on", "amount", "note"]
    assert [list(row) for row in ours] == [list(row) for row in theirs]
    assert ours[0] == ("2026年預算", dt.datetime(2026, 3, 2), 1200, None) and len(ours) == 4


def test_a_genuine_csv_reads_as_django_import_export_read_it():
    content = "\ufefftitle,summary,body\n預算,\"兩行\n的摘要\",<p>x</p>\n\n短行\n,,\n".encode()

    ours = read_dataset(io.BytesIO(content), "csv")
    theirs = base_formats.CSV(encoding="utf-8-sig").create_dataset(content)

    assert ours.headers == theirs.headers == ["title", "summary", "body"]
    assert [list(row) for row in ours] == [list(row) for row in theirs]
    assert list(ours[0]) == ["預算", "兩行\n的摘要", "<p>x</p>"] and len(ours) == 3


def test_a_sheet_without_a_dimension_is_cut_to_its_widest_row(tmp_path):
    rows = (f'<row r="1">{hostile_files.cell("A1", "title")}{hostile_files.cell("B1", "summary")}</row>'
            f'<row r="2">{hostile_files.cell("A2", "預算")}</row>')
    path = hostile_files.workbook(tmp_path / "plain.xlsx", hostile_files.sheet(rows))

    dataset = read_dataset(path.open("rb"), "xlsx")

    assert dataset.headers == ["title", "summary"] and list(dataset[0]) == ["預算", None]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_row_limit_is_exact(kind):
    limits = Limits(rows=3, bytes=1 << 20, unpacked_bytes=1 << 22)
    rows = [["title"]] + [[f"第{n}份"] for n in range(4)]

    def content(count):
        if kind == "xlsx":
            return hostile_files.xlsx_bytes(rows[: count + 1])
        return "\n".join(row[0] for row in rows[: count + 1]).encode()

    assert len(read_dataset(io.BytesIO(content(3)), kind, limits=limits)) == 3
    with pytest.raises(FileRefused) as refused:
        read_dataset(io.BytesIO(content(4)), kind, limits=limits)
    assert refused.value.code == "too_many_rows"
    assert "at most 3 can be imported at once" in refused.value.message


@pytest.mark.parametrize(("content", "code", "words"), [
    (b"title\n\xff\xfe\n", "encoding", "is neither UTF-8 nor GB18030 (GBK) text"),
    (b"title\nab\x00c\n", "nul", "NUL"),
    (b"title,summary\na,b,c\n", "ragged", "Row 2 has 3 cells, more than the 2 column names of row 1."),
    (b"title\n\"never closed\n" + b"x" * 140_000, "csv", "cannot be read as CSV"),
])
def test_a_broken_csv_is_refused_with_a_message_that_says_why(content, code, words):
    with pytest.raises(FileRefused) as refused:
        read_dataset(io.BytesIO(content), "csv", name="名單.csv")
    assert refused.value.code == code
    assert words in refused.value.message


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_a_csv_in_utf8_or_as_excel_saves_it_on_chinese_windows_is_read(encoding):
    """Excel on a Chinese Windows saves “CSV (comma delimited)” in GBK (GB18030's subset)."""
    content = "標題,摘要\n2026年部門預算,收支總表\n".encode(encoding)
    dataset = read_dataset(io.BytesIO(content), "csv", name="名單.csv")
    assert (dataset.headers, list(dataset)) == (["標題", "摘要"], [("2026年部門預算", "收支總表")])


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 not a zip", b"%PDF-1.4 not a workbook", b"PK\x05\x06" + b"\x00" * 18])
def test_what_is_not_a_workbook_is_refused_as_such(content):
    with pytest.raises(FileRefused) as refused:
        read_dataset(io.BytesIO(content), "xlsx", name="表.xlsx")
    assert refused.value.code == "not_xlsx"
    assert "“表.xlsx” cannot be read as an XLSX workbook" in refused.value.message


def test_a_file_over_the_byte_limit_is_refused_before_it_is_read(settings):
    settings.GONGKAI_IMPORT_MAX_BYTES = 100
    with pytest.raises(FileRefused) as refused:
        read_dataset(io.BytesIO(b"title\n" + b"x" * 200), "csv", name="big.csv")
    assert refused.value.code == "too_large"
    assert "“big.csv” is 206\xa0bytes; an import file may be at most 100\xa0bytes." in refused.value.message


def test_a_refusal_never_names_a_server_path(tmp_path):
    path = hostile_files.huge_dimension(tmp_path / "secret-server-folder.xlsx")
    with pytest.raises(FileRefused) as refused, path.open("rb") as upload:
        read_dataset(upload, "xlsx")
    assert str(tmp_path) not in refused.value.message and "secret-server-folder" not in refused.value.message


def test_the_sheet_read_is_the_active_one_as_before():
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["title"])
    book.active.append(["第一張表"])
    second = book.create_sheet("第二張")
    second.append(["title", "summary"])
    second.append(["第二張表", "摘要"])
    book.active = 1
    out = io.BytesIO()
    book.save(out)

    ours = read_dataset(io.BytesIO(out.getvalue()), "xlsx")

    theirs = base_formats.XLSX().create_dataset(out.getvalue())
    assert ours.headers == theirs.headers == ["title", "summary"]
    assert list(ours[0]) == list(theirs[0]) == ["第二張表", "摘要"]


def test_the_runs_of_one_rich_text_string_add_up_to_its_length(tmp_path):
    runs = "".join(f"<r><t>{'甲' * 1_000}</t></r>" for _ in range(140))  # each run short, the whole too long
    strings = f'<sst {hostile_files.NS}><si>{runs}</si></sst>'
    rows = f'<row r="1">{hostile_files.cell("A1", "title")}</row><row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    path = hostile_files.workbook(tmp_path / "rich.xlsx", hostile_files.sheet(rows, "A1:A2"), strings=strings)

    with pytest.raises(FileRefused) as refused, path.open("rb") as upload:
        read_dataset(upload, "xlsx")
    assert refused.value.code == "cell_too_long"
