"""A citizen files a complaint in headless Chromium and keeps the secret: the Print button
appears (bound by a static script, no inline one), printing gives the slip alone, "Save as a
text file" downloads code and secret, and reloading the page shows the secret no more."""

import pytest

from portal.models import Department
from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_file_then_print_and_save_the_secret(live_server, reference_data, page, tmp_path):
    department = Department.objects.create(code="prices", name="縣物價局", kind=Department.Kind.BUREAU)
    page.goto(live_server.url + "/supervision/complaints/new/")
    page.locator('input[name="kind"][value="complaint"]').check()
    page.locator('select[name="department"]').select_option(str(department.pk))
    page.locator('input[name="summary"]').fill("窗口違規收費")
    page.locator('textarea[name="details"]').fill("證照工本費已取消,窗口仍收取20元。")
    page.locator('input[name="anonymous"]').check()
    page.locator('form.stacked-form button[type="submit"]').click()
    page.wait_for_load_state()
    assert page.url.endswith("/supervision/complaints/filed/")
    code, secret = page.locator("code.big-code").all_inner_texts()
    assert len(code) == 20 and len(secret) == 14

    assert page.locator("[data-print]").is_visible()  # print.js ran and unhid it
    assert axe_violations(page) == []

    page.emulate_media(media="print")
    visibility = page.evaluate("""() => [
        getComputedStyle(document.querySelector('.site-header')).visibility,
        getComputedStyle(document.querySelector('.slip')).visibility,
        getComputedStyle(document.querySelector('.slip-tools')).display]""")
    assert visibility == ["hidden", "visible", "none"]  # on paper: the slip alone
    pdf = tmp_path / "slip.pdf"
    page.pdf(path=str(pdf), format="A4")
    assert pdf.read_bytes().startswith(b"%PDF-")
    page.emulate_media(media="screen")

    with page.expect_download() as download:
        page.locator('form[action$="/filed/text/"] button').click()
    saved = tmp_path / "slip.txt"
    download.value.save_as(saved)
    text = saved.read_text(encoding="utf-8")
    assert code in text and secret in text
    assert download.value.suggested_filename == f"complaint-{code[:8]}.txt"

    page.reload()
    assert secret not in page.content()
