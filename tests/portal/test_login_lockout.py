"""Login guessing is slowed (issue 11, item 6): django-axes locks one account from one
address out after ``GONGKAI_LOGIN_FAILURE_LIMIT`` wrong passwords, with a clear page in
Chinese; a superuser sees the attempts in the admin and unlocks."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")


def log_in(client, username, password, ip="203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=ip)


def guess(client, username, times, ip="203.0.113.7"):
    return [log_in(client, username, f"wrong-{n}", ip=ip).status_code for n in range(times)]


def test_the_limit_defaults_to_five_failures_with_a_half_hour_pause():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 30 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_the_fifth_wrong_password_locks_the_account_out_from_that_address(client, supervisor):
    statuses = guess(client, "supervisor", 5)
    assert statuses == [200, 200, 200, 200, 429]
    # From now on even the right password is refused from this address …
    response = log_in(client, "supervisor", "pw-supervisor")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_is_clear_and_in_traditional_chinese(client, supervisor):
    guess(client, "supervisor", 5)
    html = log_in(client, "supervisor", "pw-supervisor").content.decode()
    with translation.override("zh-hant"):
        paused = translation.gettext("Login paused")
    assert paused != "Login paused" and paused in html
    assert "30" in html  # the minutes to wait
    assert "supervisor" not in html.split("<body", 1)[1].split("</h1>", 1)[1]  # the account is not echoed


def test_the_lockout_page_in_simplified_chinese(client, supervisor):
    guess(client, "supervisor", 5)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = log_in(client, "supervisor", "pw-supervisor").content.decode()
    with translation.override("zh-hans"):
        paused = translation.gettext("Login paused")
    with translation.override("zh-hant"):
        traditional = translation.gettext("Login paused")
    assert paused in html and paused != traditional


def test_another_address_and_another_account_are_not_locked(client, supervisor, coordinator):
    guess(client, "supervisor", 5, ip="203.0.113.7")
    assert log_in(client, "coordinator", "pw-coordinator", ip="203.0.113.7").status_code == 302
    assert client.session["_auth_user_id"] == str(coordinator.pk)  # logged in, not sent elsewhere
    client.logout()
    assert log_in(client, "supervisor", "pw-supervisor", ip="198.51.100.9").status_code == 302
    assert client.session["_auth_user_id"] == str(supervisor.pk)


def test_a_successful_login_starts_the_count_again(client, supervisor):
    guess(client, "supervisor", 4)
    assert log_in(client, "supervisor", "pw-supervisor").status_code == 302
    client.logout()
    assert guess(client, "supervisor", 4) == [200, 200, 200, 200]


@override_settings(AXES_FAILURE_LIMIT=2)
def test_the_limit_is_a_setting(client, supervisor):
    assert guess(client, "supervisor", 2) == [200, 429]


@override_settings(GONGKAI_TRUSTED_PROXIES=["10.0.0.1"])
def test_behind_the_proxy_the_citizens_address_is_what_is_locked(client, supervisor):
    """The lockout keys on portal.throttle.client_address: behind a trusted proxy, two
    people are two addresses, not one proxy."""
    for n in range(5):
        client.post(LOGIN, {"username": "supervisor", "password": f"x{n}"},
                    REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"
    ok = client.post(LOGIN, {"username": "supervisor", "password": "pw-supervisor", "next": "/admin/"},
                     REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert ok.status_code == 302


def test_a_superuser_sees_the_attempts_in_chinese_and_unlocks(client, supervisor, superuser):
    guess(client, "supervisor", 5)
    attempt = AccessAttempt.objects.get(username="supervisor")
    assert attempt.failures_since_start == 5
    client.force_login(superuser)
    listing = client.get(reverse("admin:axes_accessattempt_changelist"))
    html = listing.content.decode()
    with translation.override("zh-hant"):
        title, app = translation.gettext("access attempts"), translation.gettext("Login attempts")
    assert listing.status_code == 200 and "supervisor" in html
    assert title != "access attempts" and title in html and app in html
    response = client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert response.status_code == 302
    client.logout()
    assert log_in(client, "supervisor", "pw-supervisor").status_code == 302


def test_the_coordinator_neither_sees_nor_lifts_lockouts(client, supervisor, coordinator):
    guess(client, "supervisor", 5)
    attempt = AccessAttempt.objects.get()
    client.force_login(coordinator)
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403
    assert client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}).status_code == 403
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
