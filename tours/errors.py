"""Domain errors of the tours app: each has a stable ``code`` clients can test
and a translated message people can read (see config/errors.py)."""

from django.utils.translation import gettext_lazy as _

from core.errors import Conflict, CustomerLimitReached, DomainError


class InvalidSeats(DomainError):
    code = "invalid_seats"
    default_message = _("Choose between 1 and 10 seats.")


class InvalidTravellers(DomainError):
    code = "invalid_travellers"
    default_message = _("Give one traveller for each seat.")


class TravellerTypeNotOffered(DomainError):
    code = "traveller_type_not_offered"
    default_message = _("This departure has no price for that kind of traveller.")


class DepartureNotFound(DomainError):
    code = "unknown_departure"
    default_message = _("There is no such departure.")


class DepartureNotBookable(Conflict):
    """Cancelled, closed, in the past or past its booking cut-off."""

    code = "not_bookable"
    default_message = _("This departure can no longer be booked.")


class DepartureFull(Conflict):
    code = "full"
    default_message = _("Not enough seats left on this departure. You can join the waitlist.")


class SeatsAvailable(Conflict):
    code = "seats_available"
    default_message = _(
        "Seats are still available on this departure: book them instead of waiting."
    )


class AlreadyWaiting(Conflict):
    code = "already_waiting"
    default_message = _("You are already on the waitlist for this departure.")


class InvalidTransition(Conflict):
    code = "invalid_transition"
    default_message = _("This booking cannot change to that status now.")


class HoldExpired(Conflict):
    code = "hold_expired"
    default_message = _(
        "The time to confirm these seats has passed; they went to the next person waiting."
    )


class CapacityBelowBooked(Conflict):
    code = "capacity_below_booked"
    default_message = _("The capacity cannot be lower than the seats already booked.")


class BookingNotFound(DomainError):
    status_code = 404
    code = "not_found"
    default_message = _("No booking with this code for your routes.")


class TooEarly(Conflict):
    code = "too_early"
    default_message = _("This can only be done on the day of the departure.")


class SeatLimitReached(CustomerLimitReached):
    code = "seat_limit"
    default_message = _(
        "You have reached the number of seats one customer can have on a departure."
    )


class WaitlistLimitReached(CustomerLimitReached):
    code = "waitlist_limit"
    default_message = _("You are already waiting for as many departures as one customer can.")


class BookingMoved(Conflict):
    code = "booking_moved"
    default_message = _(
        "This booking was just moved to another departure. Reload the page and try again."
    )


class OtherRoute(DomainError):
    code = "other_route"
    default_message = _("A booking can only move to another departure of the same route.")


class InvalidPickupCounter(DomainError):
    code = "invalid_pickup_counter"
    default_message = _(
        "Choose where to collect the produce: a counter on the way or one on return."
    )


class ProduceNotNearRoute(DomainError):
    code = "produce_not_near_route"
    default_message = _("Only products made near this route's stops can be added to a booking.")
