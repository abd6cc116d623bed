"""Rich text is sanitised on save whatever is pasted; uploads are judged by content."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from portal.uploads import check_upload
from tests.factories import DisclosureFactory

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">點擊</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
    "<a href=\"&#106;avascript:alert(1)\">x</a>",
    "<svg onload=alert(1)></svg>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<p style=\"background:url(javascript:alert(1))\">x</p>",
    "<div onclick=\"alert(1)\">x</div>",
    "<object data=\"x.swf\"></object>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<form action=\"javascript:alert(1)\"><button>x</button></form>",
    "<body onload=alert(1)>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
    "<!--<img src=x onerror=alert(1)>-->",
]


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_script_survives_the_save(department_a, payload):
    disclosure = DisclosureFactory(department=department_a, body=f"<p>正文</p>{payload}")
    disclosure.refresh_from_db()
    body = disclosure.body.lower()
    for dangerous in ("<script", "onerror", "onload", "onclick", "javascript:", "<iframe", "<svg", "<object", "style=", "data:text", "<form"):
        assert dangerous not in body
    assert "正文" in disclosure.body


@pytest.mark.django_db
def test_structure_and_safe_links_are_kept(department_a):
    body = '<h2>說明</h2><table><tr><th scope="col">項目</th></tr></table><a href="https://gov.example/x">依據</a>'
    disclosure = DisclosureFactory(department=department_a, body=body)
    assert "<h2>說明</h2>" in disclosure.body and 'href="https://gov.example/x"' in disclosure.body
    assert 'rel="noopener noreferrer nofollow"' in disclosure.body


def upload(name, data):
    return SimpleUploadedFile(name, data)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def xlsx_bytes():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


@pytest.mark.parametrize("name,data,kind", [
    ("預算.pdf", PDF, "pdf"),
    ("photo.png", PNG, "png"),
    ("名單.csv", "姓名,金額\n張三,100\n".encode(), "csv"),
    ("名單.csv", "姓名,金額\n張三,100\n".encode("gb18030"), "csv"),
    ("表.xlsx", xlsx_bytes(), "xlsx"),
    ("renamed.txt", PDF, "pdf"),  # the name does not matter, the content does
])
def test_accepted_by_content(name, data, kind):
    assert check_upload(upload(name, data)).extension == kind


@pytest.mark.parametrize("name,data", [
    ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00 executable"),  # a program named .pdf
    ("page.csv", b"<html><script>alert(1)</script></html>,"),
    ("archive.docx", b"PK\x03\x04 not really a zip"),
    ("notes.pdf", b"just some words without separators"),
    ("empty.pdf", b""),
])
def test_refused_by_content_with_a_clear_message(name, data):
    with pytest.raises(ValidationError) as error:
        check_upload(upload(name, data))
    assert name in error.value.messages[0] and "PDF" in error.value.messages[0]


@override_settings(GONGKAI_UPLOAD_MAX_BYTES=100)
def test_size_limit_is_configurable():
    with pytest.raises(ValidationError) as error:
        check_upload(upload("big.pdf", PDF + b" " * 200))
    assert error.value.code == "too_large"


def test_digest_is_sha256_of_content():
    import hashlib

    assert check_upload(upload("a.pdf", PDF)).sha256 == hashlib.sha256(PDF).hexdigest()


# --- issue 11, item 10: a file is what its name and its whole head say ----------------
SVG_AFTER_DATA = (
    b" " * 300 + b"a,b\n"
    + b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.domain)</script></svg>\n'
)
PDF_WITH_HTML = PDF + b"<html><body><script>alert(document.cookie)</script></body></html>\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
GIF = b"GIF89a" + b"\x00" * 32
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32


def zip_bytes(parts):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize("name,data,code,shown", [
    ("data.csv", SVG_AFTER_DATA, "markup", "<svg"),
    ("page.html", PDF_WITH_HTML, "active_name", "page.html"),
    ("page.HTM", PDF, "active_name", "page.HTM"),
    ("page.html.", PDF, "active_name", "page.html."),
    ("page.xhtml", PDF, "active_name", "page.xhtml"),
    ("drawing.svg", PNG, "active_name", "drawing.svg"),
    ("app.js", "標題,金額\n甲,1\n".encode(), "active_name", "app.js"),
    ("deep.csv", b"a,b\n" + b"1,2\n" * 30_000 + b"<ScRiPt>alert(1)</script>\n", "markup", "<ScRiPt"),
    ("seam.csv", b"a,b\n" + b"x" * (64 * 1024 - 7) + b"<script>alert(1)</script>", "markup", "<script"),
    ("bom.csv", b"\xef\xbb\xbf  \r\n<!DOCTYPE html><p>a,b</p>", "markup", "<!DOCTYPE"),
    ("feed.csv", b"<?xml version='1.0'?><a>1,2</a>", "markup", "<?xml"),
    ("frame.csv", b"a,b\n<iframe src=//evil.example>,1\n", "markup", "<iframe"),
    ("report.pdf", "標題,金額\n甲,1\n".encode(), "file_type", ".pdf file but holds a CSV file"),
    ("photo.png", PDF, "file_type", ".png file but holds a PDF file"),
])
def test_an_upload_attack_is_refused_with_a_clear_message(name, data, code, shown):
    from django.utils import translation

    with pytest.raises(ValidationError) as error, translation.override("en"):
        check_upload(upload(name, data))
    assert error.value.code == code
    message = error.value.messages[0]
    assert f"“{name}”" in message and shown in message and "Accepted: PDF" in message


def test_a_page_declared_by_the_browser_is_refused_whatever_its_name():
    with pytest.raises(ValidationError) as error:
        check_upload(SimpleUploadedFile("notice.pdf", PDF_WITH_HTML, content_type="text/html"))
    assert error.value.code == "active_name"


def test_a_zip_with_a_huge_directory_is_refused_before_it_is_read():
    import time
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for number in range(20_000):
            archive.writestr(f"word/{number}", b"")
    started = time.perf_counter()
    with pytest.raises(ValidationError) as error:
        check_upload(upload("letter.docx", buffer.getvalue()))
    assert error.value.code == "file_type" and time.perf_counter() - started < 0.5


@pytest.mark.parametrize("name,data,kind", [
    ("notice.pdf", PDF_WITH_HTML, "pdf"),  # markup inside a PDF is the PDF's: it is served as one
    ("photo.jpg", JPEG, "jpg"),
    ("photo.jpeg", JPEG, "jpg"),
    ("photo.jpg", PNG, "png"),  # a picture of another format is still a picture
    ("anim.gif", GIF, "gif"),
    ("photo.webp", WEBP, "webp"),
    ("letter.docx", zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}), "docx"),
    ("slides.pptx", zip_bytes({"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p/>"}), "pptx"),
    ("letter.odt", zip_bytes({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<o/>"}), "odt"),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32, "doc"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32, "doc"),
    ("名單.csv", "金額,說明\n<10,a<b 與 <p>段落</p>\n".encode(), "csv"),  # a “<” in data is data
    ("大表.csv", ("序號,名稱\n" + "".join(f"{n},公開事項第{n}項\n" for n in range(6_000))).encode(), "csv"),
    ("邊界.csv", b"ab,c\n" + "甲".encode() * 30_000, "csv"),  # the 64 KB sample ends inside a character
    ("名單.tsv", "姓名\t金額\n張三\t100\n".encode(), "csv"),
    ("名單", "姓名,金額\n張三,100\n".encode(), "csv"),  # no extension: the content decides
])
def test_genuine_files_still_pass(name, data, kind):
    assert check_upload(upload(name, data)).extension == kind
