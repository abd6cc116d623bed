"""Counting attempts per client in the cache, for rate limits on public forms and lookups.

Deliberately small: fixed windows in whatever cache is configured (Redis in production,
shared by every web process). With the cache down the limit is not enforced rather than
locking everybody out.
"""

from __future__ import annotations

from django.core.cache import cache


def client_address(request) -> str:
    """The client's address. Behind a proxy, configure it to set REMOTE_ADDR (e.g. gunicorn
    --forwarded-allow-ips); a header any client can forge is never trusted here."""
    return request.META.get("REMOTE_ADDR", "unknown")


def count(scope: str, who: str, window: int) -> int:
    """Record one attempt and return how many ``who`` made in the current ``window`` seconds."""
    key = f"throttle:{scope}:{who}"
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key) or 0
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return 1


def peek(scope: str, who: str) -> int:
    return cache.get(f"throttle:{scope}:{who}", 0) or 0


def reset(scope: str, who: str) -> None:
    cache.delete(f"throttle:{scope}:{who}")
