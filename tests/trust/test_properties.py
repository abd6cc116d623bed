"""Property-based tests (hypothesis) of the public forms, the disclosure filters, the
search and the import: whatever is typed or uploaded, the answer is a page — accepted,
or refused with the reason shown and what was typed kept — never a server error."""

import csv
import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from hypothesis import example, given, settings
from hypothesis import strategies as st

from disclosures.models import Disclosure, Status
from portal.bad_requests import CONTROL_CHARACTERS
from supervision.models import Complaint
from tests.trust.cases import tally

pytestmark = pytest.mark.django_db

#: Any text a browser can send: every Unicode scalar value, controls and NUL included.
TEXT = st.text(st.characters(codec="utf-8"), max_size=40)
WORDS = st.sampled_from(["預算", "政務公開", "budget", "A-001", "2026", "<b>", "' OR 1=1", "{{7*7}}", "\u202e"])
TYPED = TEXT | WORDS


def refused_with_reasons(response) -> bool:
    """A refusal names what is wrong on the page itself."""
    form = response.context["form"]
    html = response.content.decode()
    return bool(form.errors) and all(escape(str(error)) in html for errors in form.errors.values() for error in errors)


# --- The supervision complaint form ------------------------------------------------------------

COMPLAINT_TEXT_FIELDS = ["summary", "details", "name", "phone", "email", "approval_item_code", "fee_item_code"]


@settings(max_examples=30)
@given(
    typed=st.fixed_dictionaries({name: TYPED for name in COMPLAINT_TEXT_FIELDS}),
    kind=st.sampled_from(["complaint", "report", "suggestion"]) | TEXT,
    happened_on=st.dates().map(str) | TEXT,
    anonymous=st.booleans(),
)
@example(typed={name: "" for name in COMPLAINT_TEXT_FIELDS} | {"summary": "窗口", "details": "收費"},
         kind="complaint", happened_on="", anonymous=True)
def test_the_complaint_form_files_or_explains_and_keeps_what_was_typed(client, world, typed, kind, happened_on, anonymous):
    cache.clear()
    data = {**typed, "kind": kind, "happened_on": happened_on, "department": str(world.department.pk)}
    if anonymous:
        data["anonymous"] = "on"
    before = Complaint.objects.count()
    response = client.post(reverse("supervision:complaint-new"), data)
    tally["hypothesis (forms, filters, search)"] += 1
    assert response.status_code in (302, 400), response.status_code
    if response.status_code == 302:
        filed = Complaint.objects.order_by("-pk").first()
        assert Complaint.objects.count() == before + 1 and filed.summary == typed["summary"].strip()
        return
    assert Complaint.objects.count() == before and refused_with_reasons(response)
    html = response.content.decode()
    for name in COMPLAINT_TEXT_FIELDS:
        if typed[name].strip():
            assert escape(typed[name]) in html, name  # kept, and escaped


# --- Tracking and rating an application ----------------------------------------------------------


@settings(max_examples=40)
@given(number=TYPED, digits=TYPED | st.from_regex(r"[0-9０-９]{4}", fullmatch=True), level=TEXT | st.sampled_from("12345"),
       comment=TYPED, real_number=st.booleans())
def test_tracking_and_rating_answer_every_input_with_a_page(client, world, number, digits, level, comment, real_number):
    cache.clear()
    number = world.application.tracking_number if real_number else number
    track = client.post(reverse("approvals:track"), {"tracking_number": number, "phone_last_four": digits})
    rate = client.post(reverse("approvals:rate"), {"tracking_number": number, "phone_last_four": digits,
                                                   "level": level, "comment": comment, "secret": world.rating_secret})
    tally["hypothesis (forms, filters, search)"] += 2
    assert track.status_code in (200, 404) and rate.status_code in (200, 400, 404, 409)
    if track.status_code == 404:
        assert track.context["not_found"]
    if rate.status_code == 400:
        assert rate.context["rating_invalid"]


