"""Cached public pages (issue 4, point 8; docs/architecture.md, "Cached pages").

A view decorated with :func:`cache_public_page` is served from the cache to anonymous
readers: keyed by the full address (scheme, host, path and query), the language the
reader gets (``gongkai_language`` cookie, else Accept-Language), care mode or not
(``portal.care``), content as filed or in the reader's script (``?original=1``, part of
the address: ``portal.chinese``) and the county's date (a
page's "late" and "overdue" turn over at midnight), under a *generation* counter kept in
the cache. :func:`invalidate` bumps the counter, so every page stored before it is never
read again (and expires after ``GONGKAI_PAGE_CACHE_SECONDS``). Services call
:func:`invalidate_on_commit` when something public changes; reference data edited
directly in the admin (departments, categories, the hall …) is followed by a signal
receiver (:func:`invalidate_when_saved`).

Never cached: staff (anyone logged in: they may see internal notices), anything but a
successful GET, a response that sets a cookie, and an address with query parameters the
view does not list (random parameters would otherwise fill the cache). Pages with forms
that post (tracking, filing a complaint) are simply not decorated. Free text (a search's
``q``, listed in ``text``) is cached in this process's own layer only, never in Redis:
a popular search is answered from memory, and a crawler's endless distinct queries only
push older copies out of a bounded LRU. The switches every page has (language, care
mode) post without a CSRF token (``portal.switches``), so a cached page holds none; should
one ever hold a token, the copy keeps a placeholder and each reader gets their own.

With the cache down (``TolerantRedisCache``) the counter cannot be read and pages are
rendered as if nothing were cached.

Two levels (issue 15): a hit reads the generation, which keeps every process and machine
in step, and the page from this process's own copy (``_LocalPages``) when it has one, from
Redis otherwise. The generation itself is kept in the process and read from Redis again
only once Redis reports that it changed (``TolerantRedisCache.get_tracked``), so a hit
served from the process's copy makes no round trip at all. After an invalidation, one
process renders each page while the others wait for its copy (``_render_once``): no
stampede of identical renders.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections import OrderedDict
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.http import quote_etag
from django.utils.translation import get_language

from portal import care, chinese

GENERATION_KEY = "page-cache:generation"
_CSRF_VALUE = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_CSRF_PLACEHOLDER = b"\x00csrf-token\x00"


def _timeout() -> int:
    return getattr(settings, "GONGKAI_PAGE_CACHE_SECONDS", 300)


def generation():
    """The current generation, or None when the cache does not answer. A missing counter
    (first use, eviction) starts from the clock, never from a value used before."""
    value = _read_generation()
    if value is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        value = cache.get(GENERATION_KEY)  # another process may have added its own first
    return value


def _read_generation():
    # Redis: kept in the process until Redis reports the counter changed (portal.cache).
    tracked = getattr(cache, "get_tracked", None)
    return tracked(GENERATION_KEY) if tracked is not None else cache.get(GENERATION_KEY)


def invalidate() -> None:
    """Make every cached page stale: the next reader of each gets it rendered afresh."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no counter yet: the next reader starts a new one
        pass


def invalidate_on_commit() -> None:
    """For services: invalidate once the change is committed (a page rendered between
    the change and the commit would otherwise be cached with the old state). A failure
    is logged by Django and never undoes the change."""
    transaction.on_commit(invalidate, robust=True)


def _saved(sender, raw=False, **kwargs):
    if not raw:
        invalidate_on_commit()


def invalidate_when_saved(*models: str) -> None:
    """For ``AppConfig.ready()``: reference data that the admin saves directly, without a
    service (departments, categories, the hall), invalidates the pages when it changes."""
    for model in models:
        post_save.connect(_saved, sender=model, dispatch_uid=f"page-cache-save-{model}")
        post_delete.connect(_saved, sender=model, dispatch_uid=f"page-cache-delete-{model}")


def _key(request, params: frozenset[str], vary: tuple[str, ...] = ()) -> tuple[str, object] | None:
    if request.method != "GET" or request.user.is_authenticated or _timeout() <= 0:
        return None
    if any(value for name, values in request.GET.lists() if name not in params for value in values):
        return None
    if len(request.get_full_path()) > MAX_ADDRESS_LENGTH:
        return None
    current = generation()
    if current is None:
        return None
    headers = "".join(f"\n{name}:{request.headers.get(name, '')}" for name in vary)
    address = hashlib.sha256((request.build_absolute_uri() + headers).encode()).hexdigest()
    mode = "care" if care.is_on(request) else "standard"
    return f"page-cache:{current}:{get_language()}:{mode}:{timezone.localdate().isoformat()}:{address}", current


def _storable(response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and getattr(response, "is_rendered", True)  # a TemplateResponse not rendered yet has no content
        and not response.cookies
        and not response.has_header("Cache-Control")  # never_cache, private …: the view decided
    )


