"""Only the citizen closes their case (issue 11, item 5).

Department staff see a complaint's tracking code in the admin and in exports. The code alone
must not let them read, rate, close or reopen the complaint: every filing — real-name or
anonymous, on the web or registered by staff — gets a secret that only the citizen holds,
shown once, stored hashed, never written into a later page, the admin, exports or events.
"""

import json
import re

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from portal import citizen_secrets
from portal.models import Event
from supervision import services
from supervision.models import Complaint, Status
from tests.supervision.test_mailbox import TRACK, file_via_web, form_data, tracking_refused

pytestmark = pytest.mark.django_db

FILED = reverse("supervision:complaint-filed")
FILED_TEXT = reverse("supervision:complaint-filed-text")
CHANGELIST = reverse("admin:supervision_complaint_changelist")
REPLY = "已查實,收費已退還。"


def secret_page(complaint):
    return reverse("admin:supervision_complaint_secret", args=[complaint.pk])


def shown_codes(html):
    return re.findall(r'<code class="big-code">([^<]+)</code>', html)


def spellings(secret):
    """The secret as shown and as a citizen might type it: none may appear in a page."""
    compact = secret.replace("-", "")
    return {secret, compact, compact.lower(), secret.lower()}


def assert_nowhere(secret, text):
    for spelling in spellings(secret):
        assert spelling not in text, spelling


@pytest.fixture
def replied(client, department_a, supervisor, publisher_a):
    """A real-name complaint filed on the web, assigned to department A and answered by it
    through the admin. Returns (complaint, code, secret) — the citizen's slip."""
    code, secret, _ = file_via_web(client, department_a, anonymous="", name="張三", phone="13912345678")
    complaint = Complaint.objects.get(tracking_code=code)
    services.complaint_accept(actor=supervisor, complaint=complaint)
    services.complaint_assign(actor=supervisor, complaint=complaint, department=department_a)
    client.force_login(publisher_a)
    client.post(CHANGELIST, {"action": "reply", "_selected_action": [complaint.pk], "text": REPLY, "index": 0})
    client.logout()
    complaint.refresh_from_db()
    assert complaint.status == Status.REPLIED
    return complaint, code, secret


def rate(client, code, secret=None, satisfaction="very_satisfied", reopen=""):
    data = {"action": "rate", "code": code, "satisfaction": satisfaction, "reopen": reopen}
    if secret is not None:
        data["secret"] = secret
    return client.post(TRACK, data)


# --- the attack, replayed ----------------------------------------------------------------


def test_a_department_publisher_who_sees_the_code_cannot_rate_close_or_reopen(client, replied, publisher_a):
    complaint, code, secret = replied
    client.force_login(publisher_a)
    # The publisher sees the whole code on the complaint's admin page and in the export…
    assert code in client.get(reverse("admin:supervision_complaint_change", args=[complaint.pk])).content.decode()
    export = client.post(reverse("admin:supervision_complaint_export"), {
        "format": "0", "resource": "0", **{f"complaintresource_{f}": "on" for f in ["tracking_code", "summary"]}})
    assert code in export.content.decode("utf-8", "ignore")

    # …and tries, with the code alone or with guesses, to rate their own reply and close it.
    for guess in [None, "", code, "AAAA-AAAA-AAAA", "K7Q2-M9XD-4HTW"]:
        html = rate(client, code, guess).content.decode()
        assert REPLY not in html
    assert REPLY not in tracking_refused(client, {"code": code})  # nor read it
    with pytest.raises(PermissionDenied):
        services.complaint_rate(complaint=complaint, secret=None, satisfaction="very_satisfied", reopen=False)
    with pytest.raises(PermissionDenied):  # nor reopen it
        services.complaint_rate(complaint=complaint, secret=code, satisfaction="dissatisfied", reopen=True)
    client.post(CHANGELIST, {"action": "close", "_selected_action": [complaint.pk], "index": 0})  # nor close it in the admin

    complaint.refresh_from_db()
    assert (complaint.status, complaint.satisfaction, complaint.reopen_count) == (Status.REPLIED, "", 0)
    assert not Event.objects.filter(kind__in=["complaint.closed", "complaint.reopened"]).exists()


def test_the_citizen_with_code_and_secret_rates_and_closes(client, replied):
    complaint, code, secret = replied
    html = client.post(TRACK, {"code": code, "secret": secret}).content.decode()
    assert REPLY in html and 'name="satisfaction"' in html
    html = rate(client, code.lower(), secret.lower().replace("-", " "), "satisfied").content.decode()
    complaint.refresh_from_db()
    assert (complaint.status, complaint.satisfaction) == (Status.CLOSED, "satisfied")
    assert_nowhere(secret, html)


