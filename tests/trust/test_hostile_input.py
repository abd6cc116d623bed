"""No input gives a 500 (issue 11 §8): every public page, filter, URL parameter and form,
fed hostile strings, invalid encodings, oversize bodies, odd methods and headers, answers
with a page (4xx with a translated explanation when it refuses) and echoes nothing
unescaped. The URLs and parameters are enumerated from the URLconf and the forms; guard
tests fail when a new page, parameter or form field is not covered here."""

import io
import itertools
import re
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from approvals.forms import ItemFilterForm, RatingForm, ResultFilterForm
from approvals.forms import TrackForm as ApplicationTrackForm
from disclosures.requests.forms import RequestForm
from disclosures.requests.forms import TrackForm as RequestTrackForm
from portal.bad_requests import FIELD_READ_LIMIT
from supervision.forms import ComplaintForm, RateForm
from tests.trust.cases import HOSTILE, Probe

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

# --- What the public can reach ---------------------------------------------------------------

API_LIST = ["page", "page_size", "format"]

#: Every public GET page (by URL name) and the query parameters its view reads.
PAGES = {
    "portal:home": [],
    "portal:department-list": [],
    "portal:department-detail": [],
    "portal:search": ["q", "source", "page"],
    "healthz": [],
    "set_language": ["next", "language"],
    "portal:care-mode": ["next", "on"],
    "disclosures:list": ["q", "category", "department", "year", "sort", "validity", "normative", "page"],
    "disclosures:catalogue": [],
    "disclosures:catalogue-domain": ["page"],
    "disclosures:catalogue-category": ["page"],
    "disclosures:detail": ["table", "sort", "dir", "page", "v"],
    "disclosures:history": [],
    "disclosures:poster": [],
    "disclosures:revision": [],
    "disclosures:attachment": [],
    "disclosures:table-csv": [],
    "disclosures:request-new": ["department"],
    "disclosures:request-filed": [],
    "disclosures:request-track": [],
    "disclosures:request-stats": ["year"],
    "approvals:list": ["q", "department", "kind", "status", "page"],
    "approvals:fees": ["department"],
    "approvals:results": ["department", "item", "year", "outcome", "page"],
    "approvals:results-csv": ["department", "item", "year", "outcome"],
    "approvals:reform": ["year"],
    "approvals:hall": [],
    "approvals:ratings": [],
    "approvals:track": [],
    "approvals:rate": [],
    "approvals:detail": [],
    "approvals:blank-form": [],
    "supervision:assessment-results": ["year"],
    # The supervision office's pages: anonymous visitors go to the login page; probed signed
    # in as a supervisor by test_hostile_query_parameters_on_the_supervisors_pages.
    "supervision:dashboard": ["year", "department", "sort", "dir", "format"],
    "supervision:dashboard-department": ["year"],
    "supervision:dashboard-records": ["indicator", "department", "year", "counted", "after"],
    "supervision:dashboard-overdue": ["kind", "department", "after"],
    "supervision:assessment": ["year", "format"],
    "feeds:disclosures": ["category"],
    "feeds:department": [],
    "api:api-root": ["format"],
    "api:approval-item-list": ["q", "department", "kind", "status", *API_LIST],
    "api:approval-item-detail": ["format"],
    "api:approval-result-list": ["department", "item", "year", "outcome", *API_LIST],
    "api:catalogue-entry-list": API_LIST,
    "api:catalogue-entry-detail": ["format"],
    "api:category-list": API_LIST,
    "api:category-detail": ["format"],
    "api:complaint-statistics-list": ["year", *API_LIST],
    "api:department-list": API_LIST,
    "api:department-detail": ["format"],
    "api:disclosure-list": ["q", "category", "department", "year", "sort", "validity", "normative", *API_LIST],
    "api:disclosure-detail": ["format"],
    "api:fee-list": API_LIST,
    "api:fee-detail": ["format"],
    "api-schema": ["format", "lang"],
    "api-docs": [],
    "api-steps": [],
    "supervision:complaint-new": ["approval_item", "fee_item", "disclosure", "department"],
    "supervision:complaint-filed": [],
    "supervision:complaint-track": [],
    "supervision:stats": ["year"],
    "supervision:rectifications": ["state", "department", "after"],
    "supervision:campaign-list": [],
    "supervision:campaign-results": [],
    "supervision:evaluate": [],
    "supervision:evaluate-login": ["next"],
    "supervision:evaluate-invitation": [],
    "supervision:scorecard": [],
}

