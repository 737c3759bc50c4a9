"""E-mails to customers, queued by the services on commit (Django's tasks
framework) and sent in the language the customer booked in. Tasks receive
primary keys, never objects, so any worker can run them."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import Booking, WaitlistEntry

logger = logging.getLogger(__name__)

BOOKING_SUBJECTS = {
    "confirmed": _("Your booking %(code)s is confirmed"),
    "offer": _("Seats are free for you: confirm booking %(code)s"),
    "lapsed": _("The seats offered to you (%(code)s) have gone to the next person"),
    "cancelled": _("Your booking %(code)s was cancelled"),
    "departure_cancelled": _("Departure cancelled: your booking %(code)s"),
}
WAITLIST_SUBJECTS = {
    "departure_cancelled": _("Departure cancelled: %(route)s on %(date)s"),
}


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@task
def send_booking_email(*, booking_id: int, kind: str) -> bool:
    booking = (
        Booking.objects.select_related("customer", "departure__route").filter(pk=booking_id).first()
    )
    if booking is None or kind not in BOOKING_SUBJECTS or not booking.customer.email:
        logger.warning(
            "booking e-mail not sent", extra={"fields": {"booking": booking_id, "kind": kind}}
        )
        return False
    with translation.override(booking.language):
        context = {
            "booking": booking,
            "departure": booking.departure,
            "route": booking.departure.route,
            "kind": kind,
            "booking_url": _absolute(reverse("tours:booking", kwargs={"code": booking.code})),
            "route_url": _absolute(booking.departure.route.get_absolute_url()),
        }
        subject = str(BOOKING_SUBJECTS[kind]) % {"code": booking.code}
        body = render_to_string("tours/email/booking.txt", context)
    send_mail(subject, body, None, [booking.customer.email])
    return True


@task
def send_waitlist_email(*, entry_id: int, kind: str) -> bool:
    entry = (
        WaitlistEntry.objects.select_related("customer", "departure__route")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None or kind not in WAITLIST_SUBJECTS or not entry.customer.email:
        logger.warning(
            "waitlist e-mail not sent", extra={"fields": {"entry": entry_id, "kind": kind}}
        )
        return False
    with translation.override(entry.language):
        departure = entry.departure
        context = {
            "entry": entry,
            "departure": departure,
            "route": departure.route,
            "kind": kind,
            "route_url": _absolute(departure.route.get_absolute_url()),
        }
        subject = str(WAITLIST_SUBJECTS[kind]) % {
            "route": departure.route.title,
            "date": departure.date,
        }
        body = render_to_string("tours/email/waitlist.txt", context)
    send_mail(subject, body, None, [entry.customer.email])
    return True
