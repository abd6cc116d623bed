"""Malformed and hostile requests get a clear, translated 4xx page, never a 500 (issue 11 §8;
docs/architecture.md, "Bad requests").

One middleware (:class:`BadRequestMiddleware`) looks at what no view can do anything useful
with, before any view or other middleware's ``process_view`` (CSRF included) reads it:

- **Control characters** (NUL, the other C0 characters but tab and line breaks, DEL) in
  the address or in a query parameter's name or value: no link or form of the portal
  produces one, PostgreSQL refuses NUL in any string, and XML (the feeds) refuses the
  others. Refused with a 400 page that names the parameter.
- **A declared charset**: a form posted as ``application/x-www-form-urlencoded;
  charset=latin-1`` is read in the charset it declares. Django refuses such a form, and
  its own 400 handler, which reads the form again for its CSRF check, then failed with a
  500. A charset that is no text encoding (``base64``, ``rot13``) is ignored, as Django
  already ignores one it does not know.
- **Oversize fields on the public forms**: the limit a citizen meets is the form field's
  ``max_length`` (the form says which field and how long it may be, and keeps everything
  else typed). ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is only the server's memory guard, and a
  field past it used to lose the whole form to Django's bare 400. Views marked
  :func:`reads_fields_cut` (the public forms: filing, tracking and rating) therefore read
  each field only up to :data:`FIELD_READ_LIMIT` bytes and drop the rest unread into
  memory. That limit is above the longest value any of their fields accepts, so a cut
  field can never pass validation: it comes back with the form's "at most N characters"
  error (tests/trust/test_hostile_input.py checks the bound). Other views (the admin,
  whose text fields may be long) keep Django's guard, answered with a 413 page.
- **405**: a method a page does not take gets a page that says so (the API answers in JSON
  itself). GET pages also answer HEAD (``require_safe``).

The error views (``handler400`` … in ``portal.urls``) render ``400.html``, ``403.html``,
``404.html``, ``405.html``, ``413.html`` and ``500.html`` in the reader's language. The 400
view never reads the request's form again.
"""

from __future__ import annotations

import codecs
import re
from functools import wraps

from django.conf import settings
from django.core.exceptions import DisallowedHost, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpResponse, HttpResponseNotAllowed, QueryDict
from django.http.multipartparser import MultiPartParser
from django.template import loader
from django.urls import Resolver404, resolve
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

#: C0 control characters but tab, line feed and carriage return; and DEL.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

#: Bytes of one field that the public forms read. A field of the public forms holds at most
#: 10,000 characters: 40,000 bytes of UTF-8, 120,000 percent-encoded. Anything cut here is
#: therefore longer than its field allows, whatever script it is in.
FIELD_READ_LIMIT = 256 * 1024
_CHUNK = 64 * 1024


# --- Before Django reads the request ------------------------------------------------------

_CHARSET_PARAMETER = re.compile(r";\s*charset\s*=\s*(\"[^\"]*\"|[^;]*)", re.IGNORECASE)


def without_unreadable_charset(application):
    """The WSGI application, minus a ``charset`` that names a codec but no text encoding
    (``text/plain; charset=rot13``): Django accepts it while building the request, then
    decodes the query string with it and fails before any middleware could answer."""

    def guarded(environ, start_response):
        content_type = environ.get("CONTENT_TYPE", "")
        for match in _CHARSET_PARAMETER.finditer(content_type):
            if not _is_text_encoding(match.group(1).strip().strip('"')):
                environ["CONTENT_TYPE"] = _CHARSET_PARAMETER.sub("", content_type)
                break
        return application(environ, start_response)

    return guarded


# --- Marking the views whose forms are read field by field ------------------------------