#: Pages that answer a plain GET with something else than a page (a redirect, a 404 or 405).
NOT_A_PAGE_BY_GET = {"api-steps", "approvals:rate", "disclosures:attachment", "supervision:complaint-filed", "set_language",
                     "portal:care-mode",
                     # no such campaign, link or session: a 404, or the evaluators' sign-in page
                     "supervision:campaign-results", "supervision:evaluate-invitation", "supervision:evaluate",
                     "supervision:scorecard", "disclosures:request-filed"}
#: The strings each parameter or field also gets alone: those a parser reads as a number, a
#: date or a code, and the ones that must come back escaped.
ALONE = ["script", "huge-number", "full-width-digits", "impossible-date"]
#: Pages slow to render (the whole OpenAPI schema): fewer strings in all their parameters.
SLOW = {"api-schema": ["script", "nul", "sql-quote", "long-chinese"]}
#: The strings tried in each URL argument.
IN_PATHS = ["script", "template", "sql-quote", "like-wildcards", "nul", "controls", "rtl-override", "long-chinese",
            "astral", "negative", "float-overflow", "traversal", "blank"]

#: Query parameters that give a page its full path (a table to sort and page).
BASE_QUERY = {"disclosures:detail": {"table": "0"}}

#: Every public form: (URL name, form classes whose fields it posts, fields outside the form).
FORMS = {
    "approvals:track": ([ApplicationTrackForm], []),
    "approvals:rate": ([RatingForm], []),
    "supervision:complaint-new": ([ComplaintForm], []),
    "disclosures:request-new": ([RequestForm], []),
    "disclosures:request-track": ([RequestTrackForm], []),
    "disclosures:request-filed-text": ([], ["code", "secret"]),
    "supervision:complaint-track": ([RateForm], ["action"]),
    "supervision:complaint-filed-text": ([], ["code", "secret"]),
    "set_language": ([], ["language", "next"]),
    "portal:care-mode": ([], ["on", "next"]),
    "admin:login": ([AdminAuthenticationForm], ["next"]),
    "supervision:evaluate-login": ([AuthenticationForm], ["next"]),
    "supervision:evaluate-logout": ([], []),
}


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace])) or None
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), ":".join(filter(None, [namespace, pattern.name]))


def public_urls() -> dict[str, str]:
    """URL name → a path template with ``{argument}`` slots, outside the admin."""
    found = {}
    for route, name in _walk(get_resolver().url_patterns):
        if route.startswith("admin/") or route.startswith("media/"):
            continue
        route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route).replace("^", "").replace("$", "")
        route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
        found[name] = "/" + route
    return found


def concrete(name: str, template: str, world, **override) -> str:
    """The path of ``name`` with real arguments (so the unchanged URL reaches its page),
    any of them overridden."""
    codes = {
        "approvals:detail": world.item.code, "approvals:blank-form": world.item.code,
        "api:approval-item-detail": world.item.code, "api:fee-detail": world.fee.code,
        "api:category-detail": world.disclosure.category.code,
        "disclosures:catalogue-domain": "social-assistance", "disclosures:catalogue-category": "finance",
    }
    keys = {"api:catalogue-entry-detail": world.catalogue_entry.pk}
    values = {
        "code": codes.get(name, world.department.code),
        "pk": keys.get(name, world.disclosure.pk),
        "number": 0 if name == "disclosures:table-csv" else 1,
        "attachment_id": 1,
        "material_id": world.material.pk,
        "model": "disclosures.disclosure",
        "token": "no-such-link",
        **override,
    }
    return template.format(**{key: quote(str(value), safe="") for key, value in values.items()})


@pytest.fixture
def probe(client):
    hostile = Probe(Client(raise_request_exception=False), "hostile input")
    yield hostile
    hostile.close()


def assert_clean(probe):
    assert not probe.failures, "\n".join(probe.failures[:40])


# --- Guards: nothing public escapes the tables above ---------------------------------------------


