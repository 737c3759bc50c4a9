"""The cart count in every page's header.

The anonymous page cache (``core.middleware.PublicCacheMiddleware``) serves and
stores pages only for requests *without* a session cookie, and a cart lives in
the session: a visitor with a cart always gets a page rendered for them, with
their own count, and never a stored one. A visitor without a session cookie has
no cart, so the count is 0 without reading any session (no query, no
``Vary: Cookie``), and their pages stay cacheable and identical for everyone.
"""

from django.conf import settings

from .cart import Cart


def cart(request) -> dict:
    if settings.SESSION_COOKIE_NAME not in request.COOKIES or not hasattr(request, "session"):
        return {"cart_units": 0}
    return {"cart_units": Cart(request.session).units()}
