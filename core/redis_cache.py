"""Django's Redis cache backend, with one client object per connection pool.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every
cache operation, and each one fills a dict of about 170 response callbacks:
an order placement does five cache operations (two throttles read and write
their history, the content version is bumped), and building those clients was
~7% of its CPU time. A ``redis.Redis`` is safe to share between threads (it
takes a connection from the pool for each command), so one per pool is enough.
Keys are not checked for memcached's rules either (``validate_key``).

Two operations take one round trip where Django's API would take several:
``bump_counters`` (the content versions an order or a booking moves, on
commit: ``core.cache``) and ``throttle_take`` (an API throttle's sliding
window, checked and counted atomically: ``core.api.throttling``). Other
cache backends (the local memory one of a first run) don't have them, and
their callers fall back to the plain cache API.
"""

import itertools
import os

from django.core.cache.backends import redis

# A throttle's window is a sorted set of request times. Atomically: drop the
# requests older than the window, count the rest, and count this one unless
# the limit is reached. Returns {taken (1/0), requests in the window, the
# oldest one's time (a string: Lua would truncate a number)}.
_THROTTLE = """
local key, now, window, limit = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2] or ARGV[1]
if count >= limit then
  return {0, count, oldest}
end
redis.call('ZADD', key, now, ARGV[4])
redis.call('EXPIRE', key, math.ceil(window))
return {1, count + 1, oldest}
"""
_requests = itertools.count()


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    def validate_key(self, key):
        # Django checks every key, character by character, for what memcached
        # refuses (spaces, control characters, over 250 bytes) and warns; Redis
        # takes any bytes. It was 5% of a cached signed-in answer's time.
        return

    def bump_counters(self, keys, start: int) -> None:
        """Moves each counter of ``keys`` on by one, a missing one first set to
        ``start``, in one round trip (SET NX and INCRBY, pipelined)."""
        client = self._cache.get_client(write=True)
        with client.pipeline(transaction=False) as pipe:
            for key in keys:
                name = self.make_key(key)
                pipe.set(name, start, nx=True)
                pipe.incrby(name, 1)
            pipe.execute()

    def throttle_take(
        self, key: str, *, now: float, window: float, limit: int
    ) -> tuple[bool, int, float]:
        """One request against a sliding window of ``limit`` requests a
        ``window`` of seconds under ``key``, checked and counted in one atomic
        script: (taken, requests in the window, the oldest one's time)."""
        client = self._cache.get_client(write=True)
        script = self.__dict__.get("_throttle_script")
        if script is None:
            script = self.__dict__["_throttle_script"] = client.register_script(_THROTTLE)
        member = f"{now!r}:{os.getpid()}:{next(_requests)}"
        taken, count, oldest = script(
            # Under a name of its own: a key DRF's throttle wrote holds a
            # pickled list, which the sorted set's commands would refuse.
            keys=[self.make_key(f"window:{key}")],
            args=[repr(now), window, limit, member],
            client=client,
        )
        return bool(taken), int(count), float(oldest)
