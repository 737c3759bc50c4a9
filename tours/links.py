"""Links a booking hands out beyond the site's own pages."""

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from core.links import absolute_url


def check_in_url(code: str, request: HttpRequest | None = None) -> str:
    """What the booking's QR code encodes: the operator's check-in page for
    ``code``, which a staff member's phone camera opens straight from it
    (the code alone when the vendor panel is not mounted). The web page and
    the API (a mobile app draws its own QR code) give the same text."""
    try:
        path = reverse("vendor:tours_booking_check_in")
    except NoReverseMatch:
        return code
    return absolute_url(f"{path}?code={code}", request)
