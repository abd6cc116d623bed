"""Browser tests: Debian's chromium driven by Playwright for Python (no browser download),
against the live test server. Skipped only where chromium is absent and CI does not
require it (GONGKAI_REQUIRE_SERVICES=1 makes a missing browser a failure)."""

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = os.environ.get("GONGKAI_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
REQUIRED = os.environ.get("GONGKAI_REQUIRE_SERVICES") == "1"


def pytest_collection_modifyitems(config, items):
    missing = [what for what, ok in (("chromium", shutil.which(CHROMIUM) or Path(CHROMIUM).exists()),
                                     ("axe-core (npm ci)", AXE.exists())) if not ok]
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if missing and not REQUIRED:
                item.add_marker(pytest.mark.skip(reason=f"needs {', '.join(missing)}"))


@pytest.fixture(scope="session")
def browser():
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-TW")
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page, impacts=("serious", "critical"), tags=None):
    """Run axe-core on the page; the violations of the given impacts (of the rules with the
    given tags, e.g. ``["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]``; all rules by default)."""
    # Evaluated through the driver, not added as a <script> tag: the pages' Content-Security-Policy
    # (rightly) refuses inline scripts, and this one is the test's, not the page's.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    options = {"resultTypes": ["violations"], **({"runOnly": {"type": "tag", "values": tags}} if tags else {})}
    result = page.evaluate("async (options) => await axe.run(document, options)", options)
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]


WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def county(live_server, reference_data):
    """The demo county behind the live server; its address."""
    call_command("seed_demo", password="demo-pass-2026", stdout=open("/dev/null", "w"))
    return live_server.url


def public_paths():
    """Every kind of public page of the demo county."""
    from disclosures.models import Disclosure
    from supervision.models import Campaign

    closed = Campaign.objects.filter(status="closed").order_by("pk").first()
    published = Disclosure.objects.filter(current_revision__isnull=False, scope="public").order_by("pk").first()
    return [
        "/", "/disclosures/", f"/disclosures/{published.pk}/", f"/disclosures/{published.pk}/history/",
        f"/disclosures/{published.pk}/poster/", "/disclosures/catalogue/", "/departments/", "/departments/finance/",
        "/search/?q=補貼", "/approvals/", "/approvals/fees/", "/approvals/results/", "/approvals/reform/",
        "/approvals/hall/", "/approvals/track/", "/supervision/complaints/new/", "/supervision/complaints/track/",
        "/supervision/stats/", "/supervision/evaluations/", f"/supervision/evaluations/{closed.pk}/",
        "/supervision/evaluate/login/",
        "/disclosures/requests/new/", "/disclosures/requests/track/", "/disclosures/requests/stats/?year=2026",
    ]