def test_the_citizen_with_code_and_secret_reopens(client, replied):
    complaint, code, secret = replied
    rate(client, code, secret, "dissatisfied", reopen="on")
    complaint.refresh_from_db()
    assert (complaint.status, complaint.reopen_count) == (Status.REOPENED, 1)


def test_a_wrong_secret_counts_against_the_lookup_throttle(client, replied):
    complaint, code, secret = replied
    for _ in range(10):
        rate(client, code, "AAAA-AAAA-AAAA")
    rate(client, code, secret)  # even the right one waits now
    complaint.refresh_from_db()
    assert complaint.status == Status.REPLIED


# --- shown once, never echoed, never stored in clear ---------------------------------------


def test_every_web_filing_gets_a_secret_shown_once_and_stored_hashed(client, department_a):
    for anonymous in ("on", ""):
        client.cookies.clear()
        code, secret, html = file_via_web(client, department_a, anonymous=anonymous, name="張三")
        complaint = Complaint.objects.get(tracking_code=code)
        assert citizen_secrets.normalise(secret) == secret
        assert citizen_secrets.matches(secret, complaint.secret_hash)
        assert_nowhere(secret, complaint.secret_hash)
        again = client.get(FILED, follow=True).content.decode()
        assert_nowhere(secret, again)  # the second look finds nothing


def test_the_secret_travels_to_its_page_in_a_short_lived_cookie_and_never_rests_on_the_server(client, department_a):
    response = client.post(reverse("supervision:complaint-new"), form_data(department_a))
    assert response.status_code == 302 and response["Location"] == FILED
    cookie = response.cookies["gongkai_filed"]
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == FILED
    assert int(cookie["max-age"]) <= 600
    shown = client.get(FILED)
    secret = shown_codes(shown.content.decode())[1]
    assert shown.cookies["gongkai_filed"]["max-age"] == 0  # deleted as it is shown
    assert "no-store" in shown["Cache-Control"]
    # Nowhere on the server: not in the session, the complaint, its history or the events.
    stored = [json.dumps(s.get_decoded(), ensure_ascii=False) for s in Session.objects.all()]
    complaint = Complaint.objects.get()
    stored += [json.dumps(e.data, ensure_ascii=False) for e in Event.objects.all()]
    stored += [str(h.__dict__) for h in complaint.history.all()]
    stored += [str({k: v for k, v in complaint.__dict__.items() if k != "secret_hash"})]
    assert_nowhere(secret, "\n".join(stored))


def test_a_forged_or_stale_hand_over_shows_nothing(client):
    client.cookies["gongkai_filed"] = json.dumps({"code": "A" * 20, "secret": "K7Q2-M9XD-4HTW"})  # unsigned
    response = client.get(FILED)
    assert response.status_code == 302 and "K7Q2" not in response.content.decode()


def test_tracking_and_rating_pages_never_write_the_secret_back(client, replied):
    complaint, code, secret = replied
    pages = [
        client.post(TRACK, {"code": code, "secret": secret}),  # found: rating form shown
        client.post(TRACK, {"code": code, "secret": secret[:-1] + "Z"}),  # wrong
        rate(client, code, secret[:-1] + "Z"),  # wrong secret when rating
        rate(client, code, secret, satisfaction="not-a-level"),  # invalid form
    ]
    for response in pages:
        html = response.content.decode()
        assert_nowhere(secret, html)
        assert_nowhere(secret[:-1] + "Z", html)
        for field in re.findall(r'<input[^>]*name="secret"[^>]*>', html):
            assert 'type="password"' in field and "value=" not in field
    found = pages[0].content.decode()
    rating_form = found[found.index('name="action" value="rate"'):]
    rating_form = rating_form[:rating_form.index("</form>")]
    assert 'type="hidden" name="secret"' not in rating_form and 'name="secret"' in rating_form  # typed again


def test_save_as_text_returns_the_code_and_secret_and_keeps_nothing(client, department_a):
    code, secret, html = file_via_web(client, department_a)
    form = html[html.index(FILED_TEXT) - 100:]
    assert f'name="secret" value="{secret}"' in form  # the same page that shows them, nowhere else
    before = Complaint.objects.values_list("secret_hash", flat=True).get()
    sessions = Session.objects.count()
    response = client.post(FILED_TEXT, {"code": code, "secret": secret})
    text = response.content.decode("utf-8")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    assert response["Content-Disposition"].startswith("attachment;") and response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert code in text and secret in text and "/supervision/complaints/track/" in text
    assert Complaint.objects.values_list("secret_hash", flat=True).get() == before and Session.objects.count() == sessions