def test_every_public_url_is_probed():
    assert set(public_urls()) <= set(PAGES) | set(FORMS), set(public_urls()) - set(PAGES) - set(FORMS)


def test_every_query_parameter_a_view_reads_is_probed():
    read = set()
    for module in ["portal/views.py", "portal/search/views.py", "disclosures/views.py", "disclosures/search.py",
                   "disclosures/requests/views.py",
                   "disclosures/feeds.py", "disclosures/tables.py", "approvals/views.py", "supervision/views/__init__.py",
                   "supervision/views/rectifications.py", "supervision/views/campaigns.py", "supervision/views/dashboard.py",
                   "supervision/api.py", "portal/api.py", "approvals/api.py", "disclosures/api.py"]:
        source = (ROOT / module).read_text()
        read |= set(re.findall(r'(?:GET|params|query_params)(?:\.get\(|\[)"(\w+)"', source))
    read |= {"approval_item", "fee_item", "disclosure"}  # supervision.views._initial, from a tuple
    for form in (ItemFilterForm, ResultFilterForm):
        read |= set(form.base_fields)
    probed = {parameter for parameters in PAGES.values() for parameter in parameters}
    assert read <= probed, read - probed


def test_no_public_form_field_can_be_cut_and_still_pass():
    """Public form views read each field up to FIELD_READ_LIMIT bytes (portal.bad_requests):
    safe only while every text field allows fewer characters than a cut field keeps (12
    bytes per character at most: four of UTF-8, each percent-encoded)."""
    from django import forms

    for name, (form_classes, _extra) in FORMS.items():
        if not getattr(resolve(reverse(name)).func, "reads_fields_cut", False):
            continue
        for form in form_classes:
            for field_name, field in form.base_fields.items():
                if isinstance(field, forms.CharField):
                    assert field.max_length is not None and field.max_length * 12 < FIELD_READ_LIMIT, (form, field_name)


# --- Pages, paths and query parameters -------------------------------------------------------------


def test_hostile_query_parameters_never_give_a_server_error(probe, world):
    """Each page gets every hostile string in all its parameters at once (each parameter is
    read on its own), then each parameter alone gets the strings that parse (so that a form
    made invalid by one field still runs the others), and an unknown parameter."""
    for name, parameters in PAGES.items():
        path = concrete(name, public_urls()[name], world)
        base = BASE_QUERY.get(name, {})
        plain = probe.send(f"{name} plain", lambda: probe.client.get(path, base))
        assert plain.status_code < 400 or name in NOT_A_PAGE_BY_GET, (name, plain.status_code)
        for label, value in HOSTILE.items() if parameters else []:
            if name in SLOW and label not in SLOW[name]:
                continue
            query = {**base, **{parameter: value for parameter in parameters}}
            response = probe.send(f"{name} all={label}", lambda: probe.client.get(path, query), sent=value)
            if label in ("nul", "controls"):
                assert response.status_code == 400, (name, label)
        for parameter in parameters:
            for label in ALONE:
                query = {**base, parameter: HOSTILE[label]}
                probe.send(f"{name} ?{parameter}={label}", lambda: probe.client.get(path, query), sent=HOSTILE[label])
        probe.send(f"{name} ?unknown=script", lambda: probe.client.get(path, {**base, "x": HOSTILE["script"]}),
                   sent=HOSTILE["script"])
    assert_clean(probe)


#: The supervision office's pages and the query that reaches each one's content.
SUPERVISORS_PAGES = {
    "supervision:dashboard": {}, "supervision:dashboard-department": {}, "supervision:assessment": {},
    "supervision:dashboard-records": {"indicator": "supervision.complaints_on_time", "department": "dept-a"},
    "supervision:dashboard-overdue": {"kind": "complaint"},
}


def test_hostile_query_parameters_on_the_supervisors_pages(probe, world, supervisor):
    """The same strings, signed in as a supervisor (anonymous visitors only reach the login page)."""
    probe.client.force_login(supervisor)
    for name, base in SUPERVISORS_PAGES.items():
        path = concrete(name, public_urls()[name], world)
        assert probe.send(f"{name} plain", lambda: probe.client.get(path, base)).status_code == 200, name
        for label, value in HOSTILE.items():
            query = {**base, **{parameter: value for parameter in PAGES[name]}}
            probe.send(f"{name} all={label}", lambda: probe.client.get(path, query), sent=value)
        for parameter in PAGES[name]:
            for label in ALONE:
                query = {**base, parameter: HOSTILE[label]}
                probe.send(f"{name} ?{parameter}={label}", lambda: probe.client.get(path, query), sent=HOSTILE[label])
    assert_clean(probe)


