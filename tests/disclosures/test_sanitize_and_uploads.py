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