@pytest.mark.parametrize("data", [
    {}, {"code": "A" * 20}, {"code": "A" * 20, "secret": "<script>alert(1)</script>"},
    {"code": "<b>x</b>", "secret": "K7Q2-M9XD-4HTW"}, {"code": "A" * 20, "secret": "K7Q2-M9XD-4HT\x00"},
])
def test_save_as_text_refuses_anything_else_with_a_clear_page(client, data):
    response = client.post(FILED_TEXT, data)
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
    assert "<script>alert" not in response.content.decode()
    assert client.get(FILED_TEXT).status_code == 405


def test_the_page_that_shows_the_secret_offers_print_without_inline_script(client, department_a):
    from django.contrib.staticfiles import finders

    code, secret, html = file_via_web(client, department_a)
    assert "data-print" in html and "/static/js/print.js" in html and "/static/css/slip.css" in html
    assert "onclick" not in html and not re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "window.print()" in open(finders.find("js/print.js")).read()
    assert "@media print" in open(finders.find("css/slip.css")).read()


# --- staff never see it -------------------------------------------------------------------


def test_no_staff_screen_export_or_event_shows_the_secret(client, replied, publisher_a, supervisor):
    complaint, code, secret = replied
    for user in (publisher_a, supervisor):
        client.force_login(user)
        screens = [
            client.get(reverse("admin:supervision_complaint_change", args=[complaint.pk])),
            client.get(CHANGELIST),
            client.get(reverse("admin:supervision_complaint_history", args=[complaint.pk])),
            client.get(secret_page(complaint)),
            client.post(reverse("admin:supervision_complaint_export"), {
                "format": "0", "resource": "0",
                **{f"complaintresource_{f}": "on" for f in ["tracking_code", "summary", "details", "status"]}}),
        ]
        for response in screens:
            assert response.status_code == 200
            assert_nowhere(secret, response.content.decode("utf-8", "ignore"))
            assert complaint.secret_hash not in response.content.decode("utf-8", "ignore")
    assert_nowhere(secret, json.dumps([e.data for e in Event.objects.all()], ensure_ascii=False))
    assert_nowhere(secret, client.get("/api/v1/complaint-statistics/").content.decode())


# --- registered by staff ------------------------------------------------------------------


@pytest.mark.parametrize("anonymous", ["", "on"])
def test_staff_register_a_phone_complaint_and_see_its_secret_once_to_hand_over(client, supervisor, department_a, anonymous):
    client.force_login(supervisor)
    response = client.post(reverse("admin:supervision_complaint_register"), {
        **form_data(department_a, anonymous=anonymous, name="趙來電"), "channel": "phone", "received_on": "2026-11-30"})
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"] == secret_page(complaint)
    slip = client.get(response["Location"]).content.decode()
    code, secret = shown_codes(slip)
    assert code == complaint.tracking_code and citizen_secrets.matches(secret, complaint.secret_hash)
    assert "data-print" in slip and "/static/js/print.js" in slip and "onclick" not in slip
    assert_nowhere(secret, client.get(secret_page(complaint)).content.decode())  # once
    assert_nowhere(secret, client.get(reverse("admin:supervision_complaint_change", args=[complaint.pk])).content.decode())
    client.logout()
    assert "窗口違規收費" in client.post(TRACK, {"code": code, "secret": secret}).content.decode()  # the caller's slip works
    assert "窗口違規收費" not in tracking_refused(client, {"code": code})


def test_the_slip_reaches_only_the_browser_of_who_registered(client, supervisor, superuser, department_a):
    client.force_login(supervisor)
    response = client.post(reverse("admin:supervision_complaint_register"), {
        **form_data(department_a, anonymous="", name="錢來信"), "channel": "letter", "received_on": "2026-11-30"})
    complaint = Complaint.objects.get()
    from django.test import Client

    other = Client()
    other.force_login(superuser)
    assert shown_codes(other.get(response["Location"]).content.decode()) == []
    assert len(shown_codes(client.get(response["Location"]).content.decode())) == 2
    assert complaint.first_receiver == supervisor


# --- complaints filed before, and a new secret --------------------------------------------


@pytest.fixture
def legacy_real_name(department_a, supervisor, publisher_a):
    """A real-name complaint filed before every filing got a secret: it has none."""
    complaint = services.complaint_file(kind="complaint", department=department_a, summary="舊案", details="舊案內容",
                                        identity=services.Identity(name="孫舊案", phone="13700000000")).complaint
    Complaint.objects.filter(pk=complaint.pk).update(secret_hash="")
    services.complaint_accept(actor=supervisor, complaint=complaint)
    services.complaint_assign(actor=supervisor, complaint=complaint, department=department_a)
    services.complaint_reply(actor=publisher_a, complaint=Complaint.objects.get(pk=complaint.pk), body="舊案答覆")
    return Complaint.objects.get(pk=complaint.pk)


