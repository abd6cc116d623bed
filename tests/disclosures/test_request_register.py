"""Issue 14, item 2: a request received by letter, fax, e-mail or in person is registered
in the admin by the department's staff — the day-off receipt rule applies, the tracking
code is made, and the secret is shown once, on a slip, for the clerk to hand over."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from disclosures.models import InformationRequest, Requester
from disclosures.requests import services
from portal.models import Event
from portal.workflow import TransitionError

pytestmark = pytest.mark.django_db
D = dt.date
ADD = reverse("admin:disclosures_informationrequest_add")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def letter(department, **overrides):
    data = {"department": department.pk, "channel": "letter", "received_on": "2026-09-26",  # a Saturday
            "requester_type": "company", "name": "王五", "organisation": "城關建材有限公司", "phone": "0718-7654321",
            "email": "", "address": "城關鎮建設路8號", "description": "2026年城關鎮道路改造工程招標文件",
            "purpose": "", "reply_form": "paper"}
    data.update(overrides)
    return data


def test_the_department_registers_a_letter_and_hands_over_the_slip_once(client, department_a, publisher_a):
    client.force_login(publisher_a)
    form = client.get(ADD)
    assert form.status_code == 200
    assert [value for value, _label in form.context["adminform"].form.fields["channel"].choices] == [
        "letter", "in_person", "fax", "email"]  # the website files itself
    response = client.post(ADD, letter(department_a, files=SimpleUploadedFile("來函.pdf", PDF)))
    request = InformationRequest.objects.get()
    slip_url = reverse("admin:disclosures_informationrequest_secret", args=[request.pk])
    assert response.status_code == 302 and response["Location"] == slip_url
    # The day-off rule: received Sat 26 Sep 2026, counted from Mon 28 Sep, due Fri 30 Oct.
    assert (request.channel, request.received_on, request.counted_from, request.due_on) == (
        "letter", D(2026, 9, 26), D(2026, 9, 28), D(2026, 10, 30))
    assert request.requester_type == "company" and request.reply_form == "paper" and request.status == "received"
    assert Requester.objects.get(request=request).organisation == "城關建材有限公司"
    assert request.files.get().name == "來函.pdf"
    event = Event.objects.get(kind="request.filed", object_id=str(request.pk))
    assert event.actor == publisher_a and event.data["channel"] == "letter"

    slip = client.get(slip_url).content.decode()
    secret = re.findall(r'<code class="big-code">([^<]+)</code>', slip)[1]
    assert request.tracking_code in slip and "2026" in slip
    assert services.may_track(request, secret) and secret not in request.secret_hash
    assert secret not in client.get(slip_url).content.decode()  # shown once
    assert secret not in client.get(request.get_absolute_url()).content.decode()

    # The requester tracks it with the slip.
    client.logout()
    track = client.post("/disclosures/requests/track/", {"code": request.tracking_code, "secret": secret})
    assert track.context["found"] == request


def test_registration_asks_what_the_reply_needs_and_refuses_a_future_day(client, department_a, publisher_a):
    client.force_login(publisher_a)
    response = client.post(ADD, letter(department_a, phone="", address="", received_on="2099-01-05",
                                       files=SimpleUploadedFile("來函.pdf", b"<html><script>x</script>")))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"phone", "address", "received_on", "files"}  # the upload is checked as on the public form
    assert not InformationRequest.objects.exists()
    with pytest.raises(TransitionError):
        services.request_register(actor=publisher_a, department=department_a, channel="web", received_on=D(2026, 9, 1),
                                  requester_type="person", identity=services.Identity(name="王五", phone="1"),
                                  description="x")


def test_only_the_department_asked_registers_its_requests(client, department_a, publisher_b, supervisor):
    client.force_login(publisher_b)
    response = client.post(ADD, letter(department_a))
    assert response.status_code == 200 and "department" in response.context["adminform"].form.errors
    client.force_login(supervisor)
    assert client.get(ADD).status_code == 403
    assert not InformationRequest.objects.exists()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.request_register(actor=publisher_b, department=department_a, channel="letter",
                                  received_on=D(2026, 9, 1), requester_type="person",
                                  identity=services.Identity(name="王五", phone="1"), description="x")


def test_the_slip_page_never_issues_a_secret_again(client, department_a, publisher_a):
    client.force_login(publisher_a)
    client.post(ADD, letter(department_a))
    request = InformationRequest.objects.get()
    slip_url = reverse("admin:disclosures_informationrequest_secret", args=[request.pk])
    client.get(slip_url)
    before = request.secret_hash
    assert client.post(slip_url, {"reason": "遺失"}).status_code == 403
    request.refresh_from_db()
    assert request.secret_hash == before
    again = client.get(slip_url)
    assert again.context["secret"] is None and "查詢密碼由申請人持有" in again.content.decode()
