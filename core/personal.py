"""Cached pages for people with a session: the signed-in visitor's own pages
(``personal_page``), and the public pages they browse (``SessionPageCacheMiddleware``).

The anonymous page cache (``core.middleware.PublicCacheMiddleware``) serves
nobody who has a session, since a page made for one visitor carries their
CSRF token, their cart count and their name. Here a page is rendered *with
holes* where the per-response parts go (``csrf_token``, fresh form tokens:
the context processor ``holes`` puts a marker in their place), stored, and
every answer, the first included, is the stored page with the holes filled
for this request: a new masked CSRF token (so the CSRF cookie is set as
usual) and new one-time form tokens. What else a page may differ by is in its
key or its versions:

* a public page (a path ``core.cache.PATH_RULES`` caches) keys on what the
  header shows (signed in or not, the cart's unit count) and on the same
  content versions as the anonymous entry: one entry for every visitor with
  the same header;
* a personal page (``/account/``, ``/cart/``) keys on its owner or on the
  cart's content, and on version counters the apps bump when a row the page
  shows changes (``core.cache.bump_item``: the person's orders and bookings,
  a counter's orders, a departure's bookings);
* what changes with the clock alone (an order's pickup deadline passing, a
  hold expiring) bounds the entry: the view says until when it is right
  (``valid_until``), and no entry outlives PERSONAL_CACHE_SECONDS.

A request with a message waiting (a "Reserved." after checkout) is never
served from here or stored: messages are shown once.
"""

import functools
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable, Iterable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.utils.http import split_directive_names
from django.utils.module_loading import import_string

from . import cache as cache_lib


def _marker(name: str) -> str:
    # Unguessable, so no text a vendor writes can turn into a token when filled.
    digest = hmac.new(settings.SECRET_KEY.encode(), name.encode(), hashlib.sha256).hexdigest()
    return f"hole{digest[:24]}"


_MARKERS: dict[str, str] = {}


def marker(name: str) -> str:
    found = _MARKERS.get(name)
    if found is None:
        found = _MARKERS[name] = _marker(name)
    return found


def holes(request) -> dict:
    """Context processor: the markers in place of the per-response values
    while a page is rendered for the cache."""
    if getattr(request, "_personal_holes", False):
        return {"csrf_token": marker("csrf")}
    return {}


def fresh_token(request) -> str:
    """A one-time form token (the checkout's idempotency key): a new one in
    every answer, a cached page included."""
    if getattr(request, "_personal_holes", False):
        return marker("token")
    return secrets.token_urlsafe(16)


def csrf_value(request) -> str:
    """The CSRF token for a value outside a template (a JSON answer)."""
    if getattr(request, "_personal_holes", False):
        return marker("csrf")
    return get_token(request)


def version_keys(*, items: Iterable[tuple[str, int]] = (), scopes: Iterable[str] = ()) -> list[str]:
    """The cache keys of these content scopes and item counters, for ``serve``."""
    return cache_lib.scope_keys(scopes) + [cache_lib.item_key(kind, pk) for kind, pk in items]


def valid_until(request, moment) -> None:
    """The page being rendered is right only until ``moment`` (a datetime or
    None): its cache entry expires then."""
    if moment is None or not getattr(request, "_personal_holes", False):
        return
    stamp = moment.timestamp()
    request._personal_until = min(getattr(request, "_personal_until", stamp), stamp)


def has_messages(request) -> bool:
    if "messages" in request.COOKIES:
        return True
    session = getattr(request, "session", None)
    return bool(session is not None and session.get("_messages"))


def _fill(request, content: bytes) -> bytes:
    csrf = marker("csrf").encode()
    if csrf in content:
        content = content.replace(csrf, get_token(request).encode())
    token = marker("token").encode()
    if token in content:
        parts = content.split(token)
        content = parts[0] + b"".join(
            secrets.token_urlsafe(16).encode() + part for part in parts[1:]
        )
    return content


_DROP_HEADERS = {"set-cookie", "content-length", "date", "etag", "last-modified"}


def _storable(request, response, *, honour_no_store: bool) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if getattr(request, "_csp_nonce", None):  # an inline script's nonce: unique page
        return False
    if not honour_no_store:
        return True
    directives = set(split_directive_names(response.get("Cache-Control", "")))
    return not directives & {"private", "no-store", "no-cache"}


