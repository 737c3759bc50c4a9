import segno
from django import template
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from accounts.models import User
from tours import selectors

register = template.Library()


def check_in_url(code: str) -> str:
    """The operator's check-in page for ``code``: a staff member's phone camera
    opens it straight from the customer's QR code."""
    try:
        path = reverse("vendor:tours_booking_check_in")
    except NoReverseMatch:  # the vendor panel is not mounted
        return code
    return f"{settings.SITE_URL.rstrip('/')}{path}?code={code}"


@register.simple_tag
def booking_qr(code: str) -> str:
    """The booking's QR code as inline SVG (scales with CSS: a viewBox, no size)."""
    qr = segno.make(check_in_url(code), error="m")
    svg = qr.svg_inline(
        scale=4,
        omitsize=True,
        border=2,
        title=_("QR code of booking %(code)s") % {"code": code},
        svgclass="qr-code",
        light="#fff",
    )
    # segno writes only the modules and our own escaped title.
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))


@register.simple_tag
def waiting_entries(user: User | AnonymousUser):
    """The visitor's live waitlist entries with their place in line (for /account/)."""
    entries = list(selectors.waitlist_for_customer(user=user, only_waiting=True))
    for entry in entries:  # a person waits for a handful of departures at most
        entry.position = selectors.waitlist_position(entry)
    return entries
