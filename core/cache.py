"""Version counters for public content, so cached pages are never stale.

Every service that changes what an anonymous visitor sees (a price, a stock
figure, seats left, programme content) calls ``bump("<app>")``. Cached
anonymous pages and API lists include the current versions of the scopes they
depend on in their cache key, so a bump makes every dependent entry unreachable
at once, on every app server (the counters live in the shared cache: Redis in
production). The bump runs on commit, so a rolled-back change bumps nothing and
a reader can't re-cache the old data between the bump and the commit.

The second half of this module is the anonymous page cache used by
``core.middleware.PublicCacheMiddleware``: which URL depends on which scopes
(``scopes_for_path``), and how a response is stored and rebuilt.
"""

import hashlib
import logging
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.utils.http import http_date

logger = logging.getLogger("dh.cache")

# One counter a domain app whose content anonymous pages show, plus "sales": the
# figures of what was sold (collected orders, settled bulk orders), which the
# marketplace publishes through ``core.figures`` for the dashboard, plus
# "editorial": names, places and times that staff edit (a product, a counter,
# a route, a departure), bumped with their app's scope but not by orders or
# bookings, for the personal pages that show them (core.personal). A page keys
# on the scopes of everything it shows (``PATH_RULES``).
SCOPES = ("organizations", "cooperation", "marketplace", "tours", "sales", "editorial")
_PREFIX = "content-version:"


def _fresh_start() -> int:
    # A counter that was evicted (or lost with a Redis restart) starts again
    # from the clock in microseconds, not from 0, so it can never come back to
    # a value that still names an old cached page (that would take more than
    # one bump a microsecond).
    return time.time_ns() // 1_000


def bump(scope: str) -> None:
    if scope not in SCOPES:
        raise ValueError(f"unknown cache scope {scope!r}")
    _bump_on_commit(_PREFIX + scope)


# Besides the public scopes, one counter per thing a personal page shows
# (``bump_item("person", user id)``, ``("counter", id)``, ``("departure", id)``):
# the apps bump them when a row of theirs that such a page reads changes
# (see ``core.personal`` and the apps' ``signals`` modules), so one customer's
# order does not outdate every other customer's pages.
ITEM_KINDS = ("person", "counter", "departure")


def item_key(kind: str, pk) -> str:
    if kind not in ITEM_KINDS:
        raise ValueError(f"unknown cache item kind {kind!r}")
    return f"{_PREFIX}{kind}:{pk}"


def bump_item(kind: str, pk) -> None:
    if pk is not None:
        _bump_on_commit(item_key(kind, pk))


# Counters of derived data cached outside the pages, which no page keys on:
# "search-vocabulary", the words of every row's search columns (core.search),
# bumped by ``Searchable.save()`` when a row's columns change and by a reindex.
DERIVED = ("search-vocabulary",)


def bump_derived(name: str) -> None:
    if name not in DERIVED:
        raise ValueError(f"unknown derived counter {name!r}")
    _bump_on_commit(_PREFIX + name)


class _Bumps:
    """The counters one transaction moves, sent together when it commits: an
    order moves three (its customer's, its counter's, the marketplace's),
    and with Redis that is one round trip (``RedisCache.bump_counters``)
    instead of two each.

    Every bump registers ``send`` on commit, so whichever runs first sends
    them all and the others find nothing left. A bump inside a savepoint
    that rolls back may still be sent with the others: a version moved for
    nothing only costs a cached page its entry, never shows a stale one."""

    def __init__(self) -> None:
        self.keys: set[str] = set()
        self.sent = False

    def send(self) -> None:
        if self.sent:
            return
        self.sent = True
        keys = sorted(self.keys)
        bump_counters = getattr(cache, "bump_counters", None)
        if bump_counters is not None:
            bump_counters(keys, _fresh_start())
            return
        for key in keys:
            try:
                cache.incr(key)
            except ValueError:  # not set yet (or evicted): any new value invalidates
                cache.add(key, _fresh_start(), timeout=None)
                cache.incr(key)


def _bump_on_commit(key: str) -> None:
    connection = transaction.get_connection()
    bumps = getattr(connection, "_content_bumps", None)
    if bumps is None or bumps.sent:
        # A transaction that rolled back leaves its (unsent) keys to the next
        # one's: moved for nothing, which is harmless (see _Bumps).
        bumps = connection._content_bumps = _Bumps()
    bumps.keys.add(key)
    # robust: the change is committed whatever happens here; a cache outage is
    # logged (pages then stay stale for at most PUBLIC_CACHE_SECONDS) instead of
    # turning a successful order into an error.
    transaction.on_commit(bumps.send, robust=True)


