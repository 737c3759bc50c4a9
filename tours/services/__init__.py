"""Writes of the tours app: bookings, the waitlist, departures.

Every function takes keyword arguments, runs in one transaction and raises a
domain error (tours/errors.py) when a rule says no, so nothing is half-written.

Concurrency: every change that touches seats first locks the departure's row
(``SELECT … FOR UPDATE``), then reads the seats taken. Two bookings for the
last seats are thereby serialised and the second one sees the first: seats
never exceed the capacity. Functions that lock several departures lock them in
primary-key order so they can't deadlock. Joining a waitlist first locks
the customer's user row (FOR NO KEY UPDATE), before any departure: the cap
on one customer's open entries counts across departures. The cap on one
customer's seats on a departure needs no lock of its own: the departure's
serialises every booking and entry there. The services use plain (not durable)
``atomic`` because the API's idempotency wrapper opens the outer transaction.

Every status change of a booking goes through ``booking_transition``, of a
waitlist entry through ``entry_transition`` and of a departure through
``departure_transition`` (all in ``transitions``); each writes a
``BookingEvent`` (who, when, from, to, why).

Modules: ``bookings`` (a customer's booking, the operator's check-in and
payment records), ``waitlist`` (joining, leaving and the promotion of the
people waiting), ``departures`` (what operators do to a departure),
``transitions`` and ``common`` (what they share).
"""

from .bookings import (
    booking_by_code_for_operator,
    booking_cancel,
    booking_check_in,
    booking_confirm,
    booking_create,
    booking_extend_hold,
    booking_hold,
    booking_mark_no_show,
    booking_record_payment,
    booking_reschedule,
    booking_set_contact,
)
from .common import CODE_LENGTH, Traveller
from .departures import content_changed, departure_cancel, departure_save, departure_set_status
from .transitions import DEPARTURE_TRANSITIONS, ENTRY_TRANSITIONS, TRANSITIONS, booking_transition
from .waitlist import lapse_expired_holds, waitlist_join, waitlist_leave

__all__ = [
    "CODE_LENGTH",
    "DEPARTURE_TRANSITIONS",
    "ENTRY_TRANSITIONS",
    "TRANSITIONS",
    "Traveller",
    "booking_by_code_for_operator",
    "booking_cancel",
    "booking_check_in",
    "booking_confirm",
    "booking_create",
    "booking_extend_hold",
    "booking_hold",
    "booking_mark_no_show",
    "booking_record_payment",
    "booking_reschedule",
    "booking_set_contact",
    "booking_transition",
    "content_changed",
    "departure_cancel",
    "departure_save",
    "departure_set_status",
    "lapse_expired_holds",
    "waitlist_join",
    "waitlist_leave",
]
