"""A citizen's journey in headless Chromium: from the home page, search in Simplified
Chinese for a Traditional-Chinese notice, open it, follow its department, print its poster."""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_search_open_and_print_the_poster(live_server, reference_data, page, tmp_path):
    call_command("seed_demo", password="demo-pass-2026", stdout=open("/dev/null", "w"))
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))
    page.goto(live_server.url + "/")
    search_box = page.get_by_role("searchbox").first
    search_box.fill("粮食补贴")  # Simplified; the notice is 糧食補貼 in Traditional
    search_box.press("Enter")
    page.wait_for_load_state()
    assert "/search/" in page.url
    result = page.locator("main a", has_text="糧食補貼").first
    result.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("2026年第三季度國家糧食補貼")
    detail_url = page.url

    page.locator("main a", has_text="縣財政局").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/departments/finance/")

    page.goto(detail_url.rstrip("/") + "/poster/")
    assert page.locator("svg").count() >= 1  # the QR code
    pdf = tmp_path / "poster.pdf"
    page.emulate_media(media="print")
    page.pdf(path=str(pdf), format="A4")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 5000
