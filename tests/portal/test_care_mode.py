"""Care mode (關懷版, portal/care.py): a switch on every public page, kept in a cookie, the
reader sent back where they were (never to another site), pages cached apart per mode."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PUBLIC = ["/", "/departments/", "/disclosures/", "/disclosures/catalogue/", "/approvals/", "/approvals/fees/",
          "/supervision/complaints/new/", "/supervision/stats/", "/search/?q=預算"]


def care_reader() -> Client:
    reader = Client()
    reader.cookies["gongkai_care"] = "1"
    return reader


@pytest.mark.parametrize("path", PUBLIC)
def test_every_public_page_offers_the_switch_and_marks_the_mode(client, reference_data, path):
    standard = client.get(path).content.decode()
    assert 'action="/care-mode/"' in standard and 'class="care"' not in standard and "care.css" not in standard
    assert "關懷版" in standard
    cared = care_reader().get(path).content.decode()
    assert '<html lang="zh-Hant" class="care">' in cared
    assert 'care.css" media="screen"' in cared and "返回標準版" in cared


def test_switching_on_keeps_the_choice_and_returns_to_the_page(client, reference_data):
    client.get("/disclosures/")
    response = client.post("/care-mode/", {"on": "1", "next": "/disclosures/?category=finance"})
    assert response.status_code == 302 and response["Location"] == "/disclosures/?category=finance"
    cookie = response.cookies["gongkai_care"]
    assert cookie.value == "1" and int(cookie["max-age"]) >= 30 * 24 * 3600 and cookie["httponly"]
    assert 'class="care"' in client.get("/disclosures/").content.decode()

    response = client.post("/care-mode/", {"next": "/disclosures/"})
    assert response.status_code == 302 and response.cookies["gongkai_care"].value == ""
    assert 'class="care"' not in client.get("/disclosures/").content.decode()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", ""])
def test_the_switch_never_sends_the_reader_to_another_site(client, target):
    response = client.post("/care-mode/", {"on": "1", "next": target})
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_switch_is_a_post_form(client):
    assert client.get("/care-mode/?on=1").status_code == 405


def test_standard_and_care_pages_are_cached_apart(client, reference_data, django_assert_num_queries):
    care = care_reader()
    for _ in range(2):
        assert 'class="care"' not in client.get("/").content.decode()
        assert 'class="care"' in care.get("/").content.decode()
    with django_assert_num_queries(0):
        assert 'class="care"' in care.get("/").content.decode()
