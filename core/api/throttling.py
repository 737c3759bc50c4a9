from rest_framework import throttling

from core.middleware import client_ip


class ClientAddressMixin:
    """Every throttle keys anonymous clients on ``core.middleware.client_ip``,
    the one rule for the client's address (DRF's own get_ident believes any
    X-Forwarded-For header when NUM_PROXIES is unset)."""

    def get_ident(self, request):
        return client_ip(request) or ""


class AnonRateThrottle(ClientAddressMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientAddressMixin, throttling.UserRateThrottle):
    pass


class AuthRateThrottle(ClientAddressMixin, throttling.SimpleRateThrottle):
    """Token and register endpoints (API and web): per client address, whoever
    they claim to be."""

    scope = "auth"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class WriteRateThrottle(ClientAddressMixin, throttling.ScopedRateThrottle):
    """Order and booking creation: per user (or address), a separate bucket from reads."""

    scope_attr = "throttle_scope"

    def allow_request(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        if not getattr(view, self.scope_attr, None):
            view.throttle_scope = "write"
        return super().allow_request(request, view)
