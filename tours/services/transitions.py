"""The one place each status changes: a booking (``booking_transition``), a
waitlist entry (``entry_transition``) and a departure
(``departure_transition``). Each checks the change against its table below,
saves it and writes a ``BookingEvent`` (who, when, from, to, why) with
``log_event``; callers hold the departure's lock."""

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .. import errors
from ..models import Booking, BookingEvent, Departure, WaitlistEntry

S = Booking.Status

# The only status changes a booking may make. Everything else is refused.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.HELD: frozenset({S.CONFIRMED, S.CANCELLED, S.LAPSED}),
    S.CONFIRMED: frozenset({S.PAID, S.CHECKED_IN, S.NO_SHOW, S.CANCELLED}),
    S.PAID: frozenset({S.CHECKED_IN, S.NO_SHOW, S.CANCELLED}),
    # A late arrival marked no-show can still be let on.
    S.NO_SHOW: frozenset({S.CHECKED_IN}),
    S.CHECKED_IN: frozenset(),
    S.CANCELLED: frozenset(),
    S.LAPSED: frozenset(),
}

W = WaitlistEntry.Status
ENTRY_TRANSITIONS: dict[str, frozenset[str]] = {
    W.WAITING: frozenset({W.OFFERED, W.CANCELLED}),
    W.OFFERED: frozenset({W.LAPSED}),
    W.LAPSED: frozenset(),
    W.CANCELLED: frozenset(),
}

D = Departure.Status
DEPARTURE_TRANSITIONS: dict[str, frozenset[str]] = {
    D.SCHEDULED: frozenset({D.CLOSED, D.CANCELLED}),
    D.CLOSED: frozenset({D.SCHEDULED, D.CANCELLED}),
    D.CANCELLED: frozenset(),
}


def log_event(
    *,
    departure_id: int,
    to_status: str,
    from_status: str = "",
    by: User | AnonymousUser | None = None,
    reason: str = "",
    booking: Booking | None = None,
    entry: WaitlistEntry | None = None,
) -> BookingEvent:
    return BookingEvent.objects.create(
        departure_id=departure_id,
        booking=booking,
        waitlist_entry=entry,
        actor=by if by is not None and by.is_authenticated else None,
        from_status=from_status,
        to_status=to_status,
        reason=str(reason)[:2000],
    )


def booking_transition(
    *, booking: Booking, to: str, by: User | None = None, reason: str = ""
) -> Booking:
    """The one place a booking changes status: checks the change is allowed,
    saves it and audits it. Callers hold the departure's lock."""
    if to not in TRANSITIONS[booking.status]:
        raise errors.InvalidTransition(
            _("A booking that is “%(current)s” cannot become “%(new)s”.")
            % {"current": Booking.Status(booking.status).label, "new": Booking.Status(to).label}
        )
    from_status = booking.status
    booking.status = to
    fields = ["status", "updated_at"]
    if to == S.CANCELLED:
        booking.cancel_reason = str(reason)
        fields.append("cancel_reason")
    booking.save(update_fields=fields)
    log_event(
        departure_id=booking.departure_id,
        booking=booking,
        by=by,
        from_status=from_status,
        to_status=to,
        reason=reason,
    )
    return booking


def entry_transition(
    *, entry: WaitlistEntry, to: str, by: User | None = None, reason: str = "", booking=None
) -> None:
    if to not in ENTRY_TRANSITIONS[entry.status]:
        raise errors.InvalidTransition(_("This waitlist entry cannot change to that status now."))
    from_status = entry.status
    entry.status = to
    fields = ["status", "updated_at"]
    if booking is not None:
        entry.booking = booking
        fields.append("booking")
    entry.save(update_fields=fields)
    log_event(
        departure_id=entry.departure_id,
        entry=entry,
        booking=booking,
        by=by,
        from_status=from_status,
        to_status=to,
        reason=reason,
    )


def departure_transition(
    *, departure: Departure, to: str, by: User | None = None, reason: str = ""
) -> None:
    if to not in DEPARTURE_TRANSITIONS[departure.status]:
        raise errors.InvalidTransition(
            _("A departure that is “%(current)s” cannot become “%(new)s”.")
            % {
                "current": Departure.Status(departure.status).label,
                "new": Departure.Status(to).label,
            }
        )
    from_status = departure.status
    departure.status = to
    fields = ["status", "updated_at"]
    if to == D.CANCELLED:
        departure.cancel_reason = str(reason)
        departure.cancelled_at = timezone.now()
        fields += ["cancel_reason", "cancelled_at"]
    departure.save(update_fields=fields)
    log_event(
        departure_id=departure.pk, by=by, from_status=from_status, to_status=to, reason=reason
    )