def reads_fields_cut(view):
    """Mark a public form view: each posted field is read up to :data:`FIELD_READ_LIMIT`
    bytes, so an oversize field reaches the form (and its error) instead of losing it.
    Only for views whose every text field has a ``max_length`` below that limit."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    wrapper.reads_fields_cut = True
    return wrapper


def _reads_fields_cut(request) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return getattr(match.func, "reads_fields_cut", False)


# --- The middleware ---------------------------------------------------------------------


class BadRequestMiddleware:
    """Refuse or repair what would otherwise fail deep inside a view (see the module).

    Placed after the session, locale, CSRF and authentication middleware, so that its pages
    are translated and set the CSRF cookie; its request checks still run before any
    ``process_view``, since those only run once every middleware has been called."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.encoding and not _is_text_encoding(request.encoding):
            # Where the WSGI guard did not run (ASGI, the test client): read as UTF-8.
            request.encoding = None
        refusal = self._refusal(request)
        if refusal is not None:
            return refusal
        self._read_form(request)
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and not response.content:
            return _not_allowed_page(request, response)
        return response

    def _refusal(self, request) -> HttpResponse | None:
        if CONTROL_CHARACTERS.search(request.path_info):
            return error_page(request, 400, problem=_("The address contains a control character (such as a NUL byte). No link on this site has one."))
        for name, values in request.GET.lists():
            if CONTROL_CHARACTERS.search(name) or any(CONTROL_CHARACTERS.search(value) for value in values):
                return error_page(request, 400, problem=_(
                    "The parameter “%(name)s” of the address contains a control character (such as a NUL byte). "
                    "No link or form on this site sends one."
                ) % {"name": CONTROL_CHARACTERS.sub("\N{REPLACEMENT CHARACTER}", name)[:100]})
        return None

    def _read_form(self, request) -> None:
        if request.method != "POST":
            return
        if request.content_type == "multipart/form-data":
            if _reads_fields_cut(request):
                request.upload_handlers.insert(0, _FieldCutHandler(request))
            return
        if request.content_type != "application/x-www-form-urlencoded":
            return
        charset = request.encoding or settings.DEFAULT_CHARSET
        if _reads_fields_cut(request):
            _set_form(request, QueryDict(_urlencoded_cut(request), encoding=charset))
        elif charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
            _set_form(request, QueryDict(request.body, encoding=charset))


def _is_text_encoding(charset: str) -> bool:
    """True for a text encoding, and for a name that is no codec at all (Django ignores those)."""
    try:
        b"x".decode(charset, "ignore")  # not b"": an empty input is decoded without a look-up
    except LookupError:
        try:
            codecs.lookup(charset)
        except LookupError:
            return True
        return False
    return True


def _set_form(request, data: QueryDict) -> None:
    """Give the request the form as read here. A urlencoded form has no files: ``_files`` is
    what Django sets beside ``POST`` when it reads one itself (there is no public setter)."""
    request.POST = data
    request._files = MultiValueDict()


def _urlencoded_cut(request) -> bytes:
    """A urlencoded body read in chunks, each field cut after :data:`FIELD_READ_LIMIT` bytes.
    What is kept is bounded by ``DATA_UPLOAD_MAX_MEMORY_SIZE`` like any form Django reads."""
    fields, current, kept = [], bytearray(), 0
    guard = settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    def finish():
        nonlocal current, kept
        kept += len(current) + 1
        if guard is not None and kept > guard:
            raise RequestDataTooBig(_("The form's fields together are too large."))
        fields.append(bytes(current))
        current = bytearray()

    while chunk := request.read(_CHUNK):
        for index, piece in enumerate(chunk.split(b"&")):
            if index:
                finish()
            current += piece[: max(0, FIELD_READ_LIMIT - len(current))]
    finish()
    return b"&".join(fields)


