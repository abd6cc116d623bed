"""Care mode (關懷版) in headless Chromium, and WCAG 2.1 AA on the public pages in both modes:
axe-core with the WCAG 2.0/2.1 A and AA rules at every impact, body text of at least 18 px,
large click targets, no horizontal scrolling at 200% zoom, printed pages the same in both
modes, and keyboard-only journeys (turn care mode on, search, file a complaint)."""

import pytest

from disclosures.models import Disclosure
from tests.browser.conftest import WCAG_AA, axe_violations, public_paths

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def care_on(page, base):
    page.context.add_cookies([{"name": "gongkai_care", "value": "1", "url": base}])


@pytest.mark.parametrize("mode", ["standard", "care"])
def test_public_pages_meet_wcag_21_aa_in_both_modes(county, page, mode):
    if mode == "care":
        care_on(page, county)
    failures = {}
    for path in public_paths():
        response = page.goto(county + path)
        assert response.status == 200, path
        violations = axe_violations(page, impacts=("minor", "moderate", "serious", "critical"), tags=WCAG_AA)
        if violations:
            failures[path] = violations
    assert failures == {}


def test_care_mode_has_large_text_and_large_targets(county, page):
    page.goto(county + "/")
    standard_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    care_on(page, county)
    page.goto(county + "/disclosures/")
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 18 > standard_size
    small = page.evaluate("""() => [...document.querySelectorAll('main a, nav a, button, select, input:not([type=hidden])')]
        .filter(e => e.offsetParent !== null)
        .map(e => [e.textContent.trim() || e.name, e.getBoundingClientRect().height])
        .filter(([, h]) => h < 44)""")
    assert small == []


@pytest.mark.parametrize("mode", ["standard", "care"])
def test_pages_reflow_at_200_percent_zoom_without_horizontal_scrolling(county, browser, mode):
    # 200% zoom of a 1280 px wide window is a 640 CSS px wide viewport (WCAG 1.4.10).
    context = browser.new_context(locale="zh-TW", viewport={"width": 640, "height": 400})
    if mode == "care":
        context.add_cookies([{"name": "gongkai_care", "value": "1", "url": county}])
    page = context.new_page()
    wide = {}
    for path in public_paths():
        page.goto(county + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 640:
            wide[path] = width
    context.close()
    assert wide == {}


def test_printed_pages_are_the_same_in_both_modes(county, page):
    published = Disclosure.objects.filter(current_revision__isnull=False, scope="public").order_by("pk").first()
    styles = "() => [...document.querySelectorAll('body, h1, main, .poster-body')].map(e => getComputedStyle(e).fontSize + getComputedStyle(e).color)"
    page.emulate_media(media="print")
    printed = {}
    for mode in ("standard", "care"):
        if mode == "care":
            care_on(page, county)
        page.goto(county + f"/disclosures/{published.pk}/poster/")
        printed[mode] = page.evaluate(styles)
    assert printed["standard"] == printed["care"]


def tab_to(page, selector, limit=80):
    """Press Tab until the element matching ``selector`` has the focus (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is not reachable with the Tab key")


def test_keyboard_only_care_mode_search_and_complaint(county, page):
    page.goto(county + "/")
    tab_to(page, ".care-switch button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.evaluate("document.documentElement.classList.contains('care')")

    tab_to(page, "#site-search-q")
    page.keyboard.type("補貼")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/search/" in page.url

    page.goto(county + "/supervision/complaints/new/")
    tab_to(page, "input[name=kind]")
    page.keyboard.press("Space")
    tab_to(page, "select[name=department]")
    page.keyboard.press("ArrowDown")
    tab_to(page, "input[name=summary]")
    page.keyboard.type("窗口排隊太久")
    tab_to(page, "textarea[name=details]")
    page.keyboard.type("上午九點排到十一點，只開了一個窗口。")
    tab_to(page, "input[name=anonymous]")
    page.keyboard.press("Space")
    tab_to(page, "main button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".big-code").count() >= 1, page.content()[:2000]
