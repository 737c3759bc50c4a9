"""What operators and district staff do to a departure: save it (a larger
capacity is offered to the waitlist), close or reopen booking, or cancel it
with every booking on it."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from core.cache import bump
from core.errors import DomainError
from core.transitions import Actor

from .. import errors, selectors
from ..models import Booking, Departure, WaitlistEntry
from .bookings import cancel_produce_on_the_way
from .common import lock_departure, notify_booking, notify_entry
from .transitions import (
    D,
    S,
    W,
    booking_transition,
    departure_transition,
    entry_transition,
    log_event,
)
from .waitlist import offer_to_waitlist, tidy_and_offer


def departure_save(*, departure: Departure, by: User | None = None) -> Departure:
    """Saves a departure edited by an operator or staff (the admin forms).

    The capacity can't drop below the seats booked; a larger capacity is
    offered to the waitlist. The status only changes through
    ``departure_set_status`` / ``departure_cancel``.
    """
    with transaction.atomic():
        now = timezone.now()
        if departure.pk is None:
            departure.status = D.SCHEDULED
            departure.save()
            log_event(
                departure_id=departure.pk,
                by=by,
                to_status=departure.status,
                reason=gettext_noop("departure created"),
            )
        else:
            current = lock_departure(departure.pk)
            taken = selectors.seats_taken(departure=current, now=now)
            if departure.capacity < taken:
                raise errors.CapacityBelowBooked(
                    _("The capacity cannot be lower than the %(taken)s seats already booked.")
                    % {"taken": taken}
                )
            departure.status = current.status
            departure.save()
            offer_to_waitlist(departure, now)
        bump("tours")
    return departure


def departure_set_status(
    *, departure: Departure, status: str, by: User | None, reason: str = ""
) -> Departure:
    """Closes a departure for booking or opens it again (cancelling has its
    own function, as it cancels the bookings too)."""
    if status == D.CANCELLED:
        departure_cancel(departure=departure, by=by, reason=reason)
        return Departure.objects.get(pk=departure.pk)
    with transaction.atomic():
        departure = lock_departure(departure.pk)
        departure_transition(
            departure=departure, to=status, actor=Actor.OPERATOR, by=by, reason=reason
        )
        if status == D.SCHEDULED:
            tidy_and_offer(departure, timezone.now())
        bump("tours")
    return departure


def departure_cancel(*, departure: Departure, by: User | None, reason: str) -> int:
    """Cancels a departure with its active bookings and waitlist, telling every
    customer why (by e-mail, and by text message to a mobile number: tours.tasks).
    Returns the number of bookings cancelled."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("Give the reason for cancelling; every customer will read it."),
            code="reason_required",
        )
    with transaction.atomic():
        departure = lock_departure(departure.pk)
        if departure.status == D.CANCELLED:
            raise errors.InvalidTransition(_("This departure is already cancelled."))
        if timezone.now() >= departure.starts_at:
            raise errors.InvalidTransition(
                _("A departure that has already left cannot be cancelled.")
            )
        departure_transition(
            departure=departure, to=D.CANCELLED, actor=Actor.OPERATOR, by=by, reason=reason
        )
        bookings = list(
            Booking.objects.filter(departure=departure, status__in=Booking.ACTIVE).order_by("pk")
        )
        for booking in bookings:
            booking.departure = departure
            booking_transition(
                booking=booking, to=S.CANCELLED, actor=Actor.OPERATOR, by=by, reason=reason
            )
            cancel_produce_on_the_way(booking)
            notify_booking(booking, "departure_cancelled")
        for entry in WaitlistEntry.objects.filter(departure=departure, status=W.WAITING).order_by(
            "pk"
        ):
            entry_transition(
                entry=entry, to=W.CANCELLED, actor=Actor.OPERATOR, by=by, reason=reason
            )
            notify_entry(entry, "departure_cancelled")
        bump("tours")
    return len(bookings)


def content_changed() -> None:
    """Routes, stops or attractions were edited: cached public pages must go,
    and the personal pages that name them (a booking shows its route's title)."""
    bump("tours")
    bump("editorial")