class _FieldCutHandler(FileUploadHandler):
    """Parses a multipart form with Django's own parser, from a stream in which every field
    that is not a file stops after :data:`FIELD_READ_LIMIT` bytes. Files are untouched
    (their handlers and limits apply as always)."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        others = [handler for handler in self.request.upload_handlers if handler is not self]
        return MultiPartParser(META, _FieldCutStream(input_data, boundary), others, encoding).parse()

    def receive_data_chunk(self, raw_data, start):  # never called: handle_raw_input parses all
        return raw_data

    def file_complete(self, file_size):
        return None


class _FieldCutStream:
    """A multipart body, passed on byte for byte except the values of parts that are not
    files, which stop after :data:`FIELD_READ_LIMIT` bytes (the rest is read and dropped)."""

    _HEADERS_MAX = 16 * 1024  # more than any browser sends; past it the part is passed on as is

    def __init__(self, source, boundary: bytes):
        self._source = source
        self._delimiter = b"\r\n--" + boundary
        self._pending = bytearray(b"\r\n")  # so that the opening "--boundary" reads as a delimiter
        self._skip = 2  # ... and those two bytes are not passed on
        self._out = bytearray()
        self._in_headers = False
        self._in_field = False
        self._kept = 0
        self._ended = False

    def read(self, size=-1):
        while not self._ended and (size is None or size < 0 or len(self._out) < size):
            chunk = self._source.read(_CHUNK)
            if chunk:
                self._pending += chunk
            else:
                self._ended = True
            self._scan(final=self._ended)
        size = len(self._out) if size is None or size < 0 else size
        data = bytes(self._out[:size])
        del self._out[:size]
        return data

    def _emit(self, data) -> None:
        if self._skip:
            dropped = min(self._skip, len(data))
            data, self._skip = data[dropped:], self._skip - dropped
        self._out += data

    def _value(self, data) -> None:
        if not self._in_field:
            self._emit(data)
            return
        room = FIELD_READ_LIMIT - self._kept
        if len(data) > room:
            data = _whole_characters(bytes(data[:room]))
            self._kept = FIELD_READ_LIMIT
        else:
            self._kept += len(data)
        self._emit(data)

    def _scan(self, *, final: bool) -> None:
        while True:
            if self._in_headers:
                end = self._pending.find(b"\r\n\r\n")
                if end == -1:
                    if final or len(self._pending) > self._HEADERS_MAX:
                        self._emit(self._pending)
                        self._pending.clear()
                        self._in_headers = self._in_field = False
                    return
                headers = bytes(self._pending[: end + 4])
                del self._pending[: end + 4]
                self._emit(headers)
                self._in_headers, self._in_field, self._kept = False, b"filename=" not in headers.lower(), 0
                continue
            at = self._pending.find(self._delimiter)
            if at == -1:
                # Keep what could be the start of a delimiter until more has come.
                ready = len(self._pending) if final else max(0, len(self._pending) - len(self._delimiter) + 1)
                self._value(self._pending[:ready])
                del self._pending[:ready]
                return
            self._value(self._pending[:at])
            self._emit(self._delimiter)
            del self._pending[: at + len(self._delimiter)]
            self._in_headers = True


def _whole_characters(data: bytes) -> bytes:
    """``data`` without a UTF-8 character cut in half at its end."""
    start = len(data)
    while start > 0 and len(data) - start < 3 and data[start - 1] & 0xC0 == 0x80:
        start -= 1  # back over continuation bytes to the character's first byte
    if start > 0 and data[start - 1] >= 0xC0:
        lead = data[start - 1]
        length = 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4
        if len(data) - (start - 1) < length:
            return data[: start - 1]
    return data


# --- The error pages ----------------------------------------------------------------------


def error_page(request, status: int, *, problem: str = "", template: str | None = None) -> HttpResponse:
    """The translated page for ``status`` (``<status>.html``), with what was wrong."""
    body = loader.render_to_string(template or f"{status}.html", {"problem": problem, "status": status}, request)
    return HttpResponse(body, status=status)


def bad_request(request, exception):
    """``handler400``: never reads the form again (the default handler's CSRF check does,
    and fails the same way the request just did)."""
    if isinstance(exception, DisallowedHost):
        # Nothing that builds an absolute address can be rendered for this host.
        body = loader.render_to_string("400.html", {"problem": _("The address names a host this site does not serve.")})
        return HttpResponse(body, status=400)
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return error_page(request, 413, problem=_("The form's fields together may be at most %(limit)s.") % {
            "limit": f"{limit // (1024 * 1024)} MB" if limit else "",
        })
    if isinstance(exception, (TooManyFieldsSent, TooManyFilesSent)):
        return error_page(request, 400, problem=_("The form sent more fields or files than any form on this site has."))
    return error_page(request, 400)


def _not_allowed_page(request, response: HttpResponseNotAllowed) -> HttpResponse:
    page = error_page(request, 405, problem=_("This page answers %(methods)s only.") % {"methods": response["Allow"]})
    page["Allow"] = response["Allow"]
    return page
