"""Notices to customers in the shape of ``core.mail``: queued by the services
with ``send_on_commit`` (keyword arguments, primary keys, never objects, so
any worker can run them), written in the language the customer booked in: an
e-mail (subject and body from templates), and a one-segment text message
(core.sms) to the booking's contact phone when the customer has no e-mail
address, or when the news cannot wait (seats held until a deadline, a
cancelled departure)."""

from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core import sms
from core.links import absolute_url
from core.mail import not_sent, send

from .models import Booking, WaitlistEntry

# Each kind has its subject, tours/email/booking_<kind>_subject.txt.
BOOKING_KINDS = ("confirmed", "offer", "lapsed", "cancelled", "departure_cancelled", "rescheduled")
WAITLIST_KINDS = ("departure_cancelled",)
# At most 70 characters in Chinese with a usual route name. Template providers:
# SMS_TEMPLATES booking_<kind>=CODE, variables ${code}, ${route}, ${date}, ${deadline}.
BOOKING_SMS = {
    "confirmed": _("Booking %(code)s confirmed: %(route)s, %(date)s."),
    "offer": _("Seats free on %(route)s, %(date)s: confirm booking %(code)s by %(deadline)s."),
    "lapsed": _("The seats held for booking %(code)s were released."),
    "cancelled": _("Booking %(code)s is cancelled."),
    "departure_cancelled": _(
        "The %(date)s departure of %(route)s is cancelled, and booking %(code)s with it."
    ),
    "rescheduled": _("Booking %(code)s now departs %(date)s."),
}
WAITLIST_SMS = {
    "departure_cancelled": _(
        "The %(date)s departure of %(route)s is cancelled: you are off its waitlist."
    ),
}
URGENT_KINDS = ("offer", "departure_cancelled")


def _sms_params(request, **extra) -> dict[str, str]:
    departure = request.departure
    return {
        "route": departure.route.title,
        "date": f"{departure.date:%m-%d} {departure.start_time:%H:%M}",
        **extra,
    }


@task
def send_booking_email(*, booking_id: int, kind: str) -> bool:
    booking = (
        Booking.objects.select_related("customer", "departure__route").filter(pk=booking_id).first()
    )
    if booking is None or kind not in BOOKING_KINDS:
        return not_sent("booking", booking=booking_id, kind=kind)
    ways = sms.channels(
        email=booking.customer.email,
        phone=booking.contact_phone or booking.customer.phone,
        urgent=kind in URGENT_KINDS,
    )
    if not ways:
        return not_sent("booking", booking=booking_id, kind=kind, reason="no e-mail or mobile")
    sent = False
    if "email" in ways:
        sent |= send(
            subject=f"tours/email/booking_{kind}_subject.txt",
            body="tours/email/booking.txt",
            context=lambda: {
                "booking": booking,
                "departure": booking.departure,
                "route": booking.departure.route,
                "kind": kind,
                "booking_url": absolute_url(
                    reverse("tours:booking", kwargs={"code": booking.code})
                ),
                "route_url": absolute_url(booking.departure.route.get_absolute_url()),
            },
            to=[booking.customer.email],
            language=booking.language,
        )
    if "sms" in ways:
        # the route's title in the customer's language
        with translation.override(booking.language):
            params = _sms_params(booking, code=booking.code)
        if booking.hold_expires_at:
            params["deadline"] = f"{timezone.localtime(booking.hold_expires_at):%m-%d %H:%M}"
        sent |= sms.send(
            text=BOOKING_SMS[kind],
            params=params,
            to=booking.contact_phone or booking.customer.phone,
            language=booking.language,
            kind=f"booking_{kind}",
        )
    return sent


@task
def send_waitlist_email(*, entry_id: int, kind: str) -> bool:
    entry = (
        WaitlistEntry.objects.select_related("customer", "departure__route")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None or kind not in WAITLIST_KINDS:
        return not_sent("waitlist", entry=entry_id, kind=kind)
    phone = entry.contact_phone or entry.customer.phone
    ways = sms.channels(email=entry.customer.email, phone=phone, urgent=kind in URGENT_KINDS)
    if not ways:
        return not_sent("waitlist", entry=entry_id, kind=kind, reason="no e-mail or mobile")
    sent = False
    if "email" in ways:
        sent |= send(
            subject=f"tours/email/waitlist_{kind}_subject.txt",
            body="tours/email/waitlist.txt",
            context=lambda: {
                "entry": entry,
                "departure": entry.departure,
                "route": entry.departure.route,
                "kind": kind,
                "route_url": absolute_url(entry.departure.route.get_absolute_url()),
            },
            to=[entry.customer.email],
            language=entry.language,
        )
    if "sms" in ways:
        with translation.override(entry.language):
            params = _sms_params(entry)
        sent |= sms.send(
            text=WAITLIST_SMS[kind],
            params=params,
            to=phone,
            language=entry.language,
            kind=f"waitlist_{kind}",
        )
    return sent