def test_an_old_real_name_complaint_still_reads_with_its_code_but_cannot_be_rated(client, legacy_real_name):
    code = legacy_real_name.tracking_code
    response = client.post(TRACK, {"code": code})
    html = response.content.decode()
    assert "舊案答覆" in html and 'name="satisfaction"' not in html and 'role="note"' in html  # ask the office
    rate(client, code, "")
    with pytest.raises(PermissionDenied):
        services.complaint_rate(complaint=legacy_real_name, secret=None, satisfaction="very_satisfied", reopen=False)
    legacy_real_name.refresh_from_db()
    assert legacy_real_name.status == Status.REPLIED


def test_an_old_anonymous_complaint_keeps_working_with_its_old_secret(client, department_a, supervisor, publisher_a):
    old_secret = "Zx-9_aBcdEfGhIjK"  # token_urlsafe(12), as issued before
    complaint = services.complaint_file(kind="report", department=department_a, summary="舊匿名", details="d", identity=None).complaint
    Complaint.objects.filter(pk=complaint.pk).update(secret_hash=make_password(old_secret))
    services.complaint_accept(actor=supervisor, complaint=complaint)
    services.complaint_assign(actor=supervisor, complaint=complaint, department=department_a)
    services.complaint_reply(actor=publisher_a, complaint=Complaint.objects.get(pk=complaint.pk), body="匿名答覆")
    code = complaint.tracking_code
    assert "匿名答覆" not in tracking_refused(client, {"code": code})
    assert "匿名答覆" in client.post(TRACK, {"code": code, "secret": old_secret}).content.decode()
    rate(client, code, old_secret, "satisfied")
    assert Complaint.objects.get(pk=complaint.pk).status == Status.CLOSED


def test_a_supervisor_issues_a_new_secret_shown_once_and_logged(client, legacy_real_name, supervisor):
    client.force_login(supervisor)
    page = secret_page(legacy_real_name)
    assert 'name="reason"' in client.get(page).content.decode()
    refused = client.post(page, {"reason": " "}, follow=True)
    assert shown_codes(refused.content.decode()) == [] and not Event.objects.filter(kind="complaint.secret_reissued").exists()
    response = client.post(page, {"reason": "本人來電,已核對身分"})
    assert response.status_code == 302
    code, secret = shown_codes(client.get(page).content.decode())
    assert code == legacy_real_name.tracking_code
    assert_nowhere(secret, client.get(page).content.decode())  # once
    event = Event.objects.get(kind="complaint.secret_reissued")
    assert event.actor == supervisor and event.data == {"reason": "本人來電,已核對身分"}
    client.logout()
    assert "舊案答覆" not in tracking_refused(client, {"code": code})  # the code alone no longer does
    rate(client, code, secret, "satisfied")
    assert Complaint.objects.get(pk=legacy_real_name.pk).status == Status.CLOSED


def test_a_new_secret_replaces_the_old_one(replied, supervisor):
    complaint, code, secret = replied
    new = services.complaint_reissue_secret(actor=supervisor, complaint=complaint, reason="遺失")
    complaint.refresh_from_db()
    assert citizen_secrets.matches(new, complaint.secret_hash) and not citizen_secrets.matches(secret, complaint.secret_hash)


def test_only_supervisors_issue_a_new_secret_and_never_for_an_anonymous_filing(client, replied, publisher_a, coordinator,
                                                                              supervisor, department_a):
    complaint, code, secret = replied
    for user in (publisher_a, coordinator):
        with pytest.raises(PermissionDenied):
            services.complaint_reissue_secret(actor=user, complaint=complaint, reason="想自己評價")
    client.force_login(publisher_a)
    assert client.post(secret_page(complaint), {"reason": "想自己評價"}).status_code == 403
    page = client.get(secret_page(complaint))
    assert page.status_code == 200 and complaint.tracking_code[:8] in page.content.decode()
    assert 'name="reason"' not in page.content.decode()
    anonymous = services.complaint_file(kind="report", department=department_a, summary="s", details="d", identity=None).complaint
    with pytest.raises(services.TransitionError):
        services.complaint_reissue_secret(actor=supervisor, complaint=anonymous, reason="有人說是他")
    complaint.refresh_from_db()
    assert citizen_secrets.matches(secret, complaint.secret_hash)
    assert not Event.objects.filter(kind="complaint.secret_reissued").exists()
