import functools
import ipaddress
import logging
import time

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import QueryDict
from django.middleware import locale as django_locale
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import split_directive_names

from core import cache as cache_lib
from core import gs1

logger = logging.getLogger("dh.request")


class RequestLogMiddleware:
    """Logs each request as one structured line with its duration."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        if not logger.isEnabledFor(logging.INFO):
            return response
        user = getattr(request, "user", None)
        logger.info(
            "request",
            extra={
                "fields": {
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    "user": user.pk if user is not None and user.is_authenticated else None,
                    "ip": client_ip(request),
                    "cache": getattr(request, "_page_cache", None),
                }
            },
        )
        return response


def _address(value: str | None) -> str | None:
    """``value`` as a normalised IP address, or None when it isn't one."""
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


@functools.lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def from_trusted_proxy(request) -> bool:
    """Whether the request came through the proxies configured in front.

    Never with ``TRUSTED_PROXIES = 0``; with TRUSTED_PROXY_ADDRESSES set, only
    when the direct peer (REMOTE_ADDR) is one of those addresses or networks.
    """
    if not getattr(settings, "TRUSTED_PROXIES", 0):
        return False
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXY_ADDRESSES", ())))
    if not networks:
        return True
    peer = _address(request.META.get("REMOTE_ADDR"))
    return peer is not None and any(ipaddress.ip_address(peer) in net for net in networks)


def client_ip(request) -> str | None:
    """The visitor's address: the one function that decides it, for sign-in
    lock-outs (AXES_CLIENT_IP_CALLABLE), every API throttle
    (core.api.throttling) and the request log.

    Without proxies (``TRUSTED_PROXIES = 0``, the default) it is REMOTE_ADDR
    and X-Forwarded-For is ignored: any client can write that header. Behind
    ``TRUSTED_PROXIES`` proxies (and, when TRUSTED_PROXY_ADDRESSES is set, only
    for requests that really come from one of them), each proxy appends the
    address it was reached from, so the entry that many places from the right
    is the one our outermost proxy saw; anything left of it was written by the
    client and is not trusted. An entry that is not an IP address is ignored.
    """
    remote = request.META.get("REMOTE_ADDR")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and from_trusted_proxy(request):
        trusted = settings.TRUSTED_PROXIES
        addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
        if addresses:
            found = _address(addresses[-min(trusted, len(addresses))])
            if found is not None:
                return found
    return remote