# --- The disclosure list's filters, the API's, and the search -----------------------------------


FILTERS = st.dictionaries(st.sampled_from(["q", "category", "department", "year", "sort", "page"]), TYPED, max_size=6)


@settings(max_examples=30)
@given(params=FILTERS)
@example(params={"category": "a\x00b"})
def test_disclosure_filters_list_only_public_disclosures_or_refuse_control_characters(client, world, cold_pages, params):
    hostile = any(CONTROL_CHARACTERS.search(key + value) for key, value in params.items())
    page = client.get(reverse("disclosures:list"), params)
    api = client.get(reverse("api:disclosure-list"), params)
    tally["hypothesis (forms, filters, search)"] += 2
    if hostile:
        assert page.status_code == api.status_code == 400
        return
    assert page.status_code == 200 and {d.pk for d in page.context["page"].object_list} <= {world.disclosure.pk}
    if api.status_code == 404:  # the API, unlike the page, says so when a page number does not exist
        assert "page" in params and api.json()["detail"]
        return
    assert api.status_code == 200 and {row["id"] for row in api.json()["results"]} <= {world.disclosure.pk}


@settings(max_examples=60)
@given(q=TYPED, source=TEXT | st.sampled_from(["disclosures", "approvals"]), page=TEXT)
def test_the_search_answers_every_query_and_shows_it_escaped(client, world, q, source, page):
    response = client.get(reverse("portal:search"), {"q": q, "source": source, "page": page})
    tally["hypothesis (forms, filters, search)"] += 1
    if CONTROL_CHARACTERS.search(q + source + page):
        assert response.status_code == 400
        return
    assert response.status_code == 200
    if q.strip() and len(q) < 1000:
        assert f'value="{escape(q)}"' in response.content.decode()


# --- The disclosure import --------------------------------------------------------------------------

COLUMNS = [
    "index_number", "status", "department", "category", "catalogue_entry", "title", "summary", "body",
    "document_number", "formed_on", "valid_until", "scope", "channels",
]
VALID = {
    "department": st.just("dept-a"), "category": st.just("budget"), "formed_on": st.dates().map(str),
    "valid_until": st.just("") | st.dates().map(str), "scope": st.sampled_from(["public", "internal"]),
    "channels": st.sampled_from(["website", "website,notice_board", "website，notice_board"]),
    "title": st.text(min_size=1, max_size=30), "body": st.just("<p>正文</p>") | st.text(max_size=40),
}
CELL = TEXT.filter(lambda text: "\x00" not in text) | WORDS  # csv cannot carry NUL: the file itself would be refused
ROW = st.fixed_dictionaries({column: (VALID[column] | CELL) if column in VALID else CELL for column in COLUMNS})


def csv_file(rows) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


@settings(max_examples=30)
@given(rows=st.lists(ROW, min_size=1, max_size=4))
def test_any_import_file_is_previewed_with_every_refusal_explained(client, world, publisher_a, rows):
    client.force_login(publisher_a)
    drafts = Disclosure.objects.filter(status=Status.DRAFT).count()
    response = client.post(reverse("admin:disclosures_disclosure_import"), {
        "resource": "0", "format": "0", "import_file": SimpleUploadedFile("import.csv", csv_file(rows)),
    })
    tally["hypothesis (import)"] += 1
    assert response.status_code == 200, response.status_code
    result = response.context.get("result")
    html = response.content.decode()
    assert "Traceback" not in html
    if result is not None:
        assert not result.has_errors(), [error.error for error in result.base_errors]  # no unhandled exception
        for invalid in result.invalid_rows:
            assert invalid.error_dict, invalid.number  # every refused row says why
            for messages in invalid.error_dict.values():
                for message in messages:
                    assert escape(str(message)) in html
    assert Disclosure.objects.filter(status=Status.DRAFT).count() == drafts  # a dry run writes nothing