def versions(*scopes: str) -> str:
    """A short string of the current versions of ``scopes``, for cache keys."""
    keys = [_PREFIX + s for s in scopes]
    found = cache.get_many(keys)
    missing = [k for k in keys if k not in found]
    if missing:
        start = _fresh_start()
        for key in missing:
            cache.add(key, start, timeout=None)
        found.update(cache.get_many(missing))
    return ".".join(str(found.get(k, 0)) for k in keys)


# --- The anonymous page cache -------------------------------------------------

ALL = SCOPES
# First match wins. ``None``: never cached (private, per-user, or writes).
# Paths are matched without the /en/ or /zh-hant/ language prefix. Anything public that is
# not listed depends on every scope, which is always safe.
PATH_RULES: tuple[tuple[re.Pattern, tuple[str, ...] | None], ...] = tuple(
    (re.compile(pattern), scopes)
    for pattern, scopes in (
        (r"^/api/v1/cooperation/", ("cooperation", "organizations")),
        (
            r"^/api/v1/(products|centres|categories|producers|vendors)(/|$)",
            ("marketplace", "organizations"),
        ),
        (r"^/api/v1/(routes|departures|attractions)(/|$)", ALL),
        (r"^/api/v1/trace/", ("marketplace", "organizations")),  # a lot's public trace
        (r"^/api/(v1/|docs)", None),  # auth, orders, bookings, me: private or writes
        (r"^/api/octo/", None),  # resellers' own, every answer behind a key
        (r"^/api/schema/$", ()),
        (r"^/(admin|vendor|media|static|healthz|bench)(/|$)", None),
        (r"^/(account|cart|checkout|orders|bookings|bulk|i18n)(/|$)", None),
        # Any text can be searched for: caching each query would let anyone fill
        # the cache, and dropping ``q`` (as for unknown parameters) would empty the page.
        (r"^/search/", None),
        (r"^/tours/(bookings|waitlist)/|/book/$", None),
        # The open data (cooperation.datasets, cooperation.iati) is the programme's,
        # but for the impact roll-up, which counts sales and bookings (and the
        # data package, which dates every resource).
        (
            r"^/cooperation/data/(impact\.(csv|json)|datapackage\.json)$",
            ("cooperation", "organizations", "sales", "tours"),
        ),
        (r"^/cooperation/(data/|iati\.xml$)", ("cooperation", "organizations")),
        # The dashboard shows the live sales figures beside the programme's.
        # The dashboard shows the live sales figures beside the programme's, and
        # the impact roll-up counts the tours' bookings.
        (r"^/cooperation/", ("cooperation", "organizations", "sales", "tours")),
        (r"^/(products|centres|producers|categories)(/|$)", ("marketplace", "organizations")),
        (r"^/01/", ("marketplace", "organizations")),  # a lot's trace page (core.gs1)
        (r"^/", ALL),
    )
)
_LANGUAGE_PREFIX = re.compile(r"^/(en|zh-hant)(?=/)")

# The query parameters each cached page reads (first match, on the path
# without its language prefix); every other parameter is dropped from the
# request before the view runs, so `?x=1`, `?x=2`... are all the page without
# them: one cache entry, not one per made-up parameter, and the page (its
# pagination links included) is exactly the one cached. A page that starts
# reading a new parameter must be listed here (tests/config/test_cache_query.py
# checks the filter forms and the API filter sets against this table).
_API = ("format", "page", "page_size")  # DRF's renderer override and pagination
_TOURS = ("q", "district", "duration", "date_from", "date_to")
QUERY_RULES: tuple[tuple[re.Pattern, frozenset[str]], ...] = tuple(
    (re.compile(pattern), frozenset(names))
    for pattern, names in (
        (
            r"^/api/v1/products/$",
            (*_API, "category", "vendor", "centre", "in_stock", "in_season", "q"),
        ),
        (r"^/api/v1/cooperation/projects/$", (*_API, "field", "status", "agreement", "area", "q")),
        (r"^/api/v1/cooperation/pairings/$", (*_API, "kind")),
        (r"^/api/v1/cooperation/figures/$", (*_API, "topic", "is_headline", "is_reported")),
        (r"^/api/v1/routes/$", (*_API, *_TOURS)),
        (r"^/api/v1/departures/$", (*_API, "route", "date_from", "date_to")),
        (r"^/api/v1/", _API),
        (r"^/api/schema/$", ("format", "lang", "version")),
        (
            r"^/products/$",
            ("q", "category", "producer", "centre", "in_stock", "in_season", "sort", "page"),
        ),
        (r"^/tours/$", (*_TOURS, "page")),
        (r"^/cooperation/projects/$", ("q", "field", "status", "agreement", "area", "page")),
        (r"^/cooperation/pairings/$", ("kind", "page")),
        # A lot's trace page reads only the language; GS1's own parameters
        # (linkType, ...) are dropped.
        (r"^/01/", ("lang",)),
        (r"^/", ()),
    )
)