class ProxyHeadersMiddleware:
    """Drops ``X-Forwarded-Proto`` unless the request came from a trusted proxy,
    so SECURE_PROXY_SSL_HEADER (production) only believes the proxy, never a
    client that talks to the app server directly. Must run first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "HTTP_X_FORWARDED_PROTO" in request.META and not from_trusted_proxy(request):
            del request.META["HTTP_X_FORWARDED_PROTO"]
        return self.get_response(request)


STAFF_SITES = ("/admin/", "/vendor/")


class LocaleMiddleware(django_locale.LocaleMiddleware):
    """The language comes from the URL: `/en/...` is English, `/zh-hant/...`
    Traditional Chinese, anything else Simplified Chinese, whatever the browser
    prefers (so `/` is always 简体中文 and a shared link shows the language it
    was shared in). The API, which has no language prefix, follows the
    client's Accept-Language header (zh-Hant, zh-TW, zh-HK and zh-MO give
    Traditional Chinese). The staff sites (/admin/, /vendor/), personal and
    never shared as links, are in Chinese: Traditional when the browser (or
    the language cookie) prefers it, Simplified otherwise.

    A browser that prefers Traditional Chinese on an unprefixed (Simplified)
    page gets ``request.language_suggestion = "zh-hant"``: base.html offers a
    link to the Traditional page. The page cache keys on it (``cache_language``)
    and Django's LocaleMiddleware already answers unprefixed pages with
    ``Vary: Accept-Language``."""

    def process_request(self, request):
        request.language_suggestion = None
        if request.path_info.startswith("/api/"):
            language = translation.get_language_from_request(request, check_path=False)
        elif gs1.is_resolver_path(request.path_info):
            # A lot's QR code (GS1 Digital Link) is scanned by anyone: its
            # unprefixed page follows ?lang=, then the language cookie and
            # the browser (Django's LocaleMiddleware adds Vary: Accept-Language).
            chosen = request.GET.get("lang", "")
            language = (
                chosen
                if chosen in dict(settings.LANGUAGES)
                else translation.get_language_from_request(request, check_path=False)
            )
        elif request.path_info.startswith(STAFF_SITES):
            preferred = translation.get_language_from_request(request, check_path=False)
            language = "zh-hant" if preferred == "zh-hant" else settings.LANGUAGE_CODE
        else:
            language = translation.get_language_from_path(request.path_info)
            if language is None:
                language = settings.LANGUAGE_CODE
                preferred = translation.get_language_from_request(request, check_path=False)
                if preferred == "zh-hant":
                    request.language_suggestion = preferred
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


def cache_language(request) -> str:
    """What a cached page may differ by in language: the page's language, and
    the language base.html suggests to this browser."""
    language = getattr(request, "LANGUAGE_CODE", "")
    suggestion = getattr(request, "language_suggestion", None)
    return f"{language}>{suggestion}" if suggestion else language


class PublicCacheMiddleware:
    """Caches whole GET answers for anonymous visitors, pages and API lists.

    A request is served from the cache only when it carries nothing personal:
    no session or messages cookie and no Authorization header. Each entry
    records the content versions of the scopes its URL depends on
    (``core.cache``) as they were *before* the view ran, and is served only
    while they are still current: a change committed while a page was being
    rendered makes that page outdated at once. One cache round trip a hit.

    An answer is stored only when it is a plain 200 that sets no cookie (so no
    CSRF token and no message is ever shared), says nothing against caching,
    and did not use the CSP nonce (Django adds ``'nonce-…'`` to the policy only
    when a template asked for it, so pages without inline scripts keep one
    stable header). Stored answers carry an ETag and Last-Modified, so the
    conditional GET middleware outside this one answers 304 when it can.

    Entries also expire after PUBLIC_CACHE_SECONDS, which bounds what a bump
    cannot see: figures that change with the clock alone (an uncollected order
    or an unconfirmed waitlist hold expiring).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found = self._lookup(request)
        if found is None:
            return self.get_response(request)
        key, current, cached = found
        if cached is not None:
            request._page_cache = "hit"
            if request.method == "HEAD":
                cached.content = b""
            return cached

        request._page_cache = "miss"
        response = self.get_response(request)
        if self._storable(request, response):
            response["ETag"] = cache_lib.etag_for(response.content)
            response.setdefault("Last-Modified", cache_lib.last_modified_now())
            # Browsers and proxies must ask again every time (a changed price is
            # visible at once); the ETag makes that a cheap 304.
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
            try:
                cache_lib.store_response(key, current, response)
            except Exception:
                logger.warning("page cache unavailable", exc_info=True)
        return response

    def _lookup(self, request):
        """(key, current versions, stored answer or None), or None when this
        request is not one the cache serves."""
        if request.method not in ("GET", "HEAD") or not settings.PUBLIC_CACHE_SECONDS:
            return None
        cookies = request.COOKIES
        if (
            settings.SESSION_COOKIE_NAME in cookies
            or "messages" in cookies
            or "HTTP_AUTHORIZATION" in request.META
        ):
            return None
        scopes = cache_lib.scopes_for_path(request.path_info)
        if scopes is None:
            return None
        # Only the parameters the page reads, sorted: made-up ones neither make
        # a new entry nor reach the view (see core.cache.QUERY_RULES).
        query = cache_lib.normalised_query(request.path_info, request.GET)
        if len(query) > 512:
            return None
        if query != request.META.get("QUERY_STRING", ""):
            request.META["QUERY_STRING"] = query
            request.GET = QueryDict(query)
        try:
            key = cache_lib.page_key(request, cache_language(request))
        except DisallowedHost:
            return None  # CommonMiddleware answers 400 for it
        try:
            return (key, *cache_lib.lookup(key, scopes))
        except Exception:  # a cache outage must not take the site down
            logger.warning("page cache unavailable", exc_info=True)
            request._page_cache = "error"
            return None

    @staticmethod
    def _storable(request, response) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if getattr(request, "_csp_nonce", None):  # the nonce was used: unique page
            return False
        directives = set(split_directive_names(response.get("Cache-Control", "")))
        if directives & {"private", "no-store", "no-cache"}:
            return False
        user = getattr(request, "user", None)
        # DRF authenticates inside the view; its request.user is not this one,
        # but a request with credentials never gets here (see _key).
        return not (user is not None and user.is_authenticated)


class PrivateCacheMiddleware:
    """Marks every answer to a signed-in user, or to a request that carries
    credentials, ``Cache-Control: private, no-cache``: a shared cache (a proxy,
    a CDN) must never keep a personal page and hand it to someone else, and
    the browser revalidates it (the ETag makes that a 304). ``private`` also
    replaces any ``public`` a view set. It varies on what identified the user:
    ``Cookie`` for a session, ``Authorization`` for an API token (set also when
    the token was refused, so no cache reuses that answer for another client).

    Sits between the page cache and the session middleware: the page cache
    never serves or stores such requests anyway, and asking for ``request.user``
    here, after the session middleware has answered, adds nothing to it.
    Uploaded images (MEDIA_URL) are the same for everyone and keep theirs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        has_credentials = "HTTP_AUTHORIZATION" in request.META
        # DRF puts the user its authentication found on the Django request too.
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if not (has_credentials or signed_in) or request.path.startswith(settings.MEDIA_URL):
            return response
        directives = set(split_directive_names(response.get("Cache-Control", "")))
        if directives & {"no-cache", "no-store"}:
            patch_cache_control(response, private=True)
        else:
            patch_cache_control(response, private=True, no_cache=True)
        vary = []
        if has_credentials:
            vary.append("Authorization")
        if signed_in:
            vary.append("Cookie")
        patch_vary_headers(response, vary)
        return response
