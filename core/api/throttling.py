from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle


class AuthRateThrottle(SimpleRateThrottle):
    """Token and register endpoints: per client address, whoever they claim to be."""

    scope = "auth"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class WriteRateThrottle(ScopedRateThrottle):
    """Order and booking creation: per user (or address), a separate bucket from reads."""

    scope_attr = "throttle_scope"

    def allow_request(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        if not getattr(view, self.scope_attr, None):
            view.throttle_scope = "write"
        return super().allow_request(request, view)
