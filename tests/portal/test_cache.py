"""portal.cache.TolerantRedisCache against a real Redis: one client per connection pool
(Django's own backend builds a ``redis.Redis`` for every command, a third of a cached
page's time), and a connection Redis dropped is replaced without the reader noticing.
Tracked values (``get_tracked``, the page cache's generation): read from Redis once, then
kept until anyone changes them, and never read stale, even when the connection that
reports changes is dropped or the process forks."""

import os
import threading

import pytest
import redis

from portal.cache import TolerantRedisCache


@pytest.mark.redis
def test_reads_share_one_client_and_outlive_a_dropped_connection(settings, monkeypatch):
    cache = TolerantRedisCache(settings.REDIS_URL, {})
    cache.set("test-cache:one-client", 41)
    built = []
    original = redis.Redis.__init__

    def counted(self, *args, **kwargs):
        built.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counted)
    assert [cache.get("test-cache:one-client") for _ in range(20)] == [41] * 20
    cache.incr("test-cache:one-client")
    assert built == []

    # Redis closes the cache's connection (as on a restart or a client timeout): the next
    # read opens another through the same client and still gets the value, not the default.
    client = cache._cache.get_client()
    redis.Redis.from_url(settings.REDIS_URL).client_kill_filter(_id=client.client_id())
    assert cache.get("test-cache:one-client", "default") == 42
    cache.delete("test-cache:one-client")


def _gets_of(url, name, action):
    """How many GETs of Redis key ``name`` Redis received while ``action`` ran (MONITOR)."""
    watcher = redis.Redis.from_url(url, protocol=2)
    seen, ready, done = [], threading.Event(), "test-cache:monitor-done"

    def watch():
        with watcher.monitor() as monitor:
            ready.set()
            for command in monitor.listen():
                if command["command"].endswith(done):
                    return
                seen.append(command["command"])

    thread = threading.Thread(target=watch)
    thread.start()
    ready.wait(5)
    watcher.ping()  # the MONITOR is set up once its connection answered
    action()
    redis.Redis.from_url(url).echo(done)
    thread.join(5)
    return sum(1 for command in seen if command.upper().startswith("GET ") and command.endswith(name))


@pytest.fixture
def tracked(settings):
    cache = TolerantRedisCache(settings.REDIS_URL, {})
    name = cache.make_and_validate_key("test-cache:tracked")
    other = redis.Redis.from_url(settings.REDIS_URL)  # as another process or machine writes
    other.set(name, 1)
    yield (lambda: cache.get_tracked("test-cache:tracked")), name, other
    other.delete(name)


@pytest.mark.redis
def test_a_tracked_value_is_read_once_and_kept_until_someone_changes_it(settings, tracked):
    read, name, other = tracked
    reads = []
    gets = _gets_of(settings.REDIS_URL, name, lambda: reads.extend(read() for _ in range(50)))
    assert reads == [1] * 50
    assert gets == 1

    # Changed by another connection, then read at once: never the old value.
    stale = 0
    for _ in range(300):
        expected = other.incr(name)
        stale += read() != expected
    assert stale == 0
    other.delete(name)
    assert read() is None
    other.set(name, 7)
    assert read() == 7


@pytest.mark.redis
def test_a_dropped_tracking_connection_never_leaves_a_stale_value(settings, tracked):
    read, name, other = tracked
    assert read() == 1
    # Redis drops the connection that reports changes (a restart, a client timeout) and the
    # value changes meanwhile: the reader notices the closed connection and reads afresh.
    killed = [c["id"] for c in other.client_list() if c["name"] == "gongkai-tracking"]
    assert killed
    for client_id in killed:
        other.client_kill_filter(_id=client_id)
    other.set(name, 2)
    assert [read() for _ in range(3)] == [2, 2, 2]
    other.set(name, 3)
    assert read() == 3
    # … and watches again on a new connection at once: reads are kept, not sent.
    assert _gets_of(settings.REDIS_URL, name, lambda: [read() for _ in range(20)]) == 0


@pytest.mark.redis
def test_a_forked_process_watches_on_a_connection_of_its_own(settings, tracked):
    """gunicorn forks its workers from a master that may have read the value already."""
    read, name, other = tracked
    assert read() == 1
    answer, out = os.pipe()
    child = os.fork()
    if child == 0:  # the worker: changes seen, on its own connection
        try:
            answers = [read()]
            answers.append(other.incr(name) == read())
            answers.append(other.incr(name) == read())
            os.write(out, repr(answers).encode())
        finally:
            os._exit(0)
    os.close(out)
    os.waitpid(child, 0)
    assert os.read(answer, 100) == b"[1, True, True]"
    # The master's connection was left alone, and reported the worker's changes.
    assert read() == 3
    other.set(name, 4)
    assert read() == 4
