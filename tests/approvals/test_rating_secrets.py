"""Only the applicant rates the service (issue 11, item 5, for approvals).

The handling department sees an application's tracking number and the applicant's phone in
the admin, which is all the lookup asks for. Rating needs more: the secret printed on the
receipt at registration, shown once to the clerk to hand over, stored hashed.
"""

import datetime as dt
import json
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from approvals import services, tracking
from approvals.models import Application, ApplicationStatus, Rating
from portal import citizen_secrets
from portal.events import events_for
from portal.models import Event
from tests.approvals.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:approvals_application_add")
TRACK = reverse("approvals:track")
RATE = reverse("approvals:rate")


def receipt_page(application):
    return reverse("admin:approvals_application_secret", args=[application.pk])


def shown_codes(html):
    return re.findall(r'<code class="big-code">([^<]+)</code>', html)


def assert_nowhere(secret, text):
    compact = secret.replace("-", "")
    for spelling in (secret, compact, compact.lower(), secret.lower()):
        assert spelling not in text, spelling


def finish(application):
    Application.objects.filter(pk=application.pk).update(
        status=ApplicationStatus.COMPLETED, decided_on=dt.date(2026, 10, 20), completed_on=dt.date(2026, 10, 21),
        decision="准予許可",
    )
    application.refresh_from_db()
    return application


@pytest.fixture
def registered(client, clerk, item_a):
    """The clerk registers an application in the admin and is shown the receipt, once.
    Returns (application, secret): the secret is what the applicant takes home."""
    client.force_login(clerk)
    response = client.post(ADD, {
        "item": item_a.pk, "applicant_kind": "person", "applicant_name": "張小明",
        "applicant_id_number": "11010519491231002X", "applicant_phone": "13812345678", "received_on": "2026-09-28",
    })
    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == receipt_page(application)
    receipt = client.get(response["Location"]).content.decode()
    number, secret = shown_codes(receipt)
    assert number == application.tracking_number
    assert "data-print" in receipt and "/static/js/print.js" in receipt and "onclick" not in receipt
    client.logout()
    return application, secret


def rate(client, application, level, secret=None, digits="5678", ip="10.0.0.1"):
    data = {"tracking_number": application.tracking_number, "phone_last_four": digits, "level": level, "comment": "很快"}
    if secret is not None:
        data["secret"] = secret
    return client.post(RATE, data, REMOTE_ADDR=ip)


def test_registration_issues_a_secret_shown_once_on_the_receipt_and_stored_hashed(client, clerk, registered):
    application, secret = registered
    assert citizen_secrets.normalise(secret) == secret
    assert citizen_secrets.matches(secret, application.rating_secret_hash)
    assert_nowhere(secret, application.rating_secret_hash)
    client.force_login(clerk)
    assert shown_codes(client.get(receipt_page(application)).content.decode()) == []  # once
    for page in (reverse("admin:approvals_application_change", args=[application.pk]),
                 reverse("admin:approvals_application_changelist"),
                 reverse("admin:approvals_application_history", args=[application.pk])):
        response = client.get(page)
        html = response.content.decode()
        assert response.status_code == 200 and application.tracking_number in html, page
        assert_nowhere(secret, html)
        assert application.rating_secret_hash not in html
    assert_nowhere(secret, json.dumps([e.data for e in Event.objects.all()], ensure_ascii=False))
    assert [e.kind for e in events_for(application)] == ["application.registered"]  # its clerk saw the secret
    assert all("rating_secret_hash" not in h.__dict__ for h in application.history.all())


def test_the_handling_department_cannot_rate_its_own_service(client, registered, publisher_a):
    """The attack: department A's publisher reads the number and phone in the admin and
    rates the application "very satisfied" on the applicant's behalf."""
    application, secret = registered
    finish(application)
    client.force_login(publisher_a)
    changelist = client.get(reverse("admin:approvals_application_changelist")).content.decode()
    assert application.tracking_number in changelist and "13812345678" in changelist  # all they see
    assert rate(client, application, 5).status_code == 400  # the number and phone are not enough
    assert rate(client, application, 5, secret="K7Q2-M9XD-4HTW").status_code == 403
    assert rate(client, application, 5, secret=application.tracking_number).status_code == 403
    with pytest.raises(PermissionDenied):
        services.rating_submit(application=application, secret=None, level=5)
    with pytest.raises(PermissionDenied):
        services.rating_submit(application=application, secret="5678", level=5)
    assert not Rating.objects.exists() and not Event.objects.filter(kind="application.rated").exists()


