"""Information requests (依申請公開): filing without login, the slip shown once, tracking with
code and secret, every outcome, the requester never public, a reply published as a
disclosure, the public statistics and the indicator."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import translation
from django.utils.html import escape

from disclosures.models import InformationRequest, Outcome, Requester, RequestStatus, Status, SubReason
from disclosures.models.requests import SUB_REASONS
from disclosures.requests import services
from portal import indicators
from portal.indicators import Figure, Period
from portal.workflow import TransitionError
from tests.disclosures.requests_helpers import file_request

pytestmark = pytest.mark.django_db
D = dt.date
NEW = "/disclosures/requests/new/"
TRACK = "/disclosures/requests/track/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NAME, PHONE, EMAIL = "歐陽明遠", "13912345678", "ouyang@example.cn"


def form_data(department, **overrides):
    data = {"department": department.pk, "description": "2026年城關鎮五一村徵地補償款發放明細", "purpose": "",
            "reply_form": "electronic", "requester_type": "person", "name": NAME, "organisation": "",
            "phone": PHONE, "email": EMAIL, "address": ""}
    data.update(overrides)
    return data


def file_via_web(client, department, **overrides):
    response = client.post(NEW, form_data(department, **overrides), follow=True)
    assert response.status_code == 200, response.content.decode()[:2000]
    codes = re.findall(r'<code class="big-code">([^<]+)</code>', response.content.decode())
    return codes[0], codes[1]


def test_a_citizen_files_without_login_and_sees_code_and_secret_once(client, department_a):
    code, secret = file_via_web(client, department_a, files=SimpleUploadedFile("身份證明.pdf", PDF))
    request = InformationRequest.objects.get()
    assert request.tracking_code == code and request.channel == "web"
    assert secret not in request.secret_hash and request.secret_hash
    assert Requester.objects.get(request=request).name == NAME
    assert request.files.get().name == "身份證明.pdf"
    # Shown once: a second visit to the slip goes back to tracking.
    again = client.get("/disclosures/requests/filed/")
    assert again.status_code == 302 and again["Location"].endswith(TRACK)


def test_a_file_that_is_a_web_page_is_refused_and_the_text_kept(client, department_a):
    response = client.post(NEW, form_data(department_a, files=SimpleUploadedFile("a.pdf", b"<script>x</script>")))
    assert response.status_code == 400
    assert InformationRequest.objects.count() == 0
    assert "2026年城關鎮五一村徵地補償款發放明細" in response.content.decode()


@pytest.mark.parametrize("overrides, field", [
    ({"phone": "", "email": "", "address": ""}, "phone"),
    ({"reply_form": "paper"}, "address"),
    ({"requester_type": "law_firm"}, "organisation"),
    ({"name": ""}, "name"),
])
def test_the_form_asks_for_what_a_reply_needs(client, department_a, overrides, field):
    response = client.post(NEW, form_data(department_a, **overrides))
    assert response.status_code == 400 and field in response.context["form"].errors


@override_settings(GONGKAI_COMPLAINT_MAX_REQUEST_BYTES=1000)
def test_an_oversize_filing_is_refused_with_a_page(client, department_a):
    response = client.post(NEW, form_data(department_a, files=SimpleUploadedFile("a.pdf", PDF + b"0" * 2000)))
    assert response.status_code == 413


def test_after_three_filings_a_challenge_is_asked(client, department_a):
    for _ in range(3):
        file_via_web(client, department_a)
    response = client.post(NEW, form_data(department_a))
    assert response.status_code == 400 and "challenge" in response.context["form"].errors
    assert InformationRequest.objects.count() == 3


def test_tracking_needs_the_code_and_the_secret(client, department_a, publisher_a):
    code, secret = file_via_web(client, department_a)
    wrong = client.post(TRACK, {"code": code, "secret": "2222-2222-2222"})
    assert wrong.status_code == 200 and wrong.context["found"] is None
    assert "2026年城關鎮五一村" not in wrong.content.decode()
    right = client.post(TRACK, {"code": code.lower(), "secret": secret.replace("-", " ")})
    html = right.content.decode()
    assert right.context["found"].tracking_code == code and "2026年城關鎮五一村" in html
    assert secret not in html  # never written back
    due = right.context["found"].due_on
    assert f"{due.year}年{due.month}月{due.day}日" in html


def test_wrong_codes_are_throttled(client, department_a):
    for _ in range(10):
        client.post(TRACK, {"code": "A" * 20, "secret": "2222-2222-2222"})
    assert client.post(TRACK, {"code": "A" * 20, "secret": "2222-2222-2222"}).status_code == 429


def test_hostile_text_is_escaped_on_the_tracking_page(client, department_a):
    code, secret = file_via_web(client, department_a, description="<script>alert(1)</script>")
    html = client.post(TRACK, {"code": code, "secret": secret}).content.decode()
    assert "<script>alert(1)</script>" not in html and escape("<script>alert(1)</script>") in html


# --- outcomes ------------------------------------------------------------------------------------

CASES = [(outcome, reason) for outcome in Outcome for reason in (SUB_REASONS.get(outcome) or [""])]


@pytest.mark.parametrize("outcome, reason", CASES)
def test_each_outcome_and_reason_closes_the_request_with_its_letter(department_a, publisher_a, outcome, reason):
    request = file_request(department_a)
    services.request_reply(actor=publisher_a, request=request, outcome=outcome, sub_reason=reason,
                           text="見縣政府網站“徵地補償”欄目。", on=D(2026, 10, 9))
    request.refresh_from_db()
    assert (request.status, request.outcome, request.sub_reason) == (RequestStatus.REPLIED, outcome, reason)
    assert request.on_time is True and request.closed_on == D(2026, 10, 9)
    # Written in the county's language, whoever's screen it was written on.
    assert "60日內依法申請行政復議" in request.reply_text and "6個月內" in request.reply_text
    if reason:
        with translation.override("zh-hant"):
            assert str(SubReason(reason).label) in request.reply_text


@translation.override("en")
def test_a_reason_that_is_not_the_outcomes_is_refused(department_a, publisher_a):
    request = file_request(department_a)
    with pytest.raises(TransitionError, match="reason"):
        services.request_reply(actor=publisher_a, request=request, outcome="not_disclosed", sub_reason="not_held")
    with pytest.raises(TransitionError):
        services.request_reply(actor=publisher_a, request=request, outcome="not_disclosed")
    with pytest.raises(TransitionError):
        services.request_reply(actor=publisher_a, request=request, outcome="disclosed", sub_reason="repeat")
    with pytest.raises(TransitionError):
        services.request_reply(actor=publisher_a, request=request, outcome="partly", text=" ")


def test_the_database_refuses_an_outcome_with_another_outcomes_reason(department_a):
    request = file_request(department_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        InformationRequest.objects.filter(pk=request.pk).update(
            status="replied", closed_on=D(2026, 10, 1), outcome="cannot_provide", sub_reason="state_secret")


def test_a_late_reply_is_not_on_time(department_a, publisher_a):
    request = file_request(department_a)  # due 26 Oct
    services.request_reply(actor=publisher_a, request=request, outcome="disclosed", on=D(2026, 10, 27))
    request.refresh_from_db()
    assert request.on_time is False


def test_another_department_cannot_handle_the_request(department_a, publisher_b):
    from django.core.exceptions import PermissionDenied

    request = file_request(department_a)
    with pytest.raises(PermissionDenied):
        services.request_reply(actor=publisher_b, request=request, outcome="disclosed")


# --- the requester is never public -------------------------------------------------------------------


def test_a_reply_published_as_a_disclosure_names_nobody(client, department_a, publisher_a, reviewer_a, publish):
    request = file_request(department_a, name=NAME, description=f"本人{NAME}申請公開五一村徵地補償標準,電話0718-1234567")
    services.request_reply(actor=publisher_a, request=request,
                           outcome="partly", text=f"{NAME}先生:補償標準見附件;涉及個人信息部分不予公開。", on=D(2026, 10, 9))
    disclosure = services.request_publish_reply(actor=publisher_a, request=request)
    assert disclosure.status == Status.IN_REVIEW and disclosure.category.code == "request-replies"
    from disclosures import services as disclosure_services

    disclosure_services.disclosure_approve(actor=reviewer_a, disclosure=disclosure)
    disclosure_services.disclosure_publish(actor=reviewer_a, disclosure=disclosure)
    page = client.get(f"/disclosures/{disclosure.pk}/").content.decode()
    assert "補償標準見附件" in page
    api = client.get(f"/api/v1/disclosures/{disclosure.pk}/?format=json")
    assert api.status_code == 200 and "補償標準見附件" in api.content.decode()
    for secret in (NAME, "0718-1234567", request.tracking_code):
        assert secret not in page and secret not in api.content.decode()
    request.refresh_from_db()
    assert request.disclosure == disclosure
    # Once only, and only replies that gave information.
    with pytest.raises(TransitionError):
        services.request_publish_reply(actor=publisher_a, request=request)
    refused = file_request(department_a)
    services.request_reply(actor=publisher_a, request=refused, outcome="not_disclosed", sub_reason="state_secret")
    with pytest.raises(TransitionError):
        services.request_publish_reply(actor=publisher_a, request=refused)


def test_the_public_statistics_count_without_naming(client, department_a, department_b, publisher_a,
                                                    django_assert_max_num_queries):
    on_time = file_request(department_a, name=NAME)
    services.request_reply(actor=publisher_a, request=on_time, outcome="disclosed", on=D(2026, 10, 9))
    late = file_request(department_a)
    services.request_reply(actor=publisher_a, request=late, outcome="not_processed", sub_reason="repeat",
                           on=D(2026, 10, 30))
    file_request(department_b, received_on=D(2026, 9, 1))  # open, overdue by now
    with django_assert_max_num_queries(8):
        response = client.get("/disclosures/requests/stats/?year=2026")
    rows = {row["department__code"]: row for row in response.context["rows"]}
    assert (rows["dept-a"]["received"], rows["dept-a"]["replied"], rows["dept-a"]["on_time"]) == (2, 2, 1)
    assert rows["dept-a"]["on_time_rate"] == 50.0 and rows["dept-b"]["overdue"] == 1
    assert response.context["totals"]["received"] == 3
    html = response.content.decode()
    assert NAME not in html and on_time.tracking_code not in html


def test_the_on_time_indicator_per_department(department_a, department_b, publisher_a, publisher_b):
    for reply_on in (D(2026, 10, 9), D(2026, 10, 30), D(2026, 10, 12)):
        services.request_reply(actor=publisher_a, request=file_request(department_a), outcome="disclosed", on=reply_on)
    file_request(department_b)  # not replied: not judged
    indicator = indicators.get("disclosures.requests_on_time")
    assert indicators.by_department(indicator, Period.year(2026)) == {department_a.pk: Figure(2, 3)}
    assert indicators.county(indicator, Period.year(2025)).value is None


def test_the_overdue_requests_are_in_the_deadline_registry(department_a, publisher_a):
    from portal import deadlines

    kind = deadlines.get("information_request")
    overdue = file_request(department_a, received_on=D(2026, 8, 3))
    replied = file_request(department_a, received_on=D(2026, 8, 3))
    services.request_reply(actor=publisher_a, request=replied, outcome="disclosed", on=D(2026, 8, 10))
    waiting = file_request(department_a, received_on=D(2026, 8, 3))
    services.request_ask_correction(actor=publisher_a, request=waiting, notice="補正", on=D(2026, 8, 4))
    open_items = kind.open_items().filter(due_on__lt=D(2026, 10, 1))
    assert list(open_items) == [overdue]
    assert "annual_report" in [k.name for k in deadlines.kinds()]


def test_the_requester_is_told_of_the_extension_and_the_reply(department_a, reviewer_a, publisher_a,
                                                           django_capture_on_commit_callbacks):
    from portal.models import OutgoingEmail

    request = file_request(department_a, email=EMAIL)
    with django_capture_on_commit_callbacks(execute=False):
        services.request_extend(actor=reviewer_a, request=request, days=10, reason="需調取檔案", on=D(2026, 10, 9))
        services.request_reply(actor=publisher_a, request=request, outcome="disclosed", on=D(2026, 10, 12))
    assert set(OutgoingEmail.objects.values_list("kind", flat=True)) == {"request_extended", "request_replied"}


def test_information_asked_for_repeatedly_moves_into_the_catalogue(department_a, publisher_a, coordinator):
    from django.core.exceptions import PermissionDenied

    from disclosures.models import CatalogueEntry

    request = file_request(department_a, name=NAME, description=f"{NAME}申請:五一村徵地補償款發放明細")
    services.request_reply(actor=publisher_a, request=request, outcome="disclosed", on=D(2026, 10, 9))
    with pytest.raises(PermissionDenied):
        services.request_make_proactive(actor=publisher_a, request=request)
    entry = services.request_make_proactive(actor=coordinator, request=request)
    assert entry.department == department_a and NAME not in entry.title and "五一村徵地補償款發放明細" in entry.title
    assert entry.active and CatalogueEntry.objects.count() == 1
    again = file_request(department_a, name=NAME, description=f"{NAME}申請:五一村徵地補償款發放明細")
    services.request_reply(actor=publisher_a, request=again, outcome="disclosed", on=D(2026, 10, 12))
    assert services.request_make_proactive(actor=coordinator, request=again) == entry  # not twice
    # Through the admin: the requests asking the same are found by what they ask, and moved as a step.
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(coordinator)
    changelist = reverse("admin:disclosures_informationrequest_changelist")
    found = client.get(changelist, {"q": "五一村徵地補償款"}).context["cl"].result_list
    assert {r.pk for r in found} == {request.pk, again.pk}
    third = file_request(department_a, description="五一村徵地補償款發放明細(2025年)")
    services.request_reply(actor=publisher_a, request=third, outcome="partly", text="部分公開", on=D(2026, 10, 12))
    steps = reverse("admin:disclosures_informationrequest_steps", args=[third.pk])
    client.post(steps, {"step": "make_proactive", "text": "五一村徵地補償款發放明細(按年度)"})
    assert CatalogueEntry.objects.filter(title="五一村徵地補償款發放明細(按年度)", department=department_a).exists()


def test_the_slip_saved_as_text_carries_the_code_secret_and_tracking_address_and_refuses_anything_else(client):
    from django.urls import reverse

    from portal import citizen_secrets

    url = reverse("disclosures:request-filed-text")
    code, secret = citizen_secrets.new_tracking_code(), citizen_secrets.new_secret()
    saved = client.post(url, {"code": code, "secret": secret})
    text = saved.content.decode()
    assert saved["Content-Disposition"].startswith("attachment") and f"request-{code[:8]}.txt" in saved["Content-Disposition"]
    assert code in text and secret in text and "/disclosures/requests/track/" in text
    assert "no-store" in saved["Cache-Control"]
    assert client.post(url, {"code": "not-a-code", "secret": secret}).status_code == 400
    assert client.get(url).status_code == 405
