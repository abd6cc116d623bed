"""Uploaded files checked by their content, never by their name (DESIGN §3.2).

Used by every app that accepts files from staff or citizens.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

OFFICE_ZIP_TYPES = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
}
ODF_TYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}


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
    try:
        fileobj.seek(0)
        with zipfile.ZipFile(fileobj) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                kind = archive.read("mimetype").strip()
                if kind in ODF_TYPES:
                    return kind.decode(), ODF_TYPES[kind]
            if "[Content_Types].xml" in names:
                for prefix, result in OFFICE_ZIP_TYPES.items():
                    if any(name.startswith(prefix) for name in names):
                        return result
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return None  # a plain ZIP archive is not accepted


def _sniff_csv(fileobj) -> tuple[str, str] | None:
    fileobj.seek(0)
    sample = fileobj.read(64 * 1024)
    if not sample or b"\x00" in sample:
        return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "<" in text[:200] and ("<html" in text.lower() or "<script" in text.lower() or "<svg" in text.lower()):
            return None  # markup is not data
        if "," in text or "\t" in text:
            return "text/csv", "csv"
        return None
    return None


def check_upload(uploaded, *, allowed: set[str] | None = None) -> CheckedFile:
    """Check ``uploaded`` (a Django UploadedFile) by content and size.

    Raises ``ValidationError`` with a message a citizen or clerk can act on.
    """
    limit = settings.GONGKAI_UPLOAD_MAX_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; files may be at most %(limit)s.")
            % {"name": uploaded.name, "size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    uploaded.seek(0)
    head = uploaded.read(16)
    kind = _sniff(head, uploaded)
    if kind is None or (allowed is not None and kind[1] not in allowed):
        raise ValidationError(
            _("“%(name)s” is not an accepted file. Accepted: PDF, images (PNG, JPEG, GIF, WebP), "
              "Word, Excel, OpenDocument and CSV files.") % {"name": uploaded.name},
            code="file_type",
        )
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return CheckedFile(content_type=kind[0], extension=kind[1], size=uploaded.size, sha256=digest.hexdigest())