def _stored(response) -> dict:
    # Only what the view made: middleware adds its own headers to every response, hit or
    # miss. Except the ETag (ConditionalGetMiddleware's), made here once rather than hashed
    # again on every hit, and over the copy without a CSRF token: the same for every reader
    # and across invalidations that left the page as it was, so a reader who has it gets 304.
    content = _CSRF_VALUE.sub(rb"\g<1>" + _CSRF_PLACEHOLDER + rb"\g<2>", response.content)
    if not response.has_header("ETag"):
        response["ETag"] = quote_etag(hashlib.md5(content, usedforsecurity=False).hexdigest())
    return {"content": content, "headers": list(response.items())}


def _served(request, stored: dict) -> HttpResponse:
    content = stored["content"]
    if _CSRF_PLACEHOLDER in content:
        content = content.replace(_CSRF_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content)
    for name, value in stored["headers"]:
        response[name] = value
    return response


#: Longer addresses are never cached (a search's text is at most 1,000 characters).
MAX_ADDRESS_LENGTH = 4096
#: Pages kept in each process besides Redis (a hit served from here makes no round trip):
#: at most this many bytes, the least recently served dropped first.
LOCAL_MAX_BYTES = 16 * 1024 * 1024
#: After an invalidation one process renders a page; readers of the same page meanwhile
#: wait for its copy this long at most (then render it themselves, uncached).
RENDER_LOCK_SECONDS, RENDER_WAIT_SECONDS, RENDER_POLL_SECONDS = 10, 3.0, 0.02


class _LocalPages:
    """The in-process layer: copies keyed like Redis's (generation included, so a bumped
    generation is never served from here either), emptied when the generation moves."""

    def __init__(self):
        self.pages: OrderedDict[str, dict] = OrderedDict()
        self.size, self.generation = 0, None
        self.lock = threading.Lock()

    def get(self, key: str, generation) -> dict | None:
        with self.lock:
            if generation != self.generation:
                self.pages.clear()
                self.size, self.generation = 0, generation
                return None
            stored = self.pages.get(key)
            if stored is not None:
                self.pages.move_to_end(key)
            return stored

    def put(self, key: str, generation, stored: dict) -> None:
        size = len(stored["content"])
        with self.lock:
            if generation != self.generation or size > LOCAL_MAX_BYTES // 4 or key in self.pages:
                return
            self.pages[key] = stored
            self.size += size
            while self.size > LOCAL_MAX_BYTES:
                _, dropped = self.pages.popitem(last=False)
                self.size -= len(dropped["content"])


_local = _LocalPages()


def _cached(key: str, generation) -> dict | None:
    stored = _local.get(key, generation)
    if stored is None:
        stored = cache.get(key)
        if stored is not None:
            _local.put(key, generation, stored)
    return stored


def _render_once(key: str, generation, render):
    """Render and store the page, one process at a time per page (no stampede after an
    invalidation); the others wait for the stored copy."""
    lock = f"{key}:rendering"
    if cache.add(lock, 1, timeout=RENDER_LOCK_SECONDS):
        try:
            response = _rendered(render())
            if _storable(response):
                stored = _stored(response)
                cache.set(key, stored, _timeout())
                _local.put(key, generation, stored)
            return response
        finally:
            cache.delete(lock)
    deadline = time.monotonic() + RENDER_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(RENDER_POLL_SECONDS)
        stored = cache.get(key)
        if stored is not None:
            _local.put(key, generation, stored)
            return stored
    return render()


def cache_public_page(view=None, *, params=(), vary=(), text=()):
    """Serve the view's page from the cache to anonymous readers (see the module).
    ``params``: the query parameters the page may be cached by; an address with any other
    (not empty) is rendered, never cached. ``text``: free-text parameters (``q``); an
    address with one is cached in this process only, never in Redis (see the module).
    ``vary``: request headers the answer depends on besides those (the API's ``Accept``,
    which chooses JSON or CSV)."""

    def decorate(view):
        # ?original=1 (content as filed, portal.chinese) is a parameter of every page.
        allowed = frozenset(params) | frozenset(text) | {chinese.ORIGINAL_PARAMETER}

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            found = _key(request, allowed, vary)
            if found is None:
                return view(request, *args, **kwargs)
            key, current = found
            if any(request.GET.get(name) for name in text):
                return _local_only(request, key, current, lambda: view(request, *args, **kwargs))
            stored = _cached(key, current)
            if stored is None:
                stored = _render_once(key, current, lambda: view(request, *args, **kwargs))
                if not isinstance(stored, dict):  # rendered here
                    return stored
            return _served(request, stored)

        return wrapper

    return decorate(view) if view is not None else decorate


def _local_only(request, key: str, generation, render):
    stored = _local.get(key, generation)
    if stored is not None:
        return _served(request, stored)
    response = _rendered(render())
    if _storable(response):
        _local.put(key, generation, _stored(response))
    return response


def _rendered(response):
    if not getattr(response, "is_rendered", True):
        response.render()  # an API answer or a TemplateResponse: its content, to store
    return response
