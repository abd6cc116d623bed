"""axe-core in headless Chromium finds no WCAG 2.1 A/AA violation, at any impact, on the public
pages in the other languages (zh-Hant, in standard and care mode: test_care_mode.py)."""

import pytest

from tests.browser.conftest import WCAG_AA, axe_violations, public_paths

# The live server needs committed data; on SQLite the flush between such tests is refused by
# the published-revision triggers, so these run on PostgreSQL (as CI does).
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_public_pages_meet_wcag_21_aa_in_every_language(county, page, language):
    page.context.add_cookies([{"name": "gongkai_language", "value": language, "url": county}])
    failures = {}
    for path in public_paths():
        response = page.goto(county + path)
        assert response.status == 200, path
        violations = axe_violations(page, impacts=("minor", "moderate", "serious", "critical"), tags=WCAG_AA)
        if violations:
            failures[path] = violations
    assert failures == {}