def allowed_query(path: str) -> frozenset[str]:
    """The query parameters the cached page at ``path`` reads."""
    bare = _LANGUAGE_PREFIX.sub("", path)
    for pattern, names in QUERY_RULES:
        if pattern.search(bare):
            return names
    return frozenset()


def normalised_query(path: str, query: QueryDict) -> str:
    """``query`` with only the parameters the page reads, sorted by name (each
    name's values in their order, a repeated name=value pair once)."""
    allowed = allowed_query(path)
    kept = QueryDict(mutable=True)
    for name in sorted(set(query) & allowed):
        # A repeated pair once, keeping the last (what QueryDict.get reads).
        values = list(dict.fromkeys(reversed(query.getlist(name))))[::-1]
        kept.setlist(name, values)
    return kept.urlencode()


def scopes_for_path(path: str) -> tuple[str, ...] | None:
    """The content scopes a public URL depends on, or None if it is never cached."""
    bare = _LANGUAGE_PREFIX.sub("", path)
    for pattern, scopes in PATH_RULES:
        if pattern.search(bare):
            return scopes
    return None


def page_key(request, language: str) -> str:
    """Everything a cached answer may differ by but its content versions:
    scheme and host (absolute links in API pages), path and query (already
    reduced to the parameters the page reads, see ``normalised_query``), language,
    and the negotiated format (the API's JSON vs. its browsable HTML)."""
    parts = "\n".join(
        (
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            language,
            request.headers.get("Accept", "") if request.path.startswith("/api/") else "",
        )
    )
    return "page:" + hashlib.blake2b(parts.encode(), digest_size=16).hexdigest()


def lookup(key: str, scopes: tuple[str, ...]) -> tuple[str, HttpResponse | None]:
    """(current versions of ``scopes``, the stored answer if it was made at
    exactly those versions), in one round trip to the cache.

    The versions are stored inside the entry rather than in its key, so the
    counters and the page come back in a single MGET: a cache hit costs one
    Redis call.
    """
    current, entry = lookup_entry(key, [_PREFIX + s for s in scopes])
    if entry is None:
        return current, None
    status, headers, content = entry
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return current, response


def scope_keys(scopes) -> list[str]:
    return [_PREFIX + s for s in scopes]


def lookup_entry(key: str, version_keys: list[str]):
    """(the current values of ``version_keys`` as one string, the payload stored
    under ``key`` if it was stored at exactly those values, else None), in one
    round trip to the cache when the counters exist."""
    found = cache.get_many([*version_keys, key])
    missing = [k for k in version_keys if k not in found]
    if missing:
        start = _fresh_start()
        for version_key in missing:
            cache.add(version_key, start, timeout=None)
        found.update(cache.get_many(missing))
    current = ".".join(str(found.get(k, 0)) for k in version_keys)
    entry = found.get(key)
    if entry is None or entry[0] != current:
        return current, None
    return current, entry[1:]


def remembered(key: str, *, version_keys: list[str], compute, seconds: int):
    """``compute()``'s value, kept under ``key`` at the current values of
    ``version_keys`` (any of them moving recomputes it) for ``seconds`` at
    most; computed every time with 0 or while the cache is down. A change
    committed while it is computed moves a version, so a stale value is
    never served."""
    if not seconds:
        return compute()
    try:
        current, entry = lookup_entry(key, version_keys)
    except Exception:
        logger.warning("cache unavailable", exc_info=True)
        return compute()
    if entry is not None:
        return entry[0]
    value = compute()
    try:
        cache.set(key, (current, value), seconds)
    except Exception:
        logger.warning("cache unavailable", exc_info=True)
    return value


# Headers a stored page keeps. Cookies are never stored (a response that sets
# one is not cached at all); per-request headers are added again on the way out.
_DROP_HEADERS = {"set-cookie", "content-length", "date"}


def store_response(key: str, current_versions: str, response) -> None:
    """Stores ``response`` as made at ``current_versions``, read before the
    view ran: if a change committed meanwhile, the entry is already outdated
    and the next reader renders afresh, so an old page is never served as new."""
    headers = [(k, v) for k, v in response.items() if k.lower() not in _DROP_HEADERS]
    cache.set(
        key,
        (current_versions, response.status_code, headers, response.content),
        settings.PUBLIC_CACHE_SECONDS,
    )


def etag_for(content: bytes) -> str:
    return f'"{hashlib.md5(content, usedforsecurity=False).hexdigest()}"'


def last_modified_now() -> str:
    return http_date(time.time())