def serve(
    request,
    *,
    key_parts: Iterable,
    version_keys: list[str],
    render: Callable,
    honour_no_store: bool = False,
    seconds: int | None = None,
):
    """The cached page for ``key_parts`` at the current ``version_keys``, or
    ``render()`` with holes, stored; either way with the holes filled. A
    personal page's own ``no-store`` is for the browser and is kept on every
    answer; a public page that says ``no-store`` is not kept
    (``honour_no_store``). An entry lasts ``seconds`` at most (default
    PERSONAL_CACHE_SECONDS)."""
    if seconds is None:
        seconds = settings.PERSONAL_CACHE_SECONDS
    parts = "\n".join(str(part) for part in key_parts)
    key = "personal:" + hashlib.blake2b(parts.encode(), digest_size=16).hexdigest()
    try:
        current, entry = cache_lib.lookup_entry(key, version_keys)
    except Exception:  # a cache outage must not take the page down
        cache_lib.logger.warning("personal page cache unavailable", exc_info=True)
        return render()
    now = time.time()
    if entry is not None and entry[0] > now:
        _, status, headers, content = entry
        request._page_cache = "hit"
        response = _response(status, headers, content)
    else:
        request._personal_holes = True
        try:
            response = render()
            if hasattr(response, "render") and callable(response.render):
                response.render()
        finally:
            request._personal_holes = False
        if not _storable(request, response, honour_no_store=honour_no_store):
            # Rendered with holes but not kept (an error page, a redirect): fill it.
            if not response.streaming:
                response.content = _fill(request, response.content)
            return response
        request._page_cache = "miss"
        until = min(getattr(request, "_personal_until", now + seconds), now + seconds)
        headers = [(k, v) for k, v in response.items() if k.lower() not in _DROP_HEADERS]
        if until > now:
            try:
                cache.set(
                    key,
                    (current, until, response.status_code, headers, response.content),
                    int(until - now) + 1,
                )
            except Exception:
                cache_lib.logger.warning("personal page cache unavailable", exc_info=True)
        response = _response(response.status_code, headers, response.content)
    if request.method == "HEAD":
        response.content = b""
    else:
        response.content = _fill(request, response.content)
    return response


def _response(status, headers, content):
    from django.http import HttpResponse

    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


def _language(request) -> str:
    return getattr(request, "LANGUAGE_CODE", "")


def cacheable_request(request, seconds: int) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and bool(seconds)
        and settings.SESSION_COOKIE_NAME in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and not has_messages(request)
    )


