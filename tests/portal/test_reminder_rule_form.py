"""Issue 12: the coordinator edits a reminder rule in words — lead days as a list of numbers,
escalations as levels of "after N working days overdue → to whom" — not as JSON, and
reminder stages read as words wherever staff meet them."""

import pytest
from django.urls import reverse
from django.utils import translation

from portal import reminder_text
from portal.models import Reminder, ReminderRule

pytestmark = pytest.mark.django_db


@pytest.fixture
def rule(db):
    return ReminderRule.objects.create(kind="complaint", lead_days=[3, 1],
                                       escalations=[{"after": 1, "to": "department_head"}, {"after": 5, "to": "supervision"}])


def _form(**changes):
    data = {
        "kind": "complaint", "lead_days": "3、1", "notify_on_due": "on", "active": "on",
        "escalation_1_after": "1", "escalation_1_to": "department_head",
        "escalation_2_after": "5", "escalation_2_to": "supervision",
        "escalation_3_after": "", "escalation_3_to": "",
    }
    data.update(changes)
    return data


def test_the_rule_form_shows_the_rule_in_words(client_for, coordinator, rule):
    page = client_for(coordinator).get(reverse("admin:portal_reminderrule_change", args=[rule.pk]))

    text = page.content.decode()
    assert page.status_code == 200
    assert 'value="3、1"' in text
    assert '<option value="department_head" selected>部門負責人</option>' in text.replace("\n", "")
    assert "第 1 級：逾期工作日數" in text and "第 2 級：督辦對象" in text
    assert "department_head&quot;" not in text and "[3, 1]" not in text  # no JSON


def test_the_coordinator_changes_lead_days_and_escalations(client_for, coordinator, rule):
    response = client_for(coordinator).post(reverse("admin:portal_reminderrule_change", args=[rule.pk]), _form(
        lead_days="5，2、1 2", escalation_1_after="2", escalation_2_after="6", escalation_2_to="coordinator",
        escalation_3_after="10", escalation_3_to="supervision",
    ))

    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.lead_days == [5, 2, 1]
    assert rule.escalations == [{"after": 2, "to": "department_head"}, {"after": 6, "to": "coordinator"},
                                {"after": 10, "to": "supervision"}]


def test_emptied_levels_stop_the_escalation(client_for, coordinator, rule):
    client_for(coordinator).post(reverse("admin:portal_reminderrule_change", args=[rule.pk]), _form(
        lead_days="", escalation_2_after="", escalation_2_to=""))

    rule.refresh_from_db()
    assert rule.lead_days == [] and rule.escalations == [{"after": 1, "to": "department_head"}]


@pytest.mark.parametrize("changes, message", [
    ({"lead_days": "3, 一"}, "“一”不是工作日數：請填寫 1 至 120 的整數"),
    ({"lead_days": "3, 0"}, "“0”不是工作日數"),
    ({"escalation_2_after": "1"}, "每一級都須晚於上一級：逾期須多於 1 個工作日。"),
    ({"escalation_3_after": "9"}, "請同時填寫逾期工作日數和督辦對象，或兩者都不填。"),
    ({"escalation_1_to": ""}, "請同時填寫逾期工作日數和督辦對象，或兩者都不填。"),
    ({"escalation_1_after": "-2"}, "請確認此數值是否大於或等於 1。"),
])
def test_invalid_input_is_refused_with_a_clear_message_and_nothing_is_lost(client_for, coordinator, rule, changes,
                                                                          message):
    data = _form(**{"lead_days": "5, 2", **changes})
    response = client_for(coordinator).post(reverse("admin:portal_reminderrule_change", args=[rule.pk]), data)

    assert response.status_code == 200
    text = response.content.decode()
    assert message in text
    assert f'value="{data["lead_days"]}"' in text  # what was typed is still there
    rule.refresh_from_db()
    assert rule.lead_days == [3, 1] and rule.escalations[0] == {"after": 1, "to": "department_head"}


def test_a_reminder_page_names_its_kind_and_stage_in_words(client_for, coordinator):
    reminder = Reminder.objects.create(kind="complaint", object_id=7, stage="overdue-5", audience="supervision",
                                       due_on="2026-03-02")

    text = client_for(coordinator).get(reverse("admin:portal_reminder_change", args=[reminder.pk])).content.decode()

    with translation.override("zh-hant"):
        stage = reminder_text.stage_label("overdue-5")
        kind = reminder_text.kind_label("complaint")
    assert stage in text and kind in text and reminder_text.audience_label("supervision") in text
    assert "overdue-5" not in text and "before-3" not in text
