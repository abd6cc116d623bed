"""Counting attempts per client in the cache, for rate limits on public forms and lookups,
and the one answer to "which address is this client" (throttles and login lockout alike).

Deliberately small: fixed windows in whatever cache is configured (Redis in production,
shared by every web process). With the cache down the limit is not enforced rather than
locking everybody out.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """``GONGKAI_TRUSTED_PROXIES`` (addresses or CIDR networks) as networks; settings
    checked them at start-up, so a bad entry here is a programming error."""
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def _address(text: str) -> Address | None:
    """An address from a header entry, forgiving a port (``1.2.3.4:5678``, ``[::1]:80``)."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def client_address(request) -> str | None:
    """The address of the client that sent ``request``.

    ``REMOTE_ADDR`` is the immediate peer. Only when that peer is one of the reverse proxies
    named in ``GONGKAI_TRUSTED_PROXIES`` is ``X-Forwarded-For`` read, and from the right:
    each trusted proxy appends the address it received the request from, so the right-most
    address that is not itself a trusted proxy is the client. Whatever stands left of it was
    sent by the client and is never believed, and a request that reaches us directly (not
    through a trusted proxy) cannot choose its address at all.

    None when the request carries no address (requests made in code, a peer on a Unix
    socket without a trusted proxy): counters then share one key, and django-axes, which
    stores the address in an address column, records none.
    """
    peer = _address(request.META.get("REMOTE_ADDR") or "")
    if peer is None:
        return None
    networks = trusted_networks(tuple(settings.GONGKAI_TRUSTED_PROXIES))
    client = peer
    if networks and _trusted(peer, networks):
        for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
            address = _address(hop)
            if address is None:
                break  # a trusted proxy wrote nothing usable: the last hop we could read stands
            client = address
            if not _trusted(address, networks):
                break
    return str(client)


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
