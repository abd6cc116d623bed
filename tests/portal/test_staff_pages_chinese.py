"""Issue 12: every staff page reads as Chinese. Each admin page a staff member reaches —
the home, every list, add form, object page, history and steps page of every model admin —
is rendered for each role in zh-Hant and zh-Hans, and the English words in what a reader
sees (text, titles, labels, button values) are listed. Data the county typed in (user
names, codes, file names) is not interface and is left out."""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib import admin
from django.db import transaction
from django.test import Client, TestCase
from django.urls import NoReverseMatch, reverse

from portal import workflow
from tests.access import world as county

pytestmark = pytest.mark.django_db

PEOPLE = ["publisher_a", "reviewer_a", "clerk", "coordinator", "supervisor"]
#: The import and export pages (column labels, portal.resources) and django-celery-beat's
#: pages (portal.beat_admin, portal.locale_libraries) are asserted like every other page.
#: English still on the other pages, each with why; a word not listed here fails the test.
KNOWN: dict[str, str] = {
    "pdf": "the extension of an uploaded file's name (收據.pdf): data, as the citizen named the file",
    "strong": "a draft notice's body is edited as HTML source in its text box (<strong>…</strong>): the text "
              "the publisher typed, until a rich-text editor is chosen; read-only pages render it",
}
LANGUAGES = ["zh-hant", "zh-hans"]
WORD = re.compile(r"[A-Za-z][A-Za-z’']{2,}")
#: Not interface: formats, units and names that are written in Latin letters in Chinese too.
ALLOWED = {
    "PDF", "CSV", "XLSX", "csv", "xlsx", "XLS", "Excel", "Word", "JSON", "SHA", "URL", "API", "HTML", "PNG", "JPEG", "GIF", "WebP",
    "OpenDocument", "UTF", "BOM", "GBK", "Celery", "Redis", "crontab", "cron", "Django", "http", "https", "www", "example",
    "Command", "Control", "Mac",  # key names in Django's Chinese help for multiple choice
}
#: Attributes whose text a reader meets (tooltips, labels read aloud, button captions).
READ_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}


#: Columns (and the same fields read-only on a change page) that hold data typed in English
#: on purpose: a category's English name, codes in addresses, hashes, a file's recorded type.
DATA_COLUMNS = {"field-name_en", "column-name_en", "field-code", "field-short_hash", "field-sha256", "field-content_type",
                "field-object_id", "field-index_number", "field-document_number", "field-tracking_number"}
SKIPPED_TAGS = {"script", "style", "template"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self._skip, self._data_cell, self._data_row = [], 0, 0, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in SKIPPED_TAGS:
            self._skip += 1
        classes = set((attrs.get("class") or "").split())
        if tag in ("td", "th") and DATA_COLUMNS & classes:
            self._data_cell = 1
        if tag == "div" and "form-row" in classes:  # a change page's row: the same fields as the columns
            self._data_row = bool(DATA_COLUMNS & classes)
        if tag == "div" and "readonly" in classes and self._data_row:
            self._data_cell = 1  # the value shown read-only (its label stays asserted)
        if self._data_cell:
            return
        self.parts.extend(value for name, value in attrs.items() if name in READ_ATTRIBUTES and value)
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in SKIPPED_TAGS and self._skip:
            self._skip -= 1
        if tag in ("td", "th", "div"):  # a read-only value is text in one div
            self._data_cell = 0

    def handle_data(self, data):
        if not self._skip and not self._data_cell:
            self.parts.append(data)


def english_words(html: str, data_words: set[str]) -> set[str]:
    parser = _Text()
    parser.feed(html)
    text = " ".join(parser.parts)
    text = re.sub(r"\S+@\S+|https?://\S+|/\S*", " ", text)  # addresses and paths
    text = re.sub(r"\b[a-z_]+(?:\.[a-z_]+)+\b", " ", text)  # dotted code names: Celery tasks (portal.scan_deadlines)
    return {
        word for word in WORD.findall(text)
        if word not in ALLOWED and word.lower() not in data_words
        and sum(c.isupper() for c in word) < 2  # codes, markers and acronyms: data, not interface
        and not re.fullmatch(r"[a-f]+", word)  # pieces of hexadecimal hashes
    }


def _data_words(world) -> set[str]:
    """Words that are data of the test county: user names, department and item codes …"""
    from django.contrib.auth import get_user_model

    from disclosures.models import Domain
    from portal.models import Department

    words = set()
    for value in [*get_user_model().objects.values_list("username", flat=True),
                  *Department.objects.values_list("code", flat=True),
                  *Domain.objects.values_list("name_en", flat=True)]:  # the county's own English names
        words.update(part.lower() for part in re.findall(r"[A-Za-z][A-Za-z’']{2,}", value))
    return words | {"matrix", "dept", "colleague", "root", "clerk", "publisher", "reviewer", "coordinator",
                    "supervisor", "evaluator", "mail", "tel"}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            with TestCase.captureOnCommitCallbacks(execute=True):
                built = county.build()
            yield built
            transaction.set_rollback(True)


def staff_pages(user) -> list[str]:
    """The admin pages ``user`` reaches: the home and, per model admin they may view, its
    list, add form, and one object's page, history and steps."""
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    pages = [reverse("admin:index"), reverse("admin:password_change")]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"
        if not (model_admin.has_view_permission(request) or model_admin.has_change_permission(request)):
            continue
        pages.append(reverse(f"{name}_changelist"))
        if model_admin.has_add_permission(request):
            pages.append(reverse(f"{name}_add"))
        obj = model_admin.get_queryset(request).order_by("pk").first()
        if obj is None:
            continue
        pages.append(reverse(f"{name}_change", args=[obj.pk]))
        pages.append(reverse(f"{name}_history", args=[obj.pk]))
        if workflow.for_model(model) is not None:
            try:
                pages.append(reverse(f"{name}_steps", args=[obj.pk]))
            except NoReverseMatch:
                pass
        for extra in ("import", "export"):
            try:
                pages.append(reverse(f"{name}_{extra}"))
            except NoReverseMatch:
                pass
    return pages


def untranslated(world, person: str, language: str) -> dict[str, set[str]]:
    """{English word: the pages it is on}."""
    user = world.users[person]
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    data_words = _data_words(world)
    found: dict[str, set[str]] = {}
    for url in staff_pages(user):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        if response.status_code != 200:
            continue
        for word in english_words(response.content.decode(), data_words):
            found.setdefault(word, set()).add(url)
    return found


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("person", PEOPLE)
def test_no_untranslated_english_on_any_staff_page(world, person, language, capsys):
    found = untranslated(world, person, language)
    with capsys.disabled():
        print(f"\n[english] {person} {language}: {' '.join(sorted(found))}")
    new = {word: urls for word, urls in found.items() if word not in KNOWN}
    listing = "\n".join(f"  {word}: {', '.join(sorted(urls)[:3])}" for word, urls in sorted(new.items()))
    assert not new, f"English on the staff pages of {person} in {language}:\n{listing}"
