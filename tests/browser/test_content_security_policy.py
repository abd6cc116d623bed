"""The Content-Security-Policy breaks nothing: in headless Chromium the admin (change forms,
import-export's import and export pages, django-celery-beat's form with its nonced script),
Swagger UI and the public pages work, and the browser reports no violation."""

import pytest
from django.core.management import call_command

from disclosures.models import Disclosure

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-pass-2026"

# Runs before any page script (and outside the page's policy): collects every violation the
# browser reports, and stands in for the print dialogue, which headless Chromium cannot show.
WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample || ''}`.trim()));
window.print = () => { window.__printed = true; };
"""


@pytest.fixture
def county(live_server, reference_data):
    call_command("seed_demo", password=PASSWORD, stdout=open("/dev/null", "w"))
    return live_server.url


@pytest.fixture
def watched(page):
    page.add_init_script(WATCH)
    return page


def violations(page):
    return page.evaluate("window.__violations")


def test_admin_pages_work_under_the_policy(county, watched):
    page = watched
    page.goto(county + "/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(county + "/admin/")
    assert violations(page) == []

    disclosure = Disclosure.objects.order_by("pk").first()
    seen = {}
    for path in ("/admin/", "/admin/disclosures/disclosure/", f"/admin/disclosures/disclosure/{disclosure.pk}/change/",
                 "/admin/disclosures/disclosure/import/", "/admin/auth/user/add/", "/admin/axes/accessattempt/"):
        response = page.goto(county + path)
        assert response.status == 200, path
        page.wait_for_load_state("load")
        seen[path] = violations(page)
    assert seen == {path: [] for path in seen}

    # import-export's export page: its "select all" toggle is an inline handler, allowed by hash.
    page.goto(county + "/admin/disclosures/disclosure/export/")
    page.wait_for_load_state("load")
    toggle = page.locator("input.select-toggle").first
    boxes = page.locator("input[type=checkbox]:not(.select-toggle):visible")
    assert boxes.count() > 1
    toggle.uncheck()
    assert all(not box.is_checked() for box in boxes.all())
    toggle.check()
    assert all(box.is_checked() for box in boxes.all())
    assert violations(page) == []

    # django-celery-beat's form: its inline script runs only with the nonce (it hides a row).
    page.goto(county + "/admin/django_celery_beat/periodictask/")
    page.locator("#result_list tbody a").first.click()
    page.wait_for_load_state("load")
    assert page.locator(".field-crontab_translation").first.is_hidden()
    assert violations(page) == []


def test_swagger_ui_renders_under_the_policy(county, watched):
    page = watched
    page.goto(county + "/api/docs/")
    page.wait_for_selector(".opblock", timeout=20000)
    assert page.locator(".opblock").count() > 3
    assert violations(page) == []


def test_public_pages_and_the_print_button_work_under_the_policy(county, watched):
    page = watched
    for path in ("/", "/disclosures/", "/approvals/", "/supervision/complaints/new/"):
        assert page.goto(county + path).status == 200
        assert violations(page) == [], path
    page.goto(county + "/approvals/fees/")
    page.click(".print-button")
    assert page.evaluate("window.__printed === true")
    assert violations(page) == []