def test_the_applicant_with_the_receipt_rates(client, registered):
    application, secret = registered
    finish(application)
    response = rate(client, application, 4, secret=secret.lower().replace("-", " "))
    assert response.status_code == 200
    assert Rating.objects.get().level == 4
    assert_nowhere(secret, response.content.decode())


def test_wrong_secrets_count_as_wrong_guesses(client, registered):
    application, secret = registered
    finish(application)
    for n in range(tracking.MAX_FAILURES):
        assert rate(client, application, 5, secret=f"AAAA-AAAA-AAA{n + 2}", ip=f"10.0.3.{n}").status_code == 403
    assert rate(client, application, 5, secret=secret, ip="10.0.4.1").status_code == 429  # the number is locked
    assert not Rating.objects.exists()


def test_no_page_writes_the_secret_back(client, registered):
    application, secret = registered
    finish(application)
    found = client.post(TRACK, {"tracking_number": application.tracking_number, "phone_last_four": "5678"})
    wrong = rate(client, application, 2, secret=secret[:-1] + ("Y" if secret.endswith("Z") else "Z"))  # never the secret
    assert wrong.status_code == 403 and wrong.context["rating_form"]["comment"].value() == "很快"  # the rest is kept
    for response in (found, wrong):
        html = response.content.decode()
        assert_nowhere(secret, html)
        assert_nowhere(secret[:-1] + "Z", html)
        fields = re.findall(r'<input[^>]*name="secret"[^>]*>', html)
        assert fields and all('type="password"' in f and "value=" not in f for f in fields)


def test_an_application_registered_before_receipts_carried_a_secret(client, item_a, supervisor, publisher_a):
    application = finish(ApplicationFactory(item=item_a, applicant_phone="13812345678"))  # no secret
    html = client.post(TRACK, {"tracking_number": application.tracking_number, "phone_last_four": "5678"}).content.decode()
    assert 'name="level"' not in html and 'role="note"' in html  # ask the supervision office
    assert rate(client, application, 5, secret="K7Q2-M9XD-4HTW").status_code == 403

    client.force_login(publisher_a)  # the department cannot issue itself one
    assert client.post(receipt_page(application), {"reason": "申請人要求"}).status_code == 403
    assert 'name="reason"' not in client.get(receipt_page(application)).content.decode()
    with pytest.raises(PermissionDenied):
        services.rating_secret_reissue(actor=publisher_a, application=application, reason="申請人要求")

    client.force_login(supervisor)  # the supervision office can, after checking who asks
    assert 'name="reason"' in client.get(receipt_page(application)).content.decode()
    assert client.post(receipt_page(application), {"reason": "申請人持身分證來所"}).status_code == 302
    number, secret = shown_codes(client.get(receipt_page(application)).content.decode())
    assert number == application.tracking_number
    assert shown_codes(client.get(receipt_page(application)).content.decode()) == []
    event = Event.objects.get(kind="application.rating_secret_reissued")
    assert event.actor == supervisor and event.data == {"reason": "申請人持身分證來所"}
    client.logout()
    assert rate(client, application, 3, secret=secret).status_code == 200 and Rating.objects.get().level == 3


def test_a_new_rating_secret_replaces_the_old_one(registered, supervisor):
    application, secret = registered
    new = services.rating_secret_reissue(actor=supervisor, application=application, reason="回執遺失")
    application.refresh_from_db()
    assert citizen_secrets.matches(new, application.rating_secret_hash)
    assert not citizen_secrets.matches(secret, application.rating_secret_hash)


def test_the_results_api_carries_no_secret(client, registered):
    application, secret = registered
    Application.objects.filter(pk=application.pk).update(status="decided", decided_on=dt.date(2026, 10, 20), decision="准予")
    response = client.get("/api/v1/approval-results/")
    body = response.content.decode()
    assert response.status_code == 200 and response.json()["count"] == 1 and "准予" in body
    assert "rating_secret" not in body and application.rating_secret_hash not in body
