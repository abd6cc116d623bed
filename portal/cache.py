"""A Redis cache that degrades instead of failing: with Redis down, pages are served
uncached and forms still save (DESIGN §3.6, outages). Plus :meth:`TolerantRedisCache.
get_tracked`: a small value every request reads (the page cache's generation) kept in the
process, and read from Redis again only once Redis says it changed."""

import logging
import os
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis import ConnectionPool
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
OUTAGE = (RedisConnectionError, RedisTimeoutError, OSError)


def _tolerant(method_name, fallback):
    def method(self, *args, **kwargs):
        try:
            return getattr(super(TolerantRedisCache, self), method_name)(*args, **kwargs)
        except OUTAGE as error:
            logger.warning("cache unavailable (%s): %s", method_name, error)
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    method.__name__ = method_name
    return method


class _OneClientPerPool(RedisCacheClient):
    """Django builds a new ``redis.Redis`` for every command, and building one fills its
    table of some 170 response callbacks: a third of a cached page's time (issue 15). A
    client is thread-safe and its pool reconnects after a fork, so one per pool does."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients.setdefault(pool, self._client(connection_pool=pool))
        return client


class _Tracking:
    """Values kept in this process until Redis reports a change to them: Redis's
    client-side caching in broadcasting mode (``CLIENT TRACKING ON BCAST PREFIX``, Redis 6
    or later). One connection per process asks Redis to push a message whenever a tracked
    key is written, deleted, expired or evicted, or the database flushed, by anyone. A read
    first looks on that connection for such a message (a poll of the socket, no round
    trip); if there is none the value kept is still current.

    Redis writes the message in the same turn of its event loop as the reply to the
    command that changed the key, so a process that learns of a change has its message
    on every other process's socket by then. A connection that breaks is noticed (the
    socket turns readable) and the values dropped. One that dies silently is not, so a
    value is never kept longer than ``MAX_AGE`` seconds. Each key tracked is a prefix to
    Redis, so no tracked key may begin with another. (redis-py's own client-side cache
    needs Redis 7.4, and keeps every GET, pages included.)"""

    MAX_AGE = 1.0  # seconds
    RETRY = 1.0  # seconds between attempts to connect while Redis cannot be reached

    def __init__(self, url: str, options: dict):
        self._url, self._options = url, options
        self._lock = threading.Lock()
        self._pid, self._values = None, {}
        self._drop_connection(retry_at=0.0)

    def get(self, name: str, read):
        """The value of Redis key ``name``: kept, or ``read()`` and kept."""
        with self._lock:
            if not self._watching(name) or self._changed():
                self._values.clear()
            kept = self._values.get(name)
            if kept is not None and time.monotonic() - kept[1] < self.MAX_AGE:
                return kept[0]
            value = read()  # after the key is watched: a later change is reported
            if value is not None and self._connection is not None:
                self._values[name] = (value, time.monotonic())
            return value

    def _watching(self, name: str) -> bool:
        if self._pid != os.getpid():  # forked: the parent's socket is not ours to read
            self._pid = os.getpid()
            self._drop_connection(retry_at=0.0)
        if name in self._prefixes and self._connection is not None:
            return True
        if time.monotonic() < self._retry_at:
            return False
        try:
            if self._connection is None:
                self._connection = self._connect()
            self._command("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", name)
            self._prefixes.add(name)
            self._values.clear()  # a message read past while waiting for the reply is lost
            return True
        except Exception as error:  # Redis down, or too old for RESP3 and tracking
            self._broken(error)
            return False

    def _connect(self):
        options = {k: v for k, v in self._options.items() if k not in {"serializer", "pool_class", "parser_class"}}
        pool = ConnectionPool.from_url(self._url, protocol=3, client_name="gongkai-tracking", **options)
        connection = pool.make_connection()
        connection.connect()
        return connection

    def _command(self, *args):
        self._connection.send_command(*args)
        self._connection.read_response()

    def _changed(self) -> bool:
        """Whether a change was reported since the last read (the messages are consumed)."""
        changed = False
        try:
            while self._connection.can_read(0):
                changed = True
                self._connection.read_response(push_request=True, timeout=0)
        except Exception as error:  # closed by Redis (a restart?), or a message not yet whole
            self._broken(error, retry_after=0)  # it was up a moment ago: reconnect at once
            return True
        return changed

    def _broken(self, error, retry_after: float = RETRY) -> None:
        logger.warning("cache tracking unavailable: %s", error)
        if self._connection is not None:
            self._connection.disconnect()
        self._drop_connection(retry_at=time.monotonic() + retry_after)

    def _drop_connection(self, retry_at: float) -> None:
        # Values are dropped too the next time a key is watched (``_watching``).
        self._connection, self._prefixes, self._retry_at = None, set(), retry_at


#: One ``_Tracking`` per Redis server and options in the process, shared by the threads
#: (Django builds a cache object per thread).
_trackings: dict[tuple[str, str], _Tracking] = {}


class TolerantRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _OneClientPerPool
        where = (self._servers[0], repr(sorted(self._options.items())))
        self._tracking = _trackings.setdefault(where, _Tracking(self._servers[0], self._options))

    def get_tracked(self, key, version=None):
        """``get``, for a small key read by every request and rarely written: kept in the
        process until Redis reports a change (``_Tracking``); ``None`` when missing."""
        name = self.make_and_validate_key(key, version=version)
        return self._tracking.get(name, lambda: self.get(key, version=version))

    get = _tolerant("get", lambda key, default=None, version=None: default)
    get_many = _tolerant("get_many", {})
    has_key = _tolerant("has_key", False)
    set = _tolerant("set", None)
    set_many = _tolerant("set_many", [])
    add = _tolerant("add", False)
    touch = _tolerant("touch", False)
    delete = _tolerant("delete", False)
    delete_many = _tolerant("delete_many", None)
    clear = _tolerant("clear", None)
    incr = _tolerant("incr", None)
