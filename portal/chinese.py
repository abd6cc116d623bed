"""Traditional/Simplified Chinese conversion (OpenCC), and content in the reader's script.

Data is mostly entered in Traditional Chinese (the default language), but imports and
typing bring Simplified text too. Every page shows content in the reader's script
(:func:`for_language`): Traditional turned Simplified for a zh-Hans reader, wholly
Simplified text turned Traditional for a zh-Hant reader. ``?original=1`` on any page shows
the text as filed (:class:`OriginalTextMiddleware`, :func:`showing_original`); the API and
downloads (CSV of a data table, attachments) always give it as filed. Search folds both
scripts together.
"""

import re
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

import opencc
from django import forms
from django.utils.translation import get_language

from portal.widgets import QuickSelect


@lru_cache(maxsize=1)
def _t2s():
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _s2t():
    return opencc.OpenCC("s2t")


def to_simplified(text: str) -> str:
    return _t2s().convert(text) if text else text


def to_traditional(text: str) -> str:
    return _s2t().convert(text) if text else text


@lru_cache(maxsize=1)
def _simplified_only() -> frozenset[str]:
    """Characters only Simplified writes (国 县 说 线 …), not those both scripts use that
    s2t would still change (台 范 于 干 峰 群). Generated from OpenCC's STCharacters: a
    character whose Traditional candidates leave out itself and its Taiwan variant::

        opencc_dict -i STCharacters.ocd2 -o st.txt -f ocd2 -t text
    """
    return frozenset((Path(__file__).parent / "simplified_only.txt").read_text(encoding="utf-8").strip())


def is_simplified(text: str) -> bool:
    """Whether ``text`` reads as Simplified: some character only Simplified writes, none
    that only Traditional writes. Text both scripts share (台北, 范家村公示) is left as
    filed, since s2t would turn the county's own 台 into 臺 and the surname 范 into 範;
    mixed text is converted run by run (:func:`_simplified_runs_to_traditional`)."""
    return bool(text) and not _simplified_only().isdisjoint(text) and to_simplified(text) == text


#: ``?original=1``: this request shows content as filed (set by the middleware).
_as_filed: ContextVar[bool] = ContextVar("as_filed", default=False)
ORIGINAL_PARAMETER = "original"


def showing_original() -> bool:
    return _as_filed.get()


@contextmanager
def original_text(on: bool = True):
    token = _as_filed.set(on)
    try:
        yield
    finally:
        _as_filed.reset(token)


class OriginalTextMiddleware:
    """``?original=1`` on any page: content as filed, not converted to the reader's script.
    A query parameter rather than a cookie, so the cached copy of a page (keyed by the full
    address, ``portal.page_cache``) and a shared link both say which text they show."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with original_text(request.GET.get(ORIGINAL_PARAMETER) == "1"):
            return self.get_response(request)


def context(request) -> dict:
    """Template context processor: ``original_query``, to carry ``?original=1`` on a
    page's own links (a data table's sorting and pages)."""
    return {"original_query": f"&{ORIGINAL_PARAMETER}=1" if showing_original() else ""}


def _converter(text: str, language: str | None):
    """The conversion ``text`` needs for a reader of ``language``, or None."""
    if not text or showing_original():
        return None
    if language == "zh-hans":
        return to_simplified
    if language == "zh-hant" and not _simplified_only().isdisjoint(text):
        return to_traditional if is_simplified(text) else _simplified_runs_to_traditional
    return None


# A run of text between spaces and punctuation (and between the text nodes of a body).
_RUN = re.compile(r"[^\s\ue000，。、；;：:！!？?,.（）()《》〈〉「」『』“”‘’\"'【】〔〕\[\]]+")


def _simplified_runs_to_traditional(text: str) -> str:
    """Mixed text (a Traditional notice quoting a Simplified clause, a search snippet of
    fields filed in both scripts): only the runs that read as Simplified are converted."""
    return _RUN.sub(lambda run: to_traditional(run[0]) if is_simplified(run[0]) else run[0], text)


def for_language(text: str, language: str | None, english: str = "") -> str:
    """``text`` as shown to a reader of ``language`` (see the module)."""
    if language == "en" and english:
        return english
    convert = _converter(text, language)
    return convert(text) if convert else text


# Sanitized HTML (``disclosures.sanitize``): quoted attributes, no comments, scripts or
# CDATA, so a tag never holds a bare ">" and everything between tags is text. Entities
# (&amp; &#12345;) are ASCII and pass OpenCC unchanged.
_TAG = re.compile(r"(<[^>]*>)")
#: Joins a body's text nodes for one OpenCC call (a private-use character: no phrase
#: matches across it, and OpenCC passes it through).
_NODE_BREAK = "\ue000"


def html_for_language(html: str, language: str | None) -> str:
    """Sanitized HTML with its text, never its markup, attributes or addresses, in the
    reader's script. Whether a body is Simplified is decided on its whole text."""
    if not html or showing_original():
        return html
    return _converted_html(html, language)


@lru_cache(maxsize=64)
def _converted_html(html: str, language: str | None) -> str:
    # Cached: a long body (110,000 characters) takes 20-60 ms to convert, and the detail
    # page asks twice (the body, and whether to offer the original).
    parts = _TAG.split(html)
    texts = parts[0::2]
    convert = _converter("".join(texts), language)
    if convert is None or any(_NODE_BREAK in text for text in texts):
        return html
    converted = convert(_NODE_BREAK.join(texts)).split(_NODE_BREAK)
    if len(converted) != len(texts):  # never seen; the text as filed rather than a garbled page
        return html
    parts[0::2] = converted
    return "".join(parts)


def rows_for_language(rows, language: str | None) -> list:
    """A data table's rows in the reader's script, decided on the whole table (a column
    of names both scripts share is never converted on its own)."""
    rows = [list(row) for row in rows]
    texts = [cell for row in rows for cell in row if isinstance(cell, str) and cell]
    convert = _converter(_NODE_BREAK.join(texts), language)
    if convert is None:
        return rows
    return [[convert(cell) if isinstance(cell, str) else cell for cell in row] for row in rows]


def differs_for_language(language: str | None, *texts: str, html: str = "") -> bool:
    """Whether any of ``texts`` (or the sanitized ``html``) reads differently in the
    reader's script: the page then offers the text as filed."""
    with original_text(False):
        return any(for_language(t, language) != t for t in texts if t) or (
            bool(html) and html_for_language(html, language) != html
        )


class LocalizedModelChoiceField(forms.ModelChoiceField):
    """A public form's list of departments (or other filed names) in the reader's script."""

    widget = QuickSelect

    def label_from_instance(self, obj):
        return for_language(super().label_from_instance(obj), get_language())