def test_hostile_path_arguments_never_give_a_server_error(probe, world):
    for name, template in public_urls().items():
        for argument in re.findall(r"{(\w+)}", template):
            for label in IN_PATHS:
                path = concrete(name, template, world, **{argument: HOSTILE[label]})
                probe.send(f"{name} {argument}={label}", lambda: probe.client.get(path), sent=HOSTILE[label])
            for digits in ("0", "00001", "9" * 30, "2147483648", "9223372036854775808"):
                path = concrete(name, template, world, **{argument: digits})
                probe.send(f"{name} {argument}={digits}", lambda: probe.client.get(path))
    assert_clean(probe)


def test_a_nul_byte_in_a_filter_or_a_path_gets_a_translated_400_page(client, world):
    """The eight places found in issue 11 each reach PostgreSQL no more."""
    for url in ["/disclosures/?category=a%00b", "/disclosures/?department=a%00b", "/approvals/a%00b/",
                "/approvals/fees/?department=a%00b", "/feeds/disclosures/?category=a%00b",
                "/api/v1/disclosures/?category=a%00b", "/supervision/complaints/new/?department=a%00b",
                "/approvals/a%00b/forms/1/"]:
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 400 and "無法讀取這個請求" in html and '<html lang="zh-Hant">' in html, url
    client.cookies["gongkai_language"] = "zh-hans"
    assert "无法读取这个请求" in client.get("/disclosures/?category=a%00b").content.decode()


def test_raw_bytes_and_odd_methods_never_give_a_server_error(probe, world):
    for name in PAGES:
        path = concrete(name, public_urls()[name], world)
        for raw in ("q=\xff\xfe", "q=%ff%fe%c3%28&category=\xe9t\xe9&year=%E2%82", "a=%zz&&=&%00", "q=" + "%" * 500):
            probe.send(f"{name} raw {raw[:20]!r}", lambda: probe.client.get(path, QUERY_STRING=raw))
        for method in ("head", "options", "put", "delete"):
            response = probe.send(f"{name} {method}", lambda: getattr(probe.client, method)(path))
            if method == "head" and name not in ("approvals:rate", "portal:care-mode"):  # they only take POST
                assert response.status_code != 405, name
    assert_clean(probe)


def test_head_answers_like_get_on_public_pages(client, world):
    for url in ["/", "/departments/", "/disclosures/", "/search/?q=預算", "/approvals/", world.disclosure.get_absolute_url(),
                "/supervision/complaints/new/", "/approvals/track/", "/healthz"]:
        head, get = client.head(url), client.get(url)
        assert head.status_code == get.status_code and head.status_code in (200, 503), url


def test_a_method_a_page_does_not_take_gets_a_translated_405_page(client):
    response = client.post("/departments/")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
    assert "這個頁面不能這樣使用" in response.content.decode()


HEADERS = [
    ("HTTP_HOST", "evil.example"),
    ("HTTP_HOST", "a\x00b"),
    ("HTTP_COOKIE", "sessionid=aaaaaaaaaaaaaaaaaaaaaaaa\x00; csrftoken=\x00"),
    ("HTTP_COOKIE", "sessionid=" + "x" * 5000),
    ("HTTP_COOKIE", "gongkai_language=\x00zh; sessionid=\"\\\"\""),
    ("HTTP_ACCEPT_LANGUAGE", "zz-ZZ;q=abc,<script>,*;q=-1," + "x" * 2000),
    ("HTTP_X_FORWARDED_FOR", "\x00, <script>, 999.999.1.1"),
    ("HTTP_IF_MODIFIED_SINCE", "yesterday\x00"),
    ("HTTP_RANGE", "bytes=99999999999-"),
    ("CONTENT_TYPE", "text/plain; charset=utf-16"),
    ("CONTENT_TYPE", "text/plain; charset=no-such-charset"),
    ("REMOTE_ADDR", "not-an-address"),
]


