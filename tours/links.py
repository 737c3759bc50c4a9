"""Links a booking hands out beyond the site's own pages."""

from django.core import signing
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.crypto import constant_time_compare

from core.links import absolute_url

# The calendar link's signature is good for one booking code and nothing else
# (and, salted, is no signature any other part of the site would accept).
CALENDAR_SALT = "tours.booking-calendar"


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


def calendar_signature(code: str) -> str:
    return signing.Signer(salt=CALENDAR_SALT).signature(code)


def calendar_signature_ok(code: str, signature: str) -> bool:
    return constant_time_compare(signature, calendar_signature(code))


def calendar_url(code: str, request: HttpRequest | None = None) -> str:
    """The booking's .ics file behind a signature for this booking alone, so a
    phone's calendar app (which sends no credentials) can fetch or subscribe
    to it. Whoever has the link reads the booking's calendar entry (route,
    date, seats, meeting point) and nothing else; the plain ``.ics`` URL takes
    a session or an API token in the ``Authorization`` header instead."""
    path = reverse("tours:booking_ics", kwargs={"code": code})
    return absolute_url(f"{path}?sig={calendar_signature(code)}", request)
