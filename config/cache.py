"""Version counters for public content, so cached pages are never stale.

Every service that changes what an anonymous visitor sees (a price, a stock
figure, seats left, programme content) calls ``bump("<app>")``. Cached
anonymous pages and API lists include the current versions of the scopes they
depend on in their cache key, so a bump makes every dependent entry unreachable
at once, on every app server (the counters live in the shared cache: Redis in
production). The bump runs on commit, so a rolled-back change bumps nothing and
a reader can't re-cache the old data between the bump and the commit.
"""

from django.core.cache import cache
from django.db import transaction

SCOPES = ("cooperation", "marketplace", "tours")
_PREFIX = "content-version:"


def bump(scope: str) -> None:
    if scope not in SCOPES:
        raise ValueError(f"unknown cache scope {scope!r}")

    def _bump():
        key = _PREFIX + scope
        try:
            cache.incr(key)
        except ValueError:  # not set yet (or evicted): any new value invalidates
            cache.add(key, 1, timeout=None)
            cache.incr(key)

    transaction.on_commit(_bump)


def versions(*scopes: str) -> str:
    """A short string of the current versions of ``scopes``, for cache keys."""
    keys = [_PREFIX + s for s in scopes]
    found = cache.get_many(keys)
    return ".".join(str(found.get(k, 0)) for k in keys)
