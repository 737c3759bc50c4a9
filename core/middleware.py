import logging
import time

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.middleware import locale as django_locale
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import split_directive_names

from core import cache as cache_lib

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
                    "ip": request.META.get("REMOTE_ADDR"),
                    "cache": getattr(request, "_page_cache", None),
                }
            },
        )
        return response


def client_ip(request) -> str | None:
    """The visitor's address behind ``settings.TRUSTED_PROXIES`` proxies.

    Each proxy appends the address it was reached from to X-Forwarded-For, so
    the entry that many places from the right is the one our outermost proxy
    saw; anything left of it was written by the client and is not trusted.
    The same rule as DRF's NUM_PROXIES, so axes and the API throttles agree.
    """
    trusted = getattr(settings, "TRUSTED_PROXIES", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if trusted and forwarded:
        addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
        if addresses:
            return addresses[-min(trusted, len(addresses))]
    return request.META.get("REMOTE_ADDR")


class LocaleMiddleware(django_locale.LocaleMiddleware):
    """The language comes from the URL: `/en/...` is English, anything else is
    Chinese, whatever the browser prefers (so `/` is always 简体中文 and a
    shared link shows the language it was shared in). The API, which has no
    language prefix, follows the client's Accept-Language header."""

    def process_request(self, request):
        if request.path_info.startswith("/api/"):
            language = translation.get_language_from_request(request, check_path=False)
        else:
            language = (
                translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
            )
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


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
            or len(request.META.get("QUERY_STRING", "")) > 512
        ):
            return None
        scopes = cache_lib.scopes_for_path(request.path_info)
        if scopes is None:
            return None
        try:
            key = cache_lib.page_key(request, getattr(request, "LANGUAGE_CODE", ""))
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
