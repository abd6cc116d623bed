"""The language and care-mode switches post without a CSRF token (portal.switches), so
that cached pages hold none: a post from the site's own pages switches, one a browser says
came from another site is refused with the 403 page, and nothing is switched."""

import pytest
from django.test import Client
from django.urls import reverse

from portal import care

pytestmark = pytest.mark.django_db

SWITCHES = [
    ("set_language", {"language": "en", "next": "/departments/"}, "gongkai_language", "en"),
    ("portal:care-mode", {"on": "1", "next": "/departments/"}, care.COOKIE, "1"),
]
OWN = {"secure": True, "HTTP_HOST": "gongkai.example"}


@pytest.mark.parametrize("name, form, cookie, value", SWITCHES)
@pytest.mark.parametrize(
    "headers",
    [
        {"sec-fetch-site": "same-origin", "origin": "https://gongkai.example"},
        {"sec-fetch-site": "none"},  # typed or bookmarked
        {"origin": "https://gongkai.example"},  # a browser that does not send Sec-Fetch-Site
        {},  # not a browser: nobody else's cookie to abuse
    ],
)
def test_a_switch_posted_from_the_sites_own_pages_needs_no_token(settings, name, form, cookie, value, headers):
    settings.ALLOWED_HOSTS = ["gongkai.example"]
    reader = Client(enforce_csrf_checks=True)
    response = reader.post(reverse(name), form, headers=headers, **OWN)
    assert response.status_code == 302 and response["Location"] == "/departments/"
    assert response.cookies[cookie].value == value


@pytest.mark.parametrize("name, form, cookie, value", SWITCHES)
@pytest.mark.parametrize(
    "headers",
    [
        {"sec-fetch-site": "cross-site", "origin": "https://evil.example"},
        {"sec-fetch-site": "same-site", "origin": "https://other.gongkai.example"},
        {"origin": "https://evil.example"},
        {"origin": "null"},  # a sandboxed frame
    ],
)
def test_a_switch_posted_from_another_site_is_refused(settings, name, form, cookie, value, headers):
    settings.ALLOWED_HOSTS = ["gongkai.example"]
    reader = Client(enforce_csrf_checks=True)
    response = reader.post(reverse(name), form, headers=headers, **OWN)
    assert response.status_code == 403
    assert cookie not in response.cookies
    assert "<html" in response.content.decode()  # the site's own 403 page


def test_a_trusted_origin_may_post_a_switch(settings):
    settings.ALLOWED_HOSTS = ["gongkai.example"]
    settings.CSRF_TRUSTED_ORIGINS = ["https://www.gongkai.example"]
    response = Client(enforce_csrf_checks=True).post(
        reverse("set_language"), {"language": "en", "next": "/"}, headers={"origin": "https://www.gongkai.example"}, **OWN
    )
    assert response.status_code == 302
