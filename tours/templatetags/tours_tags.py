from django import template
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _

from accounts.models import User
from core import qr
from tours import selectors
from tours.links import check_in_url

register = template.Library()


__all__ = ["check_in_url", "register"]


@register.simple_tag(takes_context=True)
def booking_qr(context: template.Context, code: str) -> str:
    """The booking's QR code as inline SVG (scales with CSS: a viewBox, no size),
    encoding ``check_in_url`` (the API's ``qr_text``); drawn by core.qr."""
    return qr.svg(
        check_in_url(code, context.get("request")),
        label=_("QR code of booking %(code)s") % {"code": code},
    )


@register.filter
def cover_image(route):
    """The route's picture for link previews: the first stop's first image
    (route_detail prefetches stops with their attractions' images), or None."""
    for stop in route.stops.all():
        for image in stop.attraction.images.all():
            return image
    return None


@register.simple_tag
def waiting_entries(user: User | AnonymousUser):
    """The visitor's live waitlist entries with their place in line (for /account/)."""
    entries = list(selectors.waitlist_for_customer(user=user, only_waiting=True))
    for entry in entries:  # a person waits for a handful of departures at most
        entry.position = selectors.waitlist_position(entry)
    return entries
