"""Reform statistics come from the change log; applications and rectification cases are
deadline kinds the reminder engine follows."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from approvals import reform, services
from approvals.models import ApplicationStatus, ItemChange, ItemStatus
from portal import deadlines, reminders
from portal.services import calendar_day_save, calendar_year_confirm
from tests.approvals.factories import ApplicationFactory, establish

pytestmark = pytest.mark.django_db

REFORM = ("漢政發〔2026〕12號", dt.date(2026, 3, 15))


def register_with(department, count, on=dt.date(2010, 1, 1), prefix="R"):
    return [establish(department=department, code=f"{prefix}-{department.code}-{i}", on=on) for i in range(count)]


def test_given_279_items_in_force_when_56_are_cancelled_then_the_rate_is_20_1_percent(
    client, coordinator, department_a, department_b
):
    """The seed's figure, computed from events: 279 in force on 1 January, 56 cancelled."""
    items = register_with(department_a, 150) + register_with(department_b, 140)
    for item in items[:6] + items[150:155]:  # 11 cancelled in 2025
        services.approval_item_cancel(actor=coordinator, item=item, effective_on=dt.date(2025, 4, 1),
                                      document_number="漢政發〔2025〕8號", reason="取消")
    for item in items[6:36] + items[155:181]:  # 30 + 26 in 2026
        services.approval_item_cancel(actor=coordinator, item=item, effective_on=REFORM[1],
                                      document_number=REFORM[0], reason="深化改革")
    services.approval_item_delegate(actor=coordinator, item=items[40], effective_on=REFORM[1],
                                    document_number=REFORM[0], reason="就近辦理", delegated_to="城關鎮")
    establish(department=department_a, code="NEW-1", on=dt.date(2026, 5, 1))

    rows, total = reform.by_department(2026)
    assert (total.in_force_at_start, total.cancelled, total.delegated, total.established) == (279, 56, 1, 1)
    assert str(total.rate) == "20.1"
    by_code = {row.code: row.figures for row in rows}
    assert (by_code["dept-a"].in_force_at_start, by_code["dept-a"].cancelled) == (144, 30)
    assert (by_code["dept-b"].in_force_at_start, by_code["dept-b"].cancelled) == (135, 26)
    assert [(year, figures.in_force_at_start, figures.cancelled) for year, figures in reform.by_year(reform.years())] == [
        (2026, 279, 56), (2025, 290, 11),
    ]

    html = client.get(reverse("approvals:reform")).content.decode()
    assert "20.1%" in html and "279" in html and "深化改革" in html and items[6].code in html
    assert "3.8%" in client.get(reverse("approvals:reform") + "?year=2025").content.decode()


def test_the_figures_follow_the_events_not_the_status_column(coordinator, department_a):
    """Nothing typed into an item's status changes the statistics: only the change log does."""
    items = register_with(department_a, 4)
    type(items[0]).objects.filter(pk=items[0].pk).update(status=ItemStatus.CANCELLED)
    assert reform.by_department(2026)[1].cancelled == 0
    services.approval_item_cancel(actor=coordinator, item=items[1], effective_on=dt.date(2026, 2, 1),
                                  document_number="文", reason="取消")
    assert reform.by_department(2026)[1].cancelled == 1


def test_a_year_without_items_has_no_rate(client):
    rows, total = reform.by_department(2030)
    assert rows == [] and total.rate is None
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("approvals:reform") + "?year=2030")
    html = page.content.decode()
    assert page.status_code == 200 and "Approval reform in 2030" in html
    assert '<div class="figure">—</div>' in html and "No approval items were on the register." in html
    for year in ["abc", "99999", "-1"]:
        assert client.get(reverse("approvals:reform") + f"?year={year}").status_code == 404


def test_cancelling_needs_a_reason_and_happens_once(coordinator, department_a):
    item = establish(department=department_a)
    with pytest.raises(ValidationError):
        services.approval_item_cancel(actor=coordinator, item=item, effective_on=REFORM[1], document_number="", reason=" ")
    services.approval_item_cancel(actor=coordinator, item=item, effective_on=REFORM[1], document_number="", reason="取消")
    with pytest.raises(ValidationError):
        services.approval_item_cancel(actor=coordinator, item=item, effective_on=REFORM[1], document_number="", reason="再取消")
    assert ItemChange.objects.filter(item=item, kind="cancel").count() == 1


