"""A readable difference between two revisions, character by character (Chinese has no
spaces to split words on)."""

from __future__ import annotations

import difflib
import html

import nh3


def plain_text(markup: str) -> str:
    """The text of sanitised HTML, one paragraph per line."""
    with_breaks = markup.replace("</p>", "</p>\n").replace("<br>", "\n").replace("</li>", "</li>\n")
    return html.unescape(nh3.clean(with_breaks, tags=set())).strip()


def changes(old: str, new: str) -> list[tuple[str, str]]:
    """Segments of (``equal`` | ``insert`` | ``delete``, text) turning ``old`` into ``new``."""
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    segments: list[tuple[str, str]] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(("equal", old[a1:a2]))
        if op in ("delete", "replace"):
            segments.append(("delete", old[a1:a2]))
        if op in ("insert", "replace"):
            segments.append(("insert", new[b1:b2]))
    return segments


def revision_changes(previous, current) -> dict[str, list[tuple[str, str]]]:
    """What changed between two revisions, per field that changed."""
    fields = {
        "title": (previous.title, current.title),
        "summary": (previous.summary, current.summary),
        "document_number": (previous.document_number, current.document_number),
        "body": (plain_text(previous.body), plain_text(current.body)),
    }
    return {name: changes(old, new) for name, (old, new) in fields.items() if old != new}
