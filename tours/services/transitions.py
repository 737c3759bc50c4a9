"""The one place each status changes: a booking (``booking_transition``), a
waitlist entry (``entry_transition``) and a departure
(``departure_transition``). Each walks its table of rules below (who may
make a change, what it does: ``core.transitions``),
saves it and writes a ``BookingEvent`` (who, when, from, to, why) with
``log_event``; callers hold the departure's lock."""

import enum
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.transitions import Actor, Rule, rule_for, successors

from .. import errors
from ..models import Booking, BookingEvent, Departure, WaitlistEntry

S = Booking.Status
W = WaitlistEntry.Status
D = Departure.Status


class Effect(enum.StrEnum):
    """What a status change does besides, in the transition function itself;
    the calling service e-mails and offers freed seats to the waitlist."""

    CANCEL_REASON = "the reason is kept"
    STAMP_CANCELLED = "the reason is kept, cancelled_at stamped"


_CUSTOMER = frozenset({Actor.CUSTOMER})
_OPERATOR = frozenset({Actor.OPERATOR})
_BOTH = frozenset({Actor.CUSTOMER, Actor.OPERATOR})
_SYSTEM = frozenset({Actor.SYSTEM})
_CANCEL = Rule(actors=_BOTH, effects=(Effect.CANCEL_REASON,))

# The only status changes a booking may make, and who makes them (the
# customer, the operator at the desk or cancelling a departure, the system
# lapsing an offer). Everything else is refused.
BOOKING_RULES: dict[tuple[Booking.Status, Booking.Status], Rule] = {
    (S.HELD, S.CONFIRMED): Rule(actors=_CUSTOMER),
    (S.HELD, S.CANCELLED): _CANCEL,
    (S.HELD, S.LAPSED): Rule(actors=_SYSTEM),
    (S.CONFIRMED, S.PAID): Rule(actors=_OPERATOR),
    (S.CONFIRMED, S.CHECKED_IN): Rule(actors=_OPERATOR),
    (S.CONFIRMED, S.NO_SHOW): Rule(actors=_OPERATOR),
    (S.CONFIRMED, S.CANCELLED): _CANCEL,
    (S.PAID, S.CHECKED_IN): Rule(actors=_OPERATOR),
    (S.PAID, S.NO_SHOW): Rule(actors=_OPERATOR),
    (S.PAID, S.CANCELLED): _CANCEL,
    # A late arrival marked no-show can still be let on.
    (S.NO_SHOW, S.CHECKED_IN): Rule(actors=_OPERATOR),
    # A mistaken check-in undone at the desk (booking_undo_check_in: within
    # DESK_UNDO_MINUTES, by whoever checked in or a manager), back to where
    # the payment puts it.
    (S.CHECKED_IN, S.CONFIRMED): Rule(actors=_OPERATOR),
    (S.CHECKED_IN, S.PAID): Rule(actors=_OPERATOR),
}
TRANSITIONS: dict[Booking.Status, frozenset[Booking.Status]] = successors(BOOKING_RULES, S)

ENTRY_RULES: dict[tuple[WaitlistEntry.Status, WaitlistEntry.Status], Rule] = {
    (W.WAITING, W.OFFERED): Rule(actors=_SYSTEM),
    (W.WAITING, W.CANCELLED): Rule(actors=_BOTH),
    (W.OFFERED, W.LAPSED): Rule(actors=_SYSTEM),
}
ENTRY_TRANSITIONS: dict[WaitlistEntry.Status, frozenset[WaitlistEntry.Status]] = successors(
    ENTRY_RULES, W
)

DEPARTURE_RULES: dict[tuple[Departure.Status, Departure.Status], Rule] = {
    (D.SCHEDULED, D.CLOSED): Rule(actors=_OPERATOR),
    (D.SCHEDULED, D.CANCELLED): Rule(actors=_OPERATOR, effects=(Effect.STAMP_CANCELLED,)),
    (D.CLOSED, D.SCHEDULED): Rule(actors=_OPERATOR),
    (D.CLOSED, D.CANCELLED): Rule(actors=_OPERATOR, effects=(Effect.STAMP_CANCELLED,)),
}
DEPARTURE_TRANSITIONS: dict[Departure.Status, frozenset[Departure.Status]] = successors(
    DEPARTURE_RULES, D
)


def _rule(
    table: Mapping[tuple[Any, Any], Rule], current: str, to: str, actor: Actor
) -> Rule | None:
    """The rule for this change, None if the table has none. The actor is
    named by the calling service, never by the user: one that the rule does
    not list is a programming error."""
    rule = rule_for(table, current, to)
    if rule is not None and actor not in rule.actors:
        raise ValueError(f"{actor} may not change {current} to {to}")
    return rule


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
    *, booking: Booking, to: str, actor: Actor, by: User | None = None, reason: str = ""
) -> Booking:
    """The one place a booking changes status: a walk of BOOKING_RULES
    (docs/tours.md shows the table), saved and audited. Callers hold the
    departure's lock."""
    rule = _rule(BOOKING_RULES, booking.status, to, actor)
    if rule is None:
        raise errors.InvalidTransition(
            _("A booking that is “%(current)s” cannot become “%(new)s”.")
            % {"current": Booking.Status(booking.status).label, "new": Booking.Status(to).label}
        )
    from_status = booking.status
    booking.status = to
    fields = ["status", "updated_at"]
    if Effect.CANCEL_REASON in rule.effects:
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
    *,
    entry: WaitlistEntry,
    to: str,
    actor: Actor,
    by: User | None = None,
    reason: str = "",
    booking=None,
) -> None:
    """The one place a waitlist entry changes status: a walk of ENTRY_RULES."""
    if _rule(ENTRY_RULES, entry.status, to, actor) is None:
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
    *, departure: Departure, to: str, actor: Actor, by: User | None = None, reason: str = ""
) -> None:
    """The one place a departure changes status: a walk of DEPARTURE_RULES."""
    rule = _rule(DEPARTURE_RULES, departure.status, to, actor)
    if rule is None:
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
    if Effect.STAMP_CANCELLED in rule.effects:
        departure.cancel_reason = str(reason)
        departure.cancelled_at = timezone.now()
        fields += ["cancel_reason", "cancelled_at"]
    departure.save(update_fields=fields)
    log_event(
        departure_id=departure.pk, by=by, from_status=from_status, to_status=to, reason=reason
    )
