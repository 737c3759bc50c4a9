"""The one rule for where a ``next`` parameter may send the visitor.

Every view that redirects to a posted or query ``next`` goes through
``safe_next`` (registration, sign-in and sign-out, the cart, order and booking
forms). Only a path on this site is followed: it starts with a single "/"
(not "//" nor "/\\", which browsers read as another host), holds no control
characters, and passes Django's ``url_has_allowed_host_and_scheme`` for this
host (HTTPS required when the request is). Anything else is ignored and the
fallback is used, never an error.
"""

import unicodedata

from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def is_safe_next(request, target: str | None) -> bool:
    if not target or not isinstance(target, str) or len(target) > 2000:
        return False
    if not target.startswith("/") or target.startswith(("//", "/\\")):
        return False
    if any(unicodedata.category(ch)[0] == "C" for ch in target):
        return False
    return url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def safe_next(request, fallback: str = "", *, field: str = "next") -> str:
    """The request's ``next`` (POST first, then the query) when it is a safe
    local path, else ``fallback`` (a URL, or a URL name resolved with
    ``resolve_url``; "" stays "")."""
    for source in (request.POST, request.GET):
        target = source.get(field)
        if target:
            if is_safe_next(request, target):
                return target
            break
    return resolve_url(fallback) if fallback else ""