def test_hostile_headers_never_give_a_server_error(probe, world):
    urls = ["/", "/disclosures/?q=預算", world.disclosure.get_absolute_url(), "/approvals/track/", "/api/v1/disclosures/"]
    for (header, value), url in itertools.product(HEADERS, urls):
        probe.send(f"{header} {url}", lambda: probe.client.get(url, **{header: value}))
    assert_clean(probe)


def test_a_charset_that_is_no_text_encoding_is_ignored_by_the_wsgi_application(world):
    """Django builds the request, decodes the query string with the declared codec and fails
    before any middleware runs: the WSGI entry point drops such a charset first."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from portal.wsgi import application

    # As Django's test client does: the test's transaction must outlive the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        for charset in ["rot13", "base64", '"hex"', "zlib"]:
            answers = wsgi_answers(application, charset)
            assert answers[0].startswith("200") and answers[1][:3] in ("200", "403"), (charset, answers)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def wsgi_answers(application, charset):
    answers = []
    for method, query, body in [("GET", "q=預算", b""), ("POST", "x=1", b"code=abc&secret=x")]:
        environ = {
            "REQUEST_METHOD": method, "PATH_INFO": "/supervision/complaints/track/" if method == "POST" else "/disclosures/",
            "QUERY_STRING": query.encode().decode("latin-1"), "SERVER_NAME": "testserver", "SERVER_PORT": "80",
            "HTTP_HOST": "testserver", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body),
            "CONTENT_TYPE": f"application/x-www-form-urlencoded; charset={charset}", "CONTENT_LENGTH": str(len(body)),
        }
        b"".join(application(environ, lambda status, headers: answers.append(status)))
    return answers


def test_a_host_the_site_does_not_serve_gets_a_translated_400_page(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400 and "這個網站不服務的主機" in response.content.decode()


# --- Forms -------------------------------------------------------------------------------------


def form_data(name, world) -> dict:
    """What a citizen would post in each form, valid."""
    track = {"tracking_number": world.application.tracking_number, "phone_last_four": "5678"}
    return {
        "approvals:track": track,
        "approvals:rate": {**track, "level": "5", "comment": "辦得很快", "secret": world.rating_secret},
        "supervision:complaint-new": {
            "kind": "complaint", "department": str(world.department.pk), "summary": "窗口態度", "details": "排隊兩小時",
            "happened_on": "2026-11-20", "approval_item_code": world.item.code, "fee_item_code": "", "disclosure": "",
            "anonymous": "on", "name": "", "phone": "", "email": "",
        },
        "supervision:complaint-track": {"code": world.complaint_code, "secret": world.complaint_secret},
        "supervision:complaint-filed-text": {"code": world.complaint_code, "secret": world.complaint_secret},
        "disclosures:request-new": {
            "department": str(world.department.pk), "description": "徵地補償明細", "purpose": "", "reply_form": "electronic",
            "requester_type": "person", "name": "張三", "organisation": "", "phone": "13900000000", "email": "",
            "address": "",
        },
        "disclosures:request-track": {"code": world.request_code, "secret": world.request_secret},
        "disclosures:request-filed-text": {"code": world.request_code, "secret": world.request_secret},
        "set_language": {"language": "zh-hans", "next": "/disclosures/"},
        "portal:care-mode": {"on": "1", "next": "/disclosures/"},
        "admin:login": {"username": "nobody", "password": "wrong", "next": "/admin/"},
        "supervision:evaluate-login": {"username": "nobody", "password": "wrong", "next": "/supervision/evaluate/"},
        "supervision:evaluate-logout": {},
    }[name]


def form_fields(name) -> list[str]:
    forms, extra = FORMS[name]
    return sorted({field for form in forms for field in form.base_fields} | set(extra))


#: The forms sent as multipart/form-data (they take files); the others are urlencoded.
MULTIPART = {"supervision:complaint-new", "disclosures:request-new"}


def post_form(client, name, data):
    """Post ``data`` as the page's form would be sent."""
    if name in MULTIPART:
        return client.post(reverse(name), data)
    return client.post(reverse(name), urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded")


def test_hostile_form_fields_never_give_a_server_error(probe, world):
    """Each form gets every hostile string in all its fields at once, then each field alone
    (the others valid, so that the form goes as far as it can) gets the strings that parse,
    and each field sent three times."""
    from django.core.cache import cache

    for name in FORMS:
        fields = form_fields(name)
        cases = [(f"all={label}", dict.fromkeys(fields, value), value) for label, value in HOSTILE.items()]
        cases += [(f"{field}={label}", {field: HOSTILE[label]}, HOSTILE[label]) for field in fields for label in ALONE]
        cases += [(f"{field} repeated", {field: ["a", "\x00", "b"]}, "") for field in fields]
        for label, values, sent in cases:
            cache.clear()  # throttles count per address: every case reaches the form
            data = {**form_data(name, world), **values}
            probe.send(f"{name} {label}", lambda: post_form(probe.client, name, data), sent=sent)
    assert_clean(probe)


def test_a_field_the_form_refuses_keeps_what_was_typed_and_says_why(client, world):
    data = {**form_data("supervision:complaint-new", world), "summary": "保留的標題 <b>", "details": "a\x00b"}
    response = client.post(reverse("supervision:complaint-new"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "保留的標題 &lt;b&gt;" in html and response.context["form"].errors["details"]


def test_form_encodings_never_give_a_server_error(probe, world):
    for name in FORMS:
        send_encodings(probe, name, form_data(name, world))
    assert_clean(probe)


def send_encodings(probe, name, data):
    url = reverse(name)
    fields = "&".join(f"{key}={quote(str(value))}" for key, value in data.items())
    bodies = [
        ("latin-1", (fields + "&comment=caf%E9").encode(), "application/x-www-form-urlencoded; charset=latin-1"),
        ("cp1252", fields.encode() + b"&summary=\x93quoted\x94", "application/x-www-form-urlencoded; charset=cp1252"),
        ("utf-16", fields.encode(), "application/x-www-form-urlencoded; charset=utf-16"),
        ("no text encoding", fields.encode(), "application/x-www-form-urlencoded; charset=base64"),
        ("raw bytes", fields.encode() + b"&summary=\xff\xfe\x00\xc3(", "application/x-www-form-urlencoded"),
        ("bad escapes", b"%%%&=&==&%zz=%e4%b8", "application/x-www-form-urlencoded"),
        ("multipart without boundary", b"--x\r\n\r\n", "multipart/form-data"),
        ("multipart broken", b"--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b", "multipart/form-data; boundary=b"),
        ("json", b'{"code": "x"}', "application/json"),
        ("too many fields", b"&".join(b"f%d=1" % n for n in range(1200)), "application/x-www-form-urlencoded"),
]
    for label, body, content_type in bodies:
        probe.send(f"{name} {label}", lambda: probe.client.generic("POST", url, body, content_type=content_type))


def test_a_form_declared_latin1_is_read_in_latin1(client, world):
    body = f"code=caf%E9&secret={world.complaint_secret}".encode()
    response = client.generic("POST", reverse("supervision:complaint-track"), body,
                              content_type="application/x-www-form-urlencoded; charset=latin-1")
    assert response.status_code == 200 and response.context["form"]["code"].value() == "café"


def test_a_ten_megabyte_field_comes_back_as_a_field_error_with_the_rest_kept(client, world):
    data = {**form_data("supervision:complaint-new", world), "summary": "保留的標題", "details": "長" * (10 * 1024 * 1024 // 3)}
    response = client.post(reverse("supervision:complaint-new"), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == ["details"] and "10000" in form.errors["details"][0]
    assert form["summary"].value() == "保留的標題"


def test_a_ten_megabyte_field_of_a_urlencoded_form_comes_back_as_a_field_error(client, world):
    data = {"code": "x" * (10 * 1024 * 1024), "secret": "kept-secret"}
    response = post_form(client, "supervision:complaint-track", data)
    assert response.status_code == 200 and response.context["form"].errors["code"]
    assert response.context["form"]["secret"].value() == "kept-secret"


def test_oversize_posts_elsewhere_get_a_translated_413_page(client):
    response = post_form(client, "set_language", {"language": "en", "next": "x" * (6 * 1024 * 1024)})
    assert response.status_code == 413 and "傳送的內容太大" in response.content.decode()