def personal_page(
    *,
    scopes: tuple[str, ...] = (),
    items: Callable | None = None,
    key: Callable | None = None,
    per_user: bool = True,
    public_seconds: bool = False,
) -> Callable:
    """Caches a page made for the visitor's session. ``per_user``: the
    signed-in visitor's own page, one entry each (anyone else's request
    renders as usual); otherwise the page is whatever ``key(request)`` says
    it differs by (the cart's content), for anyone with a session.
    ``items(request)`` lists the ``(kind, id)`` version counters it shows
    (default: the person's own); ``scopes`` the content scopes. A page that
    shows what anonymous pages show too (stock, opening hours) lasts no
    longer than they do (``public_seconds``: PUBLIC_CACHE_SECONDS)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            return cached_page(
                request,
                render=lambda: view(request, *args, **kwargs),
                items=(lambda: items(request)) if items else None,
                scopes=scopes,
                key=(lambda: key(request)) if key else "",
                per_user=per_user,
                public_seconds=public_seconds,
            )

        return wrapped

    return decorator


def cached_page(
    request,
    *,
    render: Callable,
    items: Callable[[], Iterable[tuple[str, int]]] | None = None,
    scopes: tuple[str, ...] = (),
    key: Callable[[], str] | str = "",
    per_user: bool = True,
    public_seconds: bool = False,
):
    """What ``personal_page`` does, for one answer of a view that must check
    access first: ``render()`` makes the page; ``items()`` (default: the
    person's own counter) and ``key()`` are asked only when the answer may
    come from the cache."""
    seconds = settings.PUBLIC_CACHE_SECONDS if public_seconds else settings.PERSONAL_CACHE_SECONDS
    user = getattr(request, "user", None)
    if (
        user is None
        or not cacheable_request(request, seconds)
        or (per_user and not user.is_authenticated)
    ):
        return render()
    watched = list(items()) if items else [("person", user.pk)] if per_user else []
    return serve(
        request,
        key_parts=(
            "page",
            user.pk if per_user else "",
            request.get_host(),
            request.get_full_path(),
            _language(request),
            user.is_authenticated,
            header_key(request),
            key() if callable(key) else key,
        ),
        version_keys=version_keys(items=watched, scopes=scopes),
        render=render,
        seconds=seconds,
    )


class SessionPageCacheMiddleware:
    """The public pages (those ``core.cache.PATH_RULES`` caches for anonymous
    visitors) for a visitor with a session: one entry per page, language and
    header (signed in or not, the cart's unit count), at the same content
    versions as the anonymous entry, with the CSRF token filled in per answer.

    Sits inside the session, authentication and message middleware (it reads
    the header's figures from them) and outside the views; the CSRF and CSP
    middleware are outside it, so a filled-in token sets the CSRF cookie as on
    any page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not cacheable_request(request, settings.PUBLIC_CACHE_SECONDS):
            return self.get_response(request)
        scopes = cache_lib.scopes_for_path(request.path_info)
        if scopes is None:
            return self.get_response(request)
        return serve(
            request,
            key_parts=(
                "public",
                cache_lib.page_key(request, _language(request)),
                request.user.is_authenticated,
                header_key(request),
            ),
            version_keys=cache_lib.scope_keys(scopes),
            render=lambda: self.get_response(request),
            honour_no_store=True,
            seconds=settings.PUBLIC_CACHE_SECONDS,
        )


@functools.cache
def _header_parts() -> tuple[Callable, ...]:
    return tuple(import_string(path) for path in settings.PERSONAL_PAGE_VARY)


def header_key(request) -> str:
    """What the header of a public page shows this visitor, beside whether
    they are signed in: the values of the context processors named in
    PERSONAL_PAGE_VARY (the cart's count), which the kernel doesn't know."""
    values = {}
    for processor in _header_parts():
        values.update(processor(request))
    return repr(sorted(values.items()))


def cached_data(
    request,
    *,
    user_id: int,
    key_parts: Iterable,
    compute: Callable,
    items: Iterable[tuple[str, int]] | None = None,
    scopes: tuple[str, ...] = (),
):
    """An API answer's data for one user, cached like their pages: at the
    version counters of ``items`` (default: the person's own) and
    ``scopes``, for PERSONAL_CACHE_SECONDS at most and no longer than the
    moment ``compute()`` returns beside its data (``(data, valid until or
    None)``). The data is kept as plain JSON types, so the answer is
    rendered in whatever format the client negotiates."""
    import json

    from rest_framework.utils.encoders import JSONEncoder

    seconds = settings.PERSONAL_CACHE_SECONDS
    request = getattr(request, "_request", request)  # DRF's wraps Django's
    if not seconds or request.method not in ("GET", "HEAD"):
        return compute()[0]
    parts = "\n".join(str(part) for part in ("api", user_id, *key_parts))
    key = "personal:" + hashlib.blake2b(parts.encode(), digest_size=16).hexdigest()
    try:
        watched = [("person", user_id)] if items is None else list(items)
        current, entry = cache_lib.lookup_entry(key, version_keys(items=watched, scopes=scopes))
    except Exception:
        cache_lib.logger.warning("personal page cache unavailable", exc_info=True)
        return compute()[0]
    now = time.time()
    if entry is not None and entry[0] > now:
        request._page_cache = "hit"
        return entry[1]
    data, moment = compute()
    plain = json.loads(json.dumps(data, cls=JSONEncoder))
    until = now + seconds if moment is None else min(moment.timestamp(), now + seconds)
    if until > now:
        request._page_cache = "miss"
        try:
            cache.set(key, (current, until, plain), int(until - now) + 1)
        except Exception:
            cache_lib.logger.warning("personal page cache unavailable", exc_info=True)
    return plain
