"""Security headers on every HTML page, the admin included (issue 11, item 11): a
Content-Security-Policy without inline script, HSTS, secure cookies, nosniff,
Referrer-Policy and frame denial; no inline script left in our templates; and bandit
finds nothing of high severity in our code."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from portal.headers import source_hash

pytestmark = pytest.mark.django_db

REPO = Path(settings.BASE_DIR)
PUBLIC = "/"
ADMIN_LOGIN = "/admin/login/"


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parsed = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


@pytest.fixture
def admin_page(client, superuser):
    client.force_login(superuser)
    return client.get("/admin/", secure=True)


@pytest.mark.parametrize("url", [PUBLIC, ADMIN_LOGIN, "/approvals/fees/", "/supervision/complaints/new/", "/api/docs/"])
def test_every_page_has_a_policy_without_inline_script(client, url):
    response = client.get(url, secure=True)
    assert response.status_code == 200
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"] and policy["form-action"] == ["'self'"]


def test_public_pages_allow_no_inline_style_either(client):
    assert directives(client.get(PUBLIC, secure=True))["style-src"] == ["'self'"]


def test_the_admin_has_its_policy_too(admin_page):
    policy = directives(admin_page)
    assert admin_page.status_code == 200
    assert "'unsafe-inline'" not in policy["script-src"]
    # Library templates' inline styles and import-export's one handler, by its hash only.
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert source_hash("onSelectToggleChange(event)") in policy["script-src"]


@pytest.mark.parametrize("url", [PUBLIC, ADMIN_LOGIN])
def test_the_other_headers_are_kept(client, url):
    response = client.get(url, secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_cookies_are_secure(client, superuser):
    client.get(ADMIN_LOGIN, secure=True)
    token = client.cookies["csrftoken"].value
    response = client.post(ADMIN_LOGIN, {"username": "root", "password": "pw-root", "next": "/admin/",
                                         "csrfmiddlewaretoken": token}, secure=True)
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"]
    assert client.cookies["csrftoken"]["secure"]
    language = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"}, secure=True)
    assert language.cookies[settings.LANGUAGE_COOKIE_NAME]["secure"]


def test_a_library_inline_script_runs_only_with_this_responses_nonce(client, superuser):
    """django-celery-beat's periodic-task form keeps its inline script, given the nonce."""
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.first()
    client.force_login(superuser)
    response = client.get(reverse("admin:django_celery_beat_periodictask_change", args=[task.pk]), secure=True)
    nonce = re.search(r'<script id="periodic-task-overrides" nonce="([^"]+)"', response.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in directives(response)["script-src"]
    again = client.get(reverse("admin:django_celery_beat_periodictask_change", args=[task.pk]), secure=True)
    assert f"'nonce-{nonce}'" not in again["Content-Security-Policy"]  # a fresh one every time


def test_swagger_ui_loads_its_start_up_script_as_a_file(client):
    html = client.get("/api/docs/").content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts and all("src=" in tag for tag in scripts)
    assert client.get("/api/docs/?script=").status_code == 200


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)


def our_templates():
    skip = {".venv", "node_modules", "var", ".git"}
    return [path for path in REPO.rglob("*.html") if not skip & set(path.relative_to(REPO).parts)
            and "templates" in path.parts]


def test_our_templates_have_no_inline_script_handlers_or_styles():
    offenders = []
    for path in our_templates():
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, HANDLER, STYLE_ATTRIBUTE):
            for match in pattern.finditer(text):
                if 'nonce="{{ request.csp_nonce }}"' not in match.group(0):
                    offenders.append(f"{path.relative_to(REPO)}: {match.group(0).strip()}")
    assert len(our_templates()) > 20  # the walk found the templates
    assert not offenders


def test_bandit_finds_nothing_of_high_severity():
    result = subprocess.run(
        [sys.executable, "-m", "bandit", "-r", "portal", "disclosures", "approvals", "supervision",
         "-f", "json", "-q"],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )
    report = json.loads(result.stdout)
    high = [f"{issue['filename']}:{issue['line_number']} {issue['test_id']} {issue['issue_text']}"
            for issue in report["results"] if issue["issue_severity"] == "HIGH"]
    assert report["metrics"]["_totals"]["loc"] > 5000  # it did scan our code
    assert not high
