from rest_framework import throttling

from core.middleware import client_ip


class ClientAddressMixin:
    """Every throttle keys anonymous clients on ``core.middleware.client_ip``,
    the one rule for the client's address (DRF's own get_ident believes any
    X-Forwarded-For header when NUM_PROXIES is unset)."""

    def get_ident(self, request):
        return client_ip(request) or ""


class OneTripThrottle(throttling.SimpleRateThrottle):
    """DRF's sliding window, kept in Redis as a sorted set and checked and
    counted by one atomic script (``core.redis_cache.RedisCache.throttle_take``):
    one round trip instead of DRF's read and write of the whole history, and
    two requests at once can't both take the last place. With another cache
    (a first run's local memory) it is DRF's own. Listed after DRF's class
    in a throttle's bases, so that theirs (a scope's rate) runs first."""

    def allow_request(self, request, view):
        take = getattr(self.cache, "throttle_take", None)
        if take is None:
            return super().allow_request(request, view)
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        taken, self._count, self._oldest = take(
            self.key, now=self.now, window=self.duration, limit=self.num_requests
        )
        return taken

    def wait(self):
        if not hasattr(self, "_count"):
            return super().wait()
        # As DRF's: the time until the oldest request leaves the window,
        # spread over the requests that will then be free.
        remaining = self.duration - (self.now - self._oldest) if self._count else self.duration
        available = self.num_requests - self._count + 1
        if available <= 0:
            return None
        return remaining / float(available)


class AnonRateThrottle(ClientAddressMixin, throttling.AnonRateThrottle, OneTripThrottle):
    pass


class UserRateThrottle(ClientAddressMixin, throttling.UserRateThrottle, OneTripThrottle):
    pass


class AuthRateThrottle(ClientAddressMixin, OneTripThrottle):
    """Token and register endpoints (API and web): per client address, whoever
    they claim to be."""

    scope = "auth"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class WriteRateThrottle(ClientAddressMixin, throttling.ScopedRateThrottle, OneTripThrottle):
    """Order and booking creation: per user (or address), a separate bucket from reads."""

    scope_attr = "throttle_scope"

    def allow_request(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        if not getattr(view, self.scope_attr, None):
            view.throttle_scope = "write"
        return super().allow_request(request, view)
