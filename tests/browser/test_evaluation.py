"""An outside evaluator's journey in headless Chromium: open the invitation link, start,
save a draft, submit the scorecard; the link does not work a second time; the results are
published when the office closes the campaign. The evaluator's pages pass axe-core."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from portal.models import Department
from portal.roles import Role
from portal.services import staff_profile_save
from supervision.models import Scorecard
from supervision.services import campaigns
from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_an_outside_evaluator_scores_through_an_invitation_link(live_server, reference_data, browser, page):
    office = Department.objects.create(code="office", name="政務公開辦公室", kind=Department.Kind.OFFICE)
    bureau = Department.objects.create(code="dept-a", name="甲局", kind=Department.Kind.BUREAU)
    coordinator = get_user_model().objects.create_user("coordinator", password="pw")
    staff_profile_save(actor=None, user=coordinator, department=office, role=Role.COORDINATOR)
    campaign = campaigns.campaign_create(
        actor=coordinator, title="2026年度民主評議", period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31),
        scale="hundred", departments=[bureau], criteria=[("真實性", 3), ("服務", 1)])
    campaigns.campaign_open(actor=coordinator, campaign=campaign)
    _invitation, token = campaigns.invitation_issue(actor=coordinator, campaign=campaign, name="人大代表 王某",
                                                    kind="deputy")
    link = f"{live_server.url}/supervision/evaluate/invitation/{token}/"
    truthfulness, service = campaign.criteria.values_list("pk", flat=True)

    page.goto(link)
    assert "人大代表 王某" in page.locator("main").inner_text()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/supervision/evaluate/")
    page.locator("main a", has_text="甲局").click()
    page.wait_for_load_state()
    assert axe_violations(page) == []
    page.fill(f"input[name=criterion_{truthfulness}]", "90")
    page.locator("button[value=save]").click()  # a draft, incomplete
    page.wait_for_load_state()
    assert Scorecard.objects.get().status == "draft"
    assert page.input_value(f"input[name=criterion_{truthfulness}]") == "90"
    page.fill(f"input[name=criterion_{service}]", "50")
    page.fill("textarea[name=comment]", "公開欄更新及時。")
    page.locator("button[value=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/supervision/evaluate/")
    assert "80.00" in page.locator("main table").inner_text()
    assert axe_violations(page) == []

    # The link is spent: another browser is refused.
    other = browser.new_context(locale="zh-TW")
    second = other.new_page()
    refused = second.goto(link)
    assert refused.status == 404 and "已使用過" in second.locator("main").inner_text()
    assert second.locator("main form").count() == 0
    other.close()

    campaigns.campaign_close(actor=coordinator, campaign=campaign)
    page.goto(f"{live_server.url}/supervision/evaluations/{campaign.pk}/")
    table = page.locator("main table").inner_text()
    assert "甲局" in table and "80.00" in table
    assert "公開欄更新及時。" in page.locator("main").inner_text()
    assert "王某" not in page.locator("main").inner_text()
    assert axe_violations(page) == []
