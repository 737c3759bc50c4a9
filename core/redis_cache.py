"""Django's Redis cache backend, with one client object per connection pool.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every
cache operation, and each one fills a dict of about 170 response callbacks:
an order placement does five cache operations (two throttles read and write
their history, the content version is bumped), and building those clients was
~7% of its CPU time. A ``redis.Redis`` is safe to share between threads (it
takes a connection from the pool for each command), so one per pool is enough.
Keys are not checked for memcached's rules either (``validate_key``).
"""

from django.core.cache.backends import redis


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
