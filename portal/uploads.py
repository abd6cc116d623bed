"""Uploaded files checked by their content (DESIGN §3.2), and their names by what a
browser would make of them.

Used by every app that accepts files from staff or citizens. A file is accepted when its
content is one of the accepted types; besides:

* a name a browser would open as a page or run — ``.html``, ``.svg``, ``.js`` … — is
  refused whatever the file holds (a PDF can hold HTML, and is one once saved as
  ``page.html``); so is a declared type (the browser's) of that kind;
* a name of an accepted type must agree with the content (a ``.pdf`` is a PDF); other
  names (``.txt``, none) leave it to the content;
* a text file (CSV) is read whole for web-page markup — ``<script``, ``<svg``, ``<html``,
  ``<!doctype``, ``<?xml`` …, in any case, anywhere — and refused if it holds any, as it is
  if it begins with a tag: data is not markup.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import zipfile
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from portal.import_files import MAX_DIRECTORY_BYTES, MAX_PARTS, zip_directory

OFFICE_ZIP_TYPES = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
}
ODF_TYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}


#: Names a browser opens as a page, or runs: never accepted, whatever the file holds.
ACTIVE_EXTENSIONS = frozenset({
    "html", "htm", "shtml", "xhtml", "xht", "mht", "mhtml", "svg", "svgz", "js", "mjs", "xml", "xsl", "xslt", "hta",
})
#: Types a browser declares for such files.
ACTIVE_CONTENT_TYPES = frozenset({
    "text/html", "application/xhtml+xml", "image/svg+xml", "text/javascript", "application/javascript",
    "text/xml", "application/xml",
})
_IMAGES = frozenset({"png", "jpg", "gif", "webp"})
#: What a name of an accepted type may hold: the content's types (``doc`` is any legacy
#: Office file). A picture of another format is still a picture.
DECLARED = {
    "pdf": {"pdf"},
    **{extension: _IMAGES for extension in ("png", "jpg", "jpeg", "jpe", "gif", "webp")},
    "doc": {"doc"}, "xls": {"doc"}, "ppt": {"doc"},
    "docx": {"docx"}, "xlsx": {"xlsx"}, "pptx": {"pptx"}, "odt": {"odt"}, "ods": {"ods"},
    "csv": {"csv"},
}
#: Markup a browser would render or run, found anywhere in a text file (any case).
_MARKUP = re.compile(
    rb"<(?:script|svg|html|!doctype|\?xml|xml|xsl|iframe|frame|frameset|object|embed|applet|body|head|meta|link"
    rb"|base|style|img|image|math|form|template|video|audio|source)(?=[\s/>]|$)",
    re.IGNORECASE,
)
#: A tag at the very start (after a BOM and blanks): no data file begins with one.
_LEADING_TAG = re.compile(rb"(?:\xef\xbb\xbf)?\s*<[a-z!?/]", re.IGNORECASE)
_SCAN_CHUNK = 64 * 1024


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int
    sha256: str


def _sniff(head: bytes, fileobj) -> tuple[str, str] | None:
    if head.startswith(b"%PDF-"):
        return "application/pdf", "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", "jpg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif", "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", "webp"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "application/vnd.ms-office", "doc"  # legacy Word / Excel (OLE2)
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(fileobj)
    return _sniff_csv(fileobj)


def _sniff_zip(fileobj) -> tuple[str, str] | None:
    directory = zip_directory(fileobj)  # before zipfile reads the whole directory into memory
    if directory is None or directory[0] > MAX_PARTS or directory[1] > MAX_DIRECTORY_BYTES:
        return None
    try:
        fileobj.seek(0)
        with zipfile.ZipFile(fileobj) as archive:
            names = archive.namelist()
            if "mimetype" in names and archive.getinfo("mimetype").file_size <= 100:
                kind = archive.read("mimetype").strip()
                if kind in ODF_TYPES:
                    return kind.decode(), ODF_TYPES[kind]
            if "[Content_Types].xml" in names:
                for prefix, result in OFFICE_ZIP_TYPES.items():
                    if any(name.startswith(prefix) for name in names):
                        return result
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError, NotImplementedError, RuntimeError):
        return None
    return None  # a plain ZIP archive is not accepted


def _sniff_csv(fileobj) -> tuple[str, str] | None:
    fileobj.seek(0)
    sample = fileobj.read(64 * 1024)
    if not sample or b"\x00" in sample:
        return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            # The sample of a longer file may end inside a character: that is not an error.
            text = codecs.getincrementaldecoder(encoding)().decode(sample, final=len(sample) < 64 * 1024)
        except UnicodeDecodeError:
            continue
        if "," in text or "\t" in text:
            return "text/csv", "csv"
        return None
    return None


def _markup_in(fileobj) -> str | None:
    """The first web-page markup in a text file, read whole in chunks; ``None`` if there is none.
    The markup looked for is ASCII, and neither UTF-8 nor GB18030 hides ``<`` inside a
    character, so the bytes are searched as they are."""
    fileobj.seek(0)
    head = fileobj.read(_SCAN_CHUNK)
    if _LEADING_TAG.match(head):
        return head.lstrip(b"\xef\xbb\xbf \t\r\n")[:12].decode("ascii", "replace")
    carry, chunk = b"", head
    while chunk:
        found = _MARKUP.search(carry + chunk)
        if found:
            return found.group().decode("ascii")
        carry = chunk[-16:]
        chunk = fileobj.read(_SCAN_CHUNK)
    return None


def _extension(name: str) -> str:
    # "page.html." and "page.html " are saved as page.html by some systems.
    stem = (name or "").strip().rstrip(". ")
    return stem.rpartition(".")[2].lower() if "." in stem else ""


def _refusal(uploaded, reason: str, code: str) -> ValidationError:
    accepted = _("Accepted: PDF, images (PNG, JPEG, GIF, WebP), Word, Excel, OpenDocument and CSV files.")
    return ValidationError(f"{reason} {accepted}", code=code)


def check_upload(uploaded, *, allowed: set[str] | None = None) -> CheckedFile:
    """Check ``uploaded`` (a Django UploadedFile) by name, content and size.

    Raises ``ValidationError`` with a message a citizen or clerk can act on.
    """
    limit = settings.GONGKAI_UPLOAD_MAX_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; files may be at most %(limit)s.")
            % {"name": uploaded.name, "size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    names = {"name": uploaded.name}
    extension = _extension(uploaded.name)
    declared_type = (getattr(uploaded, "content_type", None) or "").split(";")[0].strip().lower()
    if extension in ACTIVE_EXTENSIONS or declared_type in ACTIVE_CONTENT_TYPES:
        raise _refusal(
            uploaded,
            _("“%(name)s” is a web page, picture or script a browser would open or run; such files are not "
              "accepted, whatever they contain.") % names,
            "active_name",
        )
    uploaded.seek(0)
    head = uploaded.read(16)
    kind = _sniff(head, uploaded)
    if kind is None or (allowed is not None and kind[1] not in allowed):
        raise _refusal(uploaded, _("“%(name)s” is not an accepted file.") % names, "file_type")
    if extension in DECLARED and kind[1] not in DECLARED[extension]:
        raise _refusal(
            uploaded,
            _("“%(name)s” is named as a .%(extension)s file but holds a %(kind)s file. Save it in the right "
              "format, or give it the right name.") % {**names, "extension": extension, "kind": kind[1].upper()},
            "file_type",
        )
    if kind[1] == "csv":
        markup = _markup_in(uploaded)
        if markup is not None:
            raise _refusal(
                uploaded,
                _("“%(name)s” holds web-page markup (%(markup)s); a data file cannot.") % {**names, "markup": markup},
                "markup",
            )
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return CheckedFile(content_type=kind[0], extension=kind[1], size=uploaded.size, sha256=digest.hexdigest())


#: Files one public form takes at most.
MAX_FILES = 5


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class CheckedFilesField(forms.FileField):
    """Up to ``MAX_FILES`` files, each checked by ``check_upload``: cleans to a list of
    (uploaded file, ``CheckedFile``)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if len(files) > MAX_FILES:
            raise ValidationError(_("At most %(count)d files.") % {"count": MAX_FILES})
        return [(item, check_upload(item)) for item in (super(CheckedFilesField, self).clean(f, initial) for f in files)]
