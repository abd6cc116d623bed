"""axe-core in headless Chromium finds no serious or critical violation on the public pages."""

import pytest
from django.core.management import call_command

from disclosures.models import Disclosure
from tests.browser.conftest import axe_violations

# The live server needs committed data; on SQLite the flush between such tests is refused by
# the published-revision triggers, so these run on PostgreSQL (as CI does).
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def county(live_server, reference_data):
    call_command("seed_demo", password="demo-pass-2026", stdout=open("/dev/null", "w"))
    return live_server.url


def public_paths():
    published = Disclosure.objects.filter(current_revision__isnull=False, scope="public").order_by("pk").first()
    return [
        "/", "/disclosures/", f"/disclosures/{published.pk}/", f"/disclosures/{published.pk}/history/",
        "/departments/", "/departments/finance/", "/supervision/complaints/new/", "/supervision/complaints/track/",
        "/supervision/stats/",
    ]


@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_public_pages_have_no_serious_accessibility_violations(county, page, language):
    page.context.add_cookies([{"name": "gongkai_language", "value": language, "url": county}])
    failures = {}
    for path in public_paths():
        response = page.goto(county + path)
        assert response.status == 200, path
        violations = axe_violations(page)
        if violations:
            failures[path] = violations
    assert failures == {}
