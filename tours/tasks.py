"""E-mails to customers in the shape of ``core.mail``: queued by the services
with ``send_on_commit`` (keyword arguments, primary keys, never objects, so
any worker can run them), subject and body rendered from templates in the
language the customer booked in."""

from django.tasks import task
from django.urls import reverse

from core.links import absolute_url
from core.mail import not_sent, send

from .models import Booking, WaitlistEntry

# Each kind has its subject, tours/email/booking_<kind>_subject.txt.
BOOKING_KINDS = ("confirmed", "offer", "lapsed", "cancelled", "departure_cancelled", "rescheduled")
WAITLIST_KINDS = ("departure_cancelled",)


@task
def send_booking_email(*, booking_id: int, kind: str) -> bool:
    booking = (
        Booking.objects.select_related("customer", "departure__route").filter(pk=booking_id).first()
    )
    if booking is None or kind not in BOOKING_KINDS or not booking.customer.email:
        return not_sent("booking", booking=booking_id, kind=kind)
    return send(
        subject=f"tours/email/booking_{kind}_subject.txt",
        body="tours/email/booking.txt",
        context=lambda: {
            "booking": booking,
            "departure": booking.departure,
            "route": booking.departure.route,
            "kind": kind,
            "booking_url": absolute_url(reverse("tours:booking", kwargs={"code": booking.code})),
            "route_url": absolute_url(booking.departure.route.get_absolute_url()),
        },
        to=[booking.customer.email],
        language=booking.language,
    )


@task
def send_waitlist_email(*, entry_id: int, kind: str) -> bool:
    entry = (
        WaitlistEntry.objects.select_related("customer", "departure__route")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None or kind not in WAITLIST_KINDS or not entry.customer.email:
        return not_sent("waitlist", entry=entry_id, kind=kind)
    return send(
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
