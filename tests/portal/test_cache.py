"""portal.cache.TolerantRedisCache against a real Redis: one client per connection pool
(Django's own backend builds a ``redis.Redis`` for every command, a third of a cached
page's time), and a connection Redis dropped is replaced without the reader noticing."""

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
