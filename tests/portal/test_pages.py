"""Public pages of the core: accessible, translated, a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.models import Department

pytestmark = pytest.mark.django_db


def make_departments(count, start=0):
    for n in range(start, start + count):
        Department.objects.create(code=f"d{n}", name=f"第{n}局", kind=Department.Kind.BUREAU, phone=f"0915-{n:07d}")


def query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/", "/departments/"])
def test_pages_are_accessible_landmarks(client, url):
    make_departments(2)
    html = client.get(url).content.decode()
    assert '<html lang="zh-Hant">' in html
    assert 'class="skip-link" href="#main"' in html
    assert '<main id="main"' in html
    assert 'role="banner"' in html and 'role="contentinfo"' in html
    assert '<label for="lang-select">' in html


@pytest.mark.parametrize("url", ["/", "/departments/", "/departments/d0/"])
def test_page_queries_do_not_grow_with_data(client, url, cold_pages):
    make_departments(2)
    few = query_count(client, url)
    make_departments(30, start=2)
    assert query_count(client, url) == few


def test_department_page_shows_contact_details(client):
    Department.objects.create(code="finance", name="縣財政局", phone="0915-5210015", service_window="7號窗口", duties="預算")
    html = client.get("/departments/finance/").content.decode()
    assert "縣財政局" in html and "0915-5210015" in html and "7號窗口" in html


def test_unknown_department_is_404(client):
    assert client.get("/departments/nope/").status_code == 404


def test_simplified_reader_sees_simplified_data(client):
    Department.objects.create(code="finance", name="縣財政局")
    client.cookies["gongkai_language"] = "zh-hans"
    html = client.get("/departments/finance/").content.decode()
    assert "县财政局" in html and 'lang="zh-Hans"' in html


def test_language_switch_keeps_the_reader_on_the_same_page(client):
    Department.objects.create(code="finance", name="縣財政局")
    response = client.post(reverse("set_language"), {"language": "en", "next": "/departments/finance/"})
    assert response.status_code == 302 and response["Location"] == "/departments/finance/"
    assert client.get("/departments/finance/").content.decode().count('lang="en"') >= 1


def test_home_lists_the_eight_disclosures(client):
    html = client.get("/").content.decode()
    for name in ["目標規劃公開", "財務公開", "國有和集體資產公開", "幹部使用公開", "廉政公開", "農民負擔公開", "計劃生育公開", "機關部門辦事程序公開"]:
        assert name in html
    assert "對內公開" not in html  # the internal group is never on public pages


def test_admin_is_titled_for_the_portal(client, superuser):
    client.force_login(superuser)
    from django.contrib import admin

    html = client.get("/admin/").content.decode()
    assert f'<a href="/admin/">{admin.site.site_header}</a>' in html  # translated, in zh-Hant


def test_audit_history_records_who_changed_a_department(client, coordinator, department_a):
    client.force_login(coordinator)
    url = reverse("admin:portal_department_change", args=[department_a.pk])
    response = client.post(url, {"code": "dept-a", "name": "甲局(改)", "kind": "bureau"})
    assert response.status_code == 302, response.content
    record = department_a.history.first()
    assert record.history_user == coordinator and record.name == "甲局(改)"
    history = client.get(reverse("admin:portal_department_history", args=[department_a.pk]))
    assert history.status_code == 200 and "coordinator" in history.content.decode()
