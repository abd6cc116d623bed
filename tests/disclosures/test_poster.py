"""The printable poster: A4 print layout with the full notice, its dates, numbers and ledger
hash, and a QR code that a real decoder reads back as the notice's permanent URL with the
printed revision's hash prefix; the page it leads to says whether the paper is current."""

import re

import pytest
import zxingcpp
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disclosures import services
from disclosures.models import Scope
from tests.factories import DisclosureFactory, category

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(department_a, publisher_a, reviewer_a, publish):
    disclosure = DisclosureFactory(
        department=department_a, title="2026年糧食補貼發放公示", body="<p>補貼標準每畝<strong>120元</strong>。</p>",
        document_number="漢農發〔2026〕3號",
    )
    publish(disclosure, publisher_a, reviewer_a)
    disclosure.refresh_from_db()
    return disclosure


def poster(client, disclosure):
    response = client.get(reverse("disclosures:poster", args=[disclosure.pk]))
    assert response.status_code == 200
    return response.content.decode()


def decode_qr(html: str) -> str:
    """Rasterise the inline SVG that segno drew (horizontal runs of dark modules, one
    path) at 4 px a module and decode it with zxing-cpp, as a phone would."""
    svg = re.search(r"<svg[^>]*viewBox=\"0 0 (\d+) (\d+)\"[^>]*>.*?</svg>", html, re.S)
    assert svg, "no inline SVG QR code"
    size = int(svg.group(1))
    path = re.search(r' d="([^"]+)"', svg.group(0)).group(1)
    dark = [[False] * size for _ in range(size)]
    x = y = 0.0
    for command, a, b in re.findall(r"([MmHh])(-?[\d.]+)(?: (-?[\d.]+))?", path):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:  # h: a run of dark modules along row y - 0.5
            length = float(a)
            for column in range(int(x), int(x + length)):
                dark[int(y)][column] = True
            x += length
    scale = 4
    pixels = bytearray()
    for row in dark:
        line = bytes(0 if module else 255 for module in row for _ in range(scale))
        pixels += line * scale
    image = memoryview(bytes(pixels)).cast("B", (size * scale, size * scale))
    barcode = zxingcpp.read_barcode(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert barcode is not None, "the QR code did not decode"
    return barcode.text


def test_the_qr_code_decodes_to_the_permanent_url_with_the_hash_prefix(client, published):
    url = decode_qr(poster(client, published))
    revision = published.current_revision
    assert url == f"http://testserver{published.get_absolute_url()}?v={revision.entry_hash[:12]}"


def test_the_poster_carries_the_whole_notice(client, published):
    html = poster(client, published)
    revision = published.current_revision
    for expected in ["2026年糧食補貼發放公示", "<strong>120元</strong>", "甲局", revision.index_number, "漢農發〔2026〕3號",
                     revision.entry_hash, '<svg role="img"', "<title>", 'class="poster"']:
        assert expected in html


def test_print_css_sets_a4(client):
    from django.contrib.staticfiles import finders

    css = open(finders.find("css/portal.css"), encoding="utf-8").read()
    assert re.search(r"@page\s*{\s*size:\s*A4", css)


def test_scanning_a_current_poster_says_so_and_an_old_one_says_it_is_superseded(
    client, published, publisher_a, reviewer_a, publish, django_capture_on_commit_callbacks
):
    printed = decode_qr(poster(client, published))
    path = printed.removeprefix("http://testserver")
    assert "banner-ok" in client.get(path).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # committed: the cached page follows
        services.disclosure_amend(actor=publisher_a, disclosure=published)
        published.refresh_from_db()
        published.body = "<p>補貼標準每畝130元。</p>"
        published.save()
        publish(published, publisher_a, reviewer_a)
    html = client.get(path).content.decode()
    assert "banner-ok" not in html and reverse("disclosures:history", args=[published.pk]) in html
    assert decode_qr(poster(client, published)) != printed  # the new poster carries the new hash


def test_a_malformed_hash_in_the_address_is_ignored(client, published):
    """The notice is shown as if no poster had been scanned: no banner either way."""
    response = client.get(published.get_absolute_url(), {"v": "<script>"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "2026年糧食補貼發放公示" in html and "<strong>120元</strong>" in html
    assert "<script>" not in html and "banner-ok" not in html and "banner-withdrawn" not in html


def test_drafts_and_internal_notices_have_no_public_poster(client, department_a, publisher_a, reviewer_a, publish):
    draft = DisclosureFactory(department=department_a)
    internal = DisclosureFactory(department=department_a, category=category("hospitality"), scope=Scope.INTERNAL)
    publish(internal, publisher_a, reviewer_a)
    for disclosure in (draft, internal):
        assert client.get(reverse("disclosures:poster", args=[disclosure.pk])).status_code == 404


def test_a_withdrawn_notice_prints_as_withdrawn(client, published, reviewer_a):
    services.disclosure_withdraw(actor=reviewer_a, disclosure=published, reason="標準有誤")
    html = poster(client, published)
    assert "poster-withdrawn" in html and "標準有誤" in html


def test_poster_queries_are_fixed(client, published, department_a, publisher_a, reviewer_a, publish):
    def count():
        with CaptureQueriesContext(connection) as queries:
            poster(client, published)
        return len(queries)

    few = count()
    for _ in range(5):
        publish(DisclosureFactory(department=department_a), publisher_a, reviewer_a)
    assert count() == few
