import segno
from django import template
from django.contrib.auth.models import AnonymousUser
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from accounts.models import User
from tours import selectors
from tours.links import check_in_url

register = template.Library()


__all__ = ["check_in_url", "register"]


@register.simple_tag(takes_context=True)
def booking_qr(context: template.Context, code: str) -> str:
    """The booking's QR code as inline SVG (scales with CSS: a viewBox, no size),
    encoding ``check_in_url`` (the API's ``qr_text``)."""
    qr = segno.make(check_in_url(code, context.get("request")), error="m")
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
