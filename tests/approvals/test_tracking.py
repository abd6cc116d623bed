"""The applicant's lookup: tracking number and the last four phone digits, nothing more shown,
wrong guesses throttled; and rating a finished application, once, with the receipt's secret."""

import datetime as dt

import pytest
from django.urls import reverse

from approvals import services, tracking
from approvals.models import ApplicationStatus, Rating, RectificationCase
from portal import citizen_secrets
from tests.approvals.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

TRACK = reverse("approvals:track")
#: The secret on the applicant's receipt.
SECRET = "K7Q2-M9XD-4HTW"


@pytest.fixture
def application(item_a):
    return ApplicationFactory(item=item_a, applicant_name="張小明", applicant_id_number="11010519491231002X",
                              applicant_phone="138 1234 5678", status=ApplicationStatus.UNDER_REVIEW,
                              rating_secret_hash=citizen_secrets.hashed(SECRET))


def look_up(client, number, digits, ip="10.0.0.1"):
    return client.post(TRACK, {"tracking_number": number, "phone_last_four": digits}, REMOTE_ADDR=ip)


def test_the_number_and_the_phone_digits_show_the_progress_and_nothing_about_the_applicant(client, application):
    """Done means: the applicant tracks it with the code and phone digits."""
    response = look_up(client, application.tracking_number.lower().replace("-", " "), "5678")
    html = response.content.decode()
    assert response.status_code == 200
    assert application.tracking_number in html and application.item.name in html
    assert "2026" in html  # the due date
    for secret in ["張小明", "張", "11010519491231002X", "13812345678", "138 1234 5678"]:
        assert secret not in html.split("<main", 1)[1], secret


def test_wrong_digits_show_nothing(client, application):
    response = look_up(client, application.tracking_number, "0000")
    assert response.status_code == 404 and application.item.name not in response.content.decode()


def test_after_five_wrong_guesses_from_one_address_even_the_right_answer_is_refused(client, application):
    for digits in ["0000", "1111", "2222", "3333", "4444"]:
        assert look_up(client, "20261009-ABCDEFGH", digits).status_code == 404
    blocked = look_up(client, application.tracking_number, "5678")
    assert blocked.status_code == 429 and application.item.name not in blocked.content.decode()
    elsewhere = look_up(client, application.tracking_number, "5678", ip="10.0.0.2")
    assert elsewhere.status_code == 200 and application.item.name in elsewhere.content.decode()


def test_guessing_one_numbers_digits_from_many_addresses_is_throttled_too(client, application):
    for n in range(tracking.MAX_FAILURES):
        look_up(client, application.tracking_number, f"{n:04d}", ip=f"10.0.1.{n}")
    assert look_up(client, application.tracking_number, "5678", ip="10.0.2.1").status_code == 429


def test_the_throttle_window_ends(client, application, monkeypatch):
    for n in range(tracking.MAX_FAILURES):
        look_up(client, application.tracking_number, f"{n:04d}")
    from portal import throttle

    # The window running out, as the cache's expiry would do it.
    throttle.reset("approvals-track-ip", "10.0.0.1")
    throttle.reset("approvals-track-number", application.tracking_number)
    response = look_up(client, application.tracking_number, "5678")
    assert response.status_code == 200 and application.item.name in response.content.decode()
    assert response.context["application"] == application


def test_a_malformed_form_is_not_a_lookup(client):
    response = client.post(TRACK, {"tracking_number": "x", "phone_last_four": "12"})
    assert response.status_code == 200 and "phone_last_four" in response.context["form"].errors


@pytest.mark.parametrize("typed,stored", [
    ("20261009-K7Q2M9XD", "20261009-K7Q2M9XD"), (" 20261009 k7q2m9xd ", "20261009-K7Q2M9XD"),
    ("20261009K7Q2M9XD", "20261009-K7Q2M9XD"), ("20261009-K7Q2M9X0", None), ("hello", None),
])
def test_tracking_numbers_forgive_spaces_case_and_a_missing_hyphen(typed, stored):
    assert tracking.normalise(typed) == stored


def test_a_new_tracking_number_has_the_documented_form():
    number = tracking.new_tracking_number(dt.date(2026, 10, 9))
    assert tracking.normalise(number) == number and number.startswith("20261009-") and len(number) == 17


# --- ratings -------------------------------------------------------------------------------


def rate(client, application, level, digits="5678", secret=SECRET):
    return client.post(reverse("approvals:rate"), {
        "tracking_number": application.tracking_number, "phone_last_four": digits, "level": level, "comment": "太慢",
        "secret": secret,
    })


@pytest.fixture
def finished(application):
    application.status, application.decided_on, application.completed_on = "completed", dt.date(2026, 10, 20), dt.date(2026, 10, 21)
    application.decision = "准予許可"
    application.save()
    return application


def test_a_finished_application_offers_the_rating_form(client, finished):
    assert look_up(client, finished.tracking_number, "5678").context["rating_form"] is not None


def test_a_running_application_cannot_be_rated(client, application):
    assert look_up(client, application.tracking_number, "5678").context["rating_form"] is None
    assert rate(client, application, 5).status_code == 409


def test_a_good_rating_opens_nothing_and_can_be_given_once(client, finished):
    assert rate(client, finished, 4).status_code == 200
    assert Rating.objects.get(application=finished).level == 4
    assert not RectificationCase.objects.exists()
    again = rate(client, finished, 1)
    assert again.status_code == 409 and not RectificationCase.objects.exists()


@pytest.mark.parametrize("level", [2, 1])
def test_a_bad_rating_opens_a_rectification_case_due_in_five_working_days(client, finished, level, department_a):
    assert rate(client, finished, level).status_code == 200
    case = RectificationCase.objects.get()
    assert case.department == department_a and case.item == finished.item and case.working_days == 5
    from portal.calendar import add_working_days

    assert case.due_on == add_working_days(case.opened_on, 5).date


def test_a_departments_rule_sets_the_rectification_deadline(client, finished, department_a):
    from approvals.models import RectificationRule

    RectificationRule.objects.create(department=department_a, working_days=15)
    rate(client, finished, 1)
    assert RectificationCase.objects.get().working_days == 15


def test_rating_needs_the_phone_digits_too(client, finished):
    assert rate(client, finished, 1, digits="0000").status_code == 404
    assert not RectificationCase.objects.exists()


def test_closing_the_case_publishes_its_outcome(client, finished, publisher_a, publisher_b):
    rate(client, finished, 1)
    case = RectificationCase.objects.get()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.rectification_close(actor=publisher_b, case=case, outcome="無")
    services.rectification_close(actor=publisher_a, case=case, outcome="已約談窗口人員並公示告知清單")
    assert "已約談窗口人員並公示告知清單" in client.get(finished.item.get_absolute_url()).content.decode()
    assert "已約談窗口人員並公示告知清單" in client.get(reverse("approvals:ratings")).content.decode()
