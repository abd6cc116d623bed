"""The supervision mailbox: filing, tracking, handling, sealed identities, statistics."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.conf import settings
from django.urls import reverse
from django.utils.html import escape

from supervision import services, stats
from supervision.models import Complaint, IdentityAccess, Status

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NEW = "/supervision/complaints/new/"
TRACK = "/supervision/complaints/track/"


def form_data(department, **overrides):
    data = {
        "kind": "report",
        "department": department.pk,
        "summary": "窗口違規收費",
        "details": "證照工本費已取消,窗口仍收取20元。",
        "happened_on": "2026-11-20",
        "anonymous": "on",
    }
    data.update(overrides)
    return data


def tracking_refused(client, data) -> str:
    """The tracking page for a code without its secret (or a wrong one): served, with the
    form's "no complaint matches" error and no complaint, so that what it does not show is
    not merely missing from an error page."""
    response = client.post(TRACK, data)
    html = response.content.decode()
    assert response.status_code == 200 and response.context["complaint"] is None
    assert escape(response.context["form"].non_field_errors()[0]) in html
    return html


def file_via_web(client, department, **overrides):
    response = client.post(NEW, form_data(department, **overrides), follow=True)
    assert response.status_code == 200, response.content.decode()[:3000]
    html = response.content.decode()
    codes = re.findall(r'<code class="big-code">([^<]+)</code>', html)
    return codes[0], (codes[1] if len(codes) > 1 else None), html


def test_anonymous_report_with_attachment_gets_code_and_secret_shown_once(client, department_a):
    code, secret, html = file_via_web(client, department_a, attachments=SimpleUploadedFile("收據.pdf", PDF))
    complaint = Complaint.objects.get()
    assert complaint.tracking_code == code and len(code) == 20 and secret
    assert complaint.anonymous and complaint.attachments.get().name == "收據.pdf"
    assert secret not in complaint.secret_hash  # stored hashed
    again = client.get(reverse("supervision:complaint-filed"), follow=True)
    assert again.status_code == 200 and again.redirect_chain == [(reverse("supervision:complaint-track"), 302)]
    assert secret not in again.content.decode()  # shown once: a second visit goes to the tracking form


def test_codes_are_unguessable_and_not_sequential(department_a):
    codes = {services.complaint_file(kind="complaint", department=department_a, summary="s", details="d",
                                     identity=services.Identity(name="甲")).tracking_code for _ in range(20)}
    assert len(codes) == 20 and all(re.fullmatch(r"[A-Z2-7]{20}", c) for c in codes)


def test_tracking_an_anonymous_filing_needs_both_code_and_secret(client, department_a):
    code, secret, _ = file_via_web(client, department_a)
    for without_the_secret in ({"code": code}, {"code": code, "secret": "wrong"}):
        assert "窗口違規收費" not in tracking_refused(client, without_the_secret)
    html = client.post(TRACK, {"code": code.lower(), "secret": secret}).content.decode()
    assert "窗口違規收費" in html


def test_wrong_codes_are_throttled(client, department_a):
    code, secret, _ = file_via_web(client, department_a)
    for _ in range(10):
        client.post(TRACK, {"code": "AAAAAAAAAAAAAAAAAAAA", "secret": "x"})
    response = client.post(TRACK, {"code": code, "secret": secret})
    html = response.content.decode()
    assert response.status_code == 429
    assert "窗口違規收費" not in html and "role=\"alert\"" in html
    assert "一小時後再試" in html  # says why and for how long, in Chinese
    assert f'value="{code}"' in html  # the code typed stays in the form


def test_after_three_filings_a_challenge_is_asked_and_a_wrong_answer_keeps_the_text(client, department_a):
    for _ in range(3):
        file_via_web(client, department_a)
    page = client.get(NEW).content.decode()
    question = re.search(r"(\d) plus (\d)|(\d) 加 (\d)", page)
    assert 'name="challenge"' in page and question
    response = client.post(NEW, form_data(department_a, details="我的第四份材料", challenge="999"))
    assert response.status_code == 400 and "我的第四份材料" in response.content.decode()
    numbers = [int(n) for n in question.groups() if n]
    response = client.post(NEW, form_data(department_a, details="我的第四份材料", challenge=str(sum(numbers))), follow=True)
    assert Complaint.objects.count() == 4


def test_hard_limit_refuses_politely_and_keeps_everything_typed(client, department_a):
    from portal import throttle

    for _ in range(20):
        throttle.count("complaint", "127.0.0.1", 3600)
    response = client.post(NEW, form_data(department_a, details="請保留這段文字"))
    assert response.status_code == 429 and "請保留這段文字" in response.content.decode()
    assert not Complaint.objects.exists()


def test_wrong_type_upload_is_refused_with_the_rest_kept(client, department_a):
    response = client.post(NEW, form_data(department_a, details="保留", attachments=SimpleUploadedFile("a.pdf", b"MZ\x90 exe")))
    assert response.status_code == 400
    html = response.content.decode()
    assert "保留" in html and "a.pdf" in html and not Complaint.objects.exists()


@override_settings(GONGKAI_UPLOAD_MAX_BYTES=100)
def test_oversize_upload_is_refused_with_the_rest_kept(client, department_a):
    response = client.post(NEW, form_data(department_a, details="保留", attachments=SimpleUploadedFile("big.pdf", PDF + b" " * 500)))
    assert response.status_code == 400 and "保留" in response.content.decode()


def test_every_field_has_a_size_limit(client, department_a):
    response = client.post(NEW, form_data(department_a, summary="長" * 201, details="x" * 10001))
    assert response.status_code == 400 and not Complaint.objects.exists()


def test_real_name_is_required_unless_anonymous(client, department_a):
    response = client.post(NEW, form_data(department_a, anonymous=""))
    assert response.status_code == 400
    code, secret, _ = file_via_web(client, department_a, anonymous="", name="張三", phone="13912345678")
    assert secret  # a real-name filing gets a secret too, and needs it
    assert "窗口違規收費" not in tracking_refused(client, {"code": code})
    assert "窗口違規收費" in client.post(TRACK, {"code": code, "secret": secret}).content.decode()


HOSTILE = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "{{ settings.SECRET_KEY }}", "{% debug %}",
    "\"><svg/onload=alert(1)>", "javascript:alert(1)", "${7*7}", "<a href=javascript:alert(1)>x</a>",
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_input_is_stored_as_typed_and_shown_inert(client, department_a, supervisor, hostile):
    code, secret, _ = file_via_web(client, department_a, summary=hostile[:200], details=hostile)
    complaint = Complaint.objects.get()
    assert complaint.details == hostile
    html = client.post(TRACK, {"code": code, "secret": secret}).content.decode()
    assert escape(hostile) in html  # shown verbatim…
    if "<" in hostile:
        assert hostile not in html  # …and inert
    assert settings.SECRET_KEY not in html  # template syntax is never evaluated
    client.force_login(supervisor)
    admin_html = client.get(reverse("admin:supervision_complaint_change", args=[complaint.pk])).content.decode()
    assert escape(hostile) in admin_html and ("<" not in hostile or hostile not in admin_html)


def test_handling_deadline_counts_working_days_across_national_day(department_a):
    complaint = services.complaint_file(kind="complaint", department=department_a, summary="s", details="d",
                                        identity=services.Identity(name="甲"), received_on=dt.date(2026, 9, 29)).complaint
    assert complaint.due_on == dt.date(2026, 10, 26)  # 15 working days; Oct 1-7 off, Oct 10 worked
    report = services.complaint_file(kind="report", department=department_a, summary="s", details="d",
                                     identity=None, received_on=dt.date(2026, 12, 10)).complaint
    assert report.due_provisional  # 30 working days run into 2027


@pytest.fixture
def handled(department_a, supervisor):
    filed = services.complaint_file(kind="report", department=department_a, summary="截留補償款", details="詳情",
                                    identity=services.Identity(name="李舉報", phone="13811112222", email="li@example.com"))
    complaint = filed.complaint
    services.complaint_accept(actor=supervisor, complaint=complaint)
    services.complaint_assign(actor=supervisor, complaint=complaint, department=department_a)
    complaint.refresh_from_db()
    complaint.secret = filed.secret  # what the citizen holds
    return complaint


def test_first_receiver_is_who_accepted_and_stays(handled, supervisor):
    assert handled.first_receiver == supervisor and handled.status == Status.ASSIGNED


def test_decline_needs_a_reason(department_a, supervisor):
    complaint = services.complaint_file(kind="suggestion", department=department_a, summary="s", details="d", identity=None).complaint
    with pytest.raises(services.TransitionError):
        services.complaint_decline(actor=supervisor, complaint=complaint, reason="")


def test_only_the_supervision_office_accepts(department_a, publisher_a):
    complaint = services.complaint_file(kind="complaint", department=department_a, summary="s", details="d", identity=None).complaint
    with pytest.raises(PermissionDenied):
        services.complaint_accept(actor=publisher_a, complaint=complaint)


def test_the_assigned_department_replies_and_the_citizen_is_told(
    handled, publisher_a, publisher_b, django_capture_on_commit_callbacks, tasks_run_here
):
    with pytest.raises(PermissionDenied):
        services.complaint_reply(actor=publisher_b, complaint=handled, body="不是我們")
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_reply(actor=publisher_a, complaint=handled, body="已責令退還")
    handled.refresh_from_db()
    assert handled.status == Status.REPLIED
    assert [m.to for m in mail.outbox] == [["li@example.com"]] and handled.tracking_code in mail.outbox[0].body


def test_reopened_once_then_closed(handled, publisher_a):
    services.complaint_reply(actor=publisher_a, complaint=handled, body="第一次答覆")
    secret = handled.secret
    handled = services.complaint_rate(complaint=handled, secret=secret, satisfaction="dissatisfied", reopen=True)
    assert handled.status == Status.REOPENED and handled.reopen_count == 1
    from supervision.models import Complaint as C

    supervisor_user = handled.first_receiver
    services.complaint_assign(actor=supervisor_user, complaint=handled, department=handled.assigned_department)
    services.complaint_reply(actor=publisher_a, complaint=C.objects.get(pk=handled.pk), body="第二次答覆")
    final = services.complaint_rate(complaint=C.objects.get(pk=handled.pk), secret=secret, satisfaction="very_dissatisfied", reopen=True)
    assert final.status == Status.CLOSED and final.satisfaction == "very_dissatisfied"


def test_the_department_handles_without_ever_seeing_the_reporter(client, handled, publisher_a):
    client.force_login(publisher_a)
    change = client.get(reverse("admin:supervision_complaint_change", args=[handled.pk]))
    assert change.status_code == 200
    html = change.content.decode()
    assert "截留補償款" in html and "李舉報" not in html and "13811112222" not in html
    assert client.get(reverse("admin:supervision_complaint_identity", args=[handled.pk])).status_code == 403
    assert client.post(reverse("admin:supervision_complaint_identity", args=[handled.pk]), {"purpose": "x"}).status_code == 403
    export = client.post(reverse("admin:supervision_complaint_export"), {"format": "0", "resource": "0",
                                                                          **{f"complaintresource_{f}": "on" for f in ["tracking_code", "summary"]}})
    exported = export.content.decode("utf-8", "ignore")
    assert handled.tracking_code in exported  # the export ran…
    assert "李舉報" not in exported and "13811112222" not in exported  # …without the identity
    assert not IdentityAccess.objects.exists()


def test_supervisor_sees_the_identity_and_the_view_is_logged(client, handled, supervisor):
    client.force_login(supervisor)
    url = reverse("admin:supervision_complaint_identity", args=[handled.pk])
    asked = client.get(url)
    assert asked.status_code == 200 and 'name="purpose"' in asked.content.decode()  # sealed until a purpose is given
    assert "李舉報" not in asked.content.decode() and not IdentityAccess.objects.exists()
    html = client.post(url, {"purpose": "核實舉報人身分"}).content.decode()
    assert "李舉報" in html and "13811112222" in html
    access = IdentityAccess.objects.get()
    assert (access.user, access.purpose) == (supervisor, "核實舉報人身分")


def test_another_department_cannot_reach_the_complaint(client, handled, publisher_b):
    client.force_login(publisher_b)
    assert client.get(reverse("admin:supervision_complaint_change", args=[handled.pk])).status_code == 404
    assert list(client.get(reverse("admin:supervision_complaint_changelist")).context["cl"].queryset) == []


def test_staff_register_a_phone_complaint_and_become_first_receiver(client, supervisor, department_a):
    client.force_login(supervisor)
    url = reverse("admin:supervision_complaint_register")
    response = client.post(url, {**form_data(department_a, anonymous="", name="趙來電"), "channel": "phone",
                                 "received_on": "2026-11-30"})
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.channel == "phone" and complaint.first_receiver == supervisor


def test_public_statistics_count_without_contents(client, handled, publisher_a, department_a):
    services.complaint_reply(actor=publisher_a, complaint=handled, body="答覆內容")
    services.complaint_rate(complaint=Complaint.objects.get(pk=handled.pk), secret=handled.secret, satisfaction="satisfied", reopen=False)
    services.complaint_file(kind="complaint", department=department_a, summary="另一件", details="d", identity=None)
    year = handled.received_on.year
    response = client.get(f"/supervision/stats/?year={year}")
    html = response.content.decode()
    row = response.context["rows"][0]
    assert (row["received"], row["accepted"], row["closed"], row["closed_on_time"], row["satisfaction_rate"]) == (2, 1, 1, 1, 100.0)
    assert "截留補償款" not in html and "答覆內容" not in html and "李舉報" not in html


def test_statistics_page_has_constant_queries(client, department_a, department_b, django_assert_num_queries):
    for department in (department_a, department_b):
        services.complaint_file(kind="complaint", department=department, summary="s", details="d", identity=None)
    # complaints by department (the totals are their sums), the years; rectification orders; measures by kind
    with django_assert_num_queries(4):
        response = client.get("/supervision/stats/")
    assert response.status_code == 200
    assert [row["received"] for row in response.context["rows"]] == [1, 1]


def test_the_statistics_totals_are_the_sums_of_the_departments(client, handled, department_a, department_b):
    """The county row adds up the department rows, overdue complaints included, and its rates
    are computed from those sums (as the home page's figures, counted on their own)."""
    Complaint.objects.filter(pk=handled.pk).update(due_on=handled.received_on - dt.timedelta(days=1))
    services.complaint_file(kind="complaint", department=department_b, summary="s", details="d", identity=None)
    year = handled.received_on.year
    response = client.get(f"/supervision/stats/?year={year}")
    rows, totals = response.context["rows"], response.context["totals"]
    assert len(rows) == 2 and totals["overdue"] == 1
    for figure in ("received", "accepted", "declined", "closed", "closed_on_time", "overdue", "rated", "satisfied"):
        assert totals[figure] == sum(row[figure] for row in rows), figure
    assert totals == stats.totals(year)


def test_done_means_anonymous_report_end_to_end(client, department_a, supervisor, publisher_a):
    """Filed on the web anonymously with an attachment, handled through the admin actions,
    answered by the department, read back with code and secret, and counted publicly."""
    code, secret, _ = file_via_web(client, department_a, attachments=SimpleUploadedFile("證據.pdf", PDF))
    complaint = Complaint.objects.get()
    changelist = reverse("admin:supervision_complaint_changelist")

    client.force_login(supervisor)
    client.post(changelist, {"action": "accept", "_selected_action": [complaint.pk], "index": 0})
    client.post(changelist, {"action": "assign", "_selected_action": [complaint.pk], "department": department_a.pk, "index": 0})
    client.force_login(publisher_a)
    assert client.get(changelist).context["cl"].result_count == 1
    client.post(changelist, {"action": "reply", "_selected_action": [complaint.pk], "text": "已查實,收費已退還。", "index": 0})
    complaint.refresh_from_db()
    assert complaint.status == Status.REPLIED and complaint.first_receiver == supervisor

    client.logout()
    html = client.post(TRACK, {"code": code, "secret": secret}).content.decode()
    assert "已查實,收費已退還。" in html
    stats = client.get(f"/supervision/stats/?year={complaint.received_on.year}").context["totals"]
    assert stats["received"] == 1 and stats["accepted"] == 1


def test_a_disclosure_page_links_to_the_form_prefilled(client, department_a, publisher_a, reviewer_a, publish):
    from tests.factories import DisclosureFactory

    disclosure = DisclosureFactory(department=department_a)
    publish(disclosure, publisher_a, reviewer_a)
    link = f"/supervision/complaints/new/?disclosure={disclosure.pk}&amp;department={department_a.code}"
    assert link in client.get(disclosure.get_absolute_url()).content.decode()
    form = client.get(link.replace("&amp;", "&")).context["form"]
    assert form.initial == {"disclosure": str(disclosure.pk), "department": department_a.pk}
    code, secret, _ = file_via_web(client, department_a, disclosure=disclosure.pk)
    assert Complaint.objects.get().disclosure == disclosure


def test_an_unaccepted_complaint_reminds_the_supervision_office(department_a, supervisor):
    from django.core.management import call_command

    services.complaint_file(kind="complaint", department=department_a, summary="s", details="d", identity=None,
                            received_on=dt.date(2026, 12, 7))
    from supervision.models import HandlingTime

    HandlingTime.objects.filter(kind="complaint").update(working_days=1)
    Complaint.objects.update(due_on=dt.date(2026, 12, 8))
    call_command("send_reminders", now="2026-12-07")
    call_command("send_reminders", now="2026-12-09")
    call_command("send_reminders", now="2026-12-09")
    from portal.models import Notification, Reminder

    # The scan of the 9th catches up the 8th (no scan ran that day): its due-day notice comes
    # late, marked so (docs/deadlines.md, "The scan catches up"); the third scan adds nothing.
    assert list(Reminder.objects.order_by("pk").values_list("stage", "audience", "late")) == [
        ("before-1", "responsible", False), ("due", "responsible", True), ("overdue-1", "department_head", False)]
    assert Notification.objects.filter(recipient=supervisor).count() == 2


def test_statistics_in_the_api_as_json_and_csv(client, handled, publisher_a):
    services.complaint_reply(actor=publisher_a, complaint=handled, body="答覆內容")
    year = handled.received_on.year
    data = client.get(f"/api/v1/complaint-statistics/?year={year}").json()
    assert data == [{
        "department": "dept-a", "department_name": "甲局", "received": 1, "accepted": 1, "declined": 0, "closed": 0,
        "closed_on_time": 0, "overdue": 0, "rated": 0, "satisfied": 0, "on_time_rate": None, "satisfaction_rate": None,
    }]
    csv_text = client.get(f"/api/v1/complaint-statistics/?year={year}&format=csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("department,department_name,received")
    assert "答覆內容" not in csv_text and "李舉報" not in csv_text and "截留" not in csv_text
