"""Translation catalogues: complete, compiled, consistent, and served.

zh_Hant is translated by hand; zh_Hans is derived from it (``portal.locale_sync``);
the .mo files are committed because CI machines may have no msgfmt. Refresh them all
with ``make messages``.
"""

import gettext
import io
import re
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

from portal import locale_sync
from portal.chinese import to_simplified

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
CHINESE = ("zh_Hant", "zh_Hans")


def catalogues(locales):
    """Every ``<locale>/LC_MESSAGES/*.po`` of the project (LOCALE_PATHS and app ``locale`` dirs)."""
    found = []
    for source in locale_sync.source_catalogues(Path(settings.BASE_DIR)):
        base = source.parent.parent.parent
        for locale in locales:
            found.extend(sorted((base / locale / "LC_MESSAGES").glob("*.po")))
    return sorted(set(found))


def label(path):
    return str(Path(path).relative_to(settings.BASE_DIR))


@pytest.mark.parametrize("locale", ["zh_Hant", "zh_Hans", "en"])
def test_catalogue_exists_for_each_language(locale):
    assert (LOCALE_DIR / locale / "LC_MESSAGES" / "django.po").is_file()
    assert {code for code, _name in settings.LANGUAGES} == {"zh-hant", "zh-hans", "en"}


@pytest.mark.parametrize("path", catalogues(CHINESE), ids=label)
def test_every_message_is_translated(path):
    po = polib.pofile(str(path))
    assert len(po.translated_entries()) > 100, f"{label(path)} is (nearly) empty"
    assert not po.metadata_is_fuzzy, "header is marked fuzzy"
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {label(path)}: {untranslated}"
    assert not fuzzy, f"fuzzy in {label(path)} (check and untick): {fuzzy}"


def test_simplified_is_derived_from_traditional():
    assert catalogues(["zh_Hans"]), "no zh_Hans catalogue to check"
    stale = locale_sync.sync(Path(settings.BASE_DIR), write=False, out=io.StringIO())
    assert not stale, f"run `python -m portal.locale_sync`: {[label(p) for p in stale]}"


# %(name)s, %s, %d, %.2f, %%; and {name} / {0} / {} for python-brace-format.
PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")
BRACE = re.compile(r"\{[^{}]*\}")


def placeholders(entry, text):
    found = Counter()
    if "python-format" in entry.flags:
        found.update(m for m in PERCENT.findall(text) if m != "%%")
    if "python-brace-format" in entry.flags:
        found.update(BRACE.findall(text))
    return found


@pytest.mark.parametrize("path", catalogues(CHINESE + ("en",)), ids=label)
def test_placeholders_match(path):
    po = polib.pofile(str(path))
    assert po.translated_entries() or path.parts[-3] == "en", f"{label(path)} has no translations to check"
    mismatched = []
    for entry in po.translated_entries():
        if entry.msgid_plural:
            pairs = [
                (entry.msgid if n == 0 else entry.msgid_plural, text) for n, text in sorted(entry.msgstr_plural.items())
            ]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for msgid, msgstr in pairs:
            # A plural form may leave out the count (e.g. "one item"), never add or rename.
            expected, got = placeholders(entry, msgid), placeholders(entry, msgstr)
            if got != expected and not (entry.msgid_plural and got <= expected):
                mismatched.append((msgid, msgstr))
    assert not mismatched, f"placeholders differ in {label(path)}: {mismatched}"


def load_mo(data: bytes) -> gettext.GNUTranslations:
    return gettext.GNUTranslations(io.BytesIO(data))


@pytest.mark.parametrize("path", catalogues(CHINESE + ("en",)), ids=label)
def test_compiled_catalogue_is_up_to_date(path):
    """The committed .mo says exactly what its .po says (compiled here in memory)."""
    mo_path = path.with_suffix(".mo")
    assert mo_path.is_file(), f"{label(mo_path)} missing: run `make messages`"
    committed = load_mo(mo_path.read_bytes())
    fresh = load_mo(polib.pofile(str(path)).to_binary())
    # The header ("") is compared by what affects lookups, not as text: msgfmt and polib
    # lay it out differently, and msgfmt leaves POT-Creation-Date out.
    for field in ("language", "content-type", "plural-forms"):
        assert committed.info().get(field) == fresh.info().get(field), field
    committed_messages = {k: v for k, v in committed._catalog.items() if k != ""}
    fresh_messages = {k: v for k, v in fresh._catalog.items() if k != ""}
    assert committed_messages == fresh_messages, f"{label(mo_path)} is stale: run `make messages`"


def test_django_uses_the_catalogues():
    with translation.override("zh-hant"):
        traditional = translation.gettext("Departments")
    with translation.override("zh-hans"):
        simplified = translation.gettext("Departments")
    with translation.override("en"):
        english = translation.gettext("Departments")
    assert (traditional, simplified, english) == ("部門", "部门", "Departments")


HERO = "Government affairs, open to everyone"


@pytest.mark.django_db
def test_home_page_defaults_to_traditional(client):
    html = client.get("/").content.decode()
    with translation.override("zh-hant"):
        hero = translation.gettext(HERO)
    assert hero != HERO
    assert '<html lang="zh-Hant">' in html
    assert hero in html and "部門" in html


@pytest.mark.django_db
def test_home_page_in_simplified_chinese(client):
    with translation.override("zh-hant"):
        traditional = translation.gettext(HERO)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = client.get("/").content.decode()
    simplified = to_simplified(traditional)
    assert simplified != traditional
    assert '<html lang="zh-Hans">' in html
    assert simplified in html and traditional not in html
    assert "部门" in html and "部門" not in html


@pytest.mark.django_db
def test_home_page_in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert HERO in html


def test_the_simplified_interface_says_what_the_mainland_says():
    """zh_Hant keeps the Traditional-script sites' 匯入 / 列印 / 連結; the derived zh_Hans
    interface says 导入 / 打印 / 链接, as a Mainland county's staff and citizens do."""
    from django.utils import translation

    with translation.override("zh-hans"):
        shown = {term: translation.gettext(term) for term in ("Import", "Export", "Print")}
    assert shown["Import"] == "导入" and shown["Export"] == "导出" and "打印" in shown["Print"]
    with translation.override("zh-hant"):
        assert translation.gettext("Import") == "匯入" and "列印" in translation.gettext("Print")
    simplified = "".join(e.msgstr + "".join(e.msgstr_plural.values()) for path in catalogues(["zh_Hans"])
                         for e in polib.pofile(str(path)))
    assert not [taiwan for taiwan in locale_sync.MAINLAND_TERMS if taiwan in simplified]
