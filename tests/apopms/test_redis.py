import os

import pytest
import redis
from django.core.cache import cache, caches


@pytest.mark.redis
def test_cache_is_the_live_redis_when_redis_url_is_set():
    assert type(caches["default"]).__name__ == "RedisCache"
    cache.set("apopms:probe", "here", 30)
    # Read it back through a separate client: the value really is in Redis.
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    assert any(key.endswith(b"apopms:probe") for key in client.scan_iter("*apopms:probe"))
    assert cache.get("apopms:probe") == "here"