def test_an_item_cannot_be_cancelled_before_it_was_established(coordinator, department_a):
    item = establish(department=department_a, on=dt.date(2020, 1, 1))
    with pytest.raises(ValidationError):
        services.approval_item_cancel(actor=coordinator, item=item, effective_on=dt.date(2019, 1, 1),
                                      document_number="", reason="取消")


def test_an_adjustment_of_a_limit_needs_a_reason_and_is_logged_with_what_changed(coordinator, department_a):
    item = establish(department=department_a, promised_limit=15)
    item.promised_limit = 10
    with pytest.raises(ValidationError):
        services.approval_item_update(actor=coordinator, item=item)
    services.approval_item_update(actor=coordinator, item=item, reason="壓縮時限", document_number="漢政發〔2026〕14號")
    change = item.changes.get(kind="adjust")
    assert change.changed_fields == [{"field": "promised_limit", "from": "15", "to": "10"}]
    item.refresh_from_db()
    assert item.status == ItemStatus.ADJUSTED
    item.consultation_phone = "0915-0000000"  # not substantive: audited, not in the public log
    services.approval_item_update(actor=coordinator, item=item)
    assert item.changes.filter(kind="adjust").count() == 1


# --- deadlines -------------------------------------------------------------------------------


def test_applications_and_rectification_cases_are_registered_deadline_kinds():
    names = {kind.name for kind in deadlines.kinds()}
    assert {"approval_application", "rating_rectification"} <= names


def test_the_reminder_scan_escalates_an_overdue_application_but_not_a_paused_one(item_a, reviewer_a):
    overdue = ApplicationFactory(item=item_a, received_on=dt.date(2026, 9, 1), due_on=dt.date(2026, 9, 15))
    ApplicationFactory(item=item_a, received_on=dt.date(2026, 9, 1), due_on=None, status=ApplicationStatus.NEEDS_CORRECTION)
    ApplicationFactory(item=item_a, received_on=dt.date(2026, 9, 1), due_on=dt.date(2026, 9, 15),
                       status=ApplicationStatus.DECIDED, decided_on=dt.date(2026, 9, 14), decision="准予")
    planned = [p for p in reminders.plan(dt.date(2026, 9, 16)) if p.kind == "approval_application"]
    assert [(p.object_id, p.stage, p.audience) for p in planned] == [(overdue.pk, "overdue-1", "department_head")]
    kind = deadlines.get("approval_application")
    assert list(kind.responsible(overdue)) == [reviewer_a]


def test_confirming_next_years_calendar_recomputes_a_provisional_due_date(clerk, coordinator, item_a, monkeypatch):
    """Received 28 December 2026: 10 working days run into 2027, which chinesecalendar 1.11
    does not cover — provisional until the coordinator enters the official schedule."""
    from approvals.models import Application
    from portal.calendar import official_package_covers

    if official_package_covers(2027):
        pytest.skip("chinesecalendar now covers 2027")
    monkeypatch.setattr(services.checks, "today", lambda: dt.date(2026, 12, 31))

    application = services.application_register(actor=clerk, application=Application(
        item=item_a, received_on=dt.date(2026, 12, 28), applicant_name="張三", applicant_id_number="1",
        applicant_phone="13800000000",
    ))
    assert (application.due_on, application.due_provisional) == (dt.date(2027, 1, 12), True)
    calendar_day_save(actor=coordinator, date=dt.date(2027, 1, 4), is_working_day=False, name="元旦調休")
    application.refresh_from_db()
    assert (application.due_on, application.due_provisional) == (dt.date(2027, 1, 13), True)  # moved, still provisional
    calendar_year_confirm(actor=coordinator, year=2027, source="國辦發明電〔2026〕7號")
    application.refresh_from_db()
    assert (application.due_on, application.due_provisional) == (dt.date(2027, 1, 13), False)
