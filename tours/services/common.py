"""What bookings, the waitlist and departures share: the departure lock,
checks of what a customer typed, travellers and their prices, booking codes,
the booking row itself and the e-mails sent once the transaction commits."""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from core import codes
from core.errors import DomainError
from core.mail import send_on_commit
from core.numbers import whole_number

from .. import errors, selectors
from ..models import (
    MAX_SEATS_PER_BOOKING,
    Booking,
    BookingTraveller,
    Departure,
    TravellerType,
    WaitlistEntry,
)
from ..tasks import send_booking_email, send_waitlist_email
from .transitions import D

# Booking codes, drawn by core.codes.
CODE_LENGTH = 8


@dataclass(frozen=True)
class Traveller:
    name: str = ""
    type: str = TravellerType.ADULT


def lock_departure(departure_id) -> Departure:
    """The departure, row-locked until the transaction ends (its row alone),
    with its route and fares (``selectors.route_and_fares``: from the shared
    cache until they are edited; the two queries of a miss take no lock)."""
    try:
        departure_id = int(departure_id)
    except (TypeError, ValueError):
        raise errors.DepartureNotFound() from None
    try:
        departure = Departure.objects.select_for_update().get(pk=departure_id)
    except Departure.DoesNotExist:
        raise errors.DepartureNotFound() from None
    departure.route, departure.fares = selectors.route_and_fares(departure)
    return departure


def relock(booking: Booking) -> tuple[Departure, Booking]:
    """Locks the booking's departure, then re-reads the booking under that lock
    (its status may have changed since the caller read it)."""
    departure = lock_departure(booking.departure_id)
    fresh = Booking.objects.get(pk=booking.pk)
    if fresh.departure_id != departure.pk:
        # Rescheduled meanwhile: the lock held is the wrong departure's.
        raise errors.BookingMoved()
    fresh.departure = departure
    return departure, fresh


def lock_customer(customer) -> None:
    """Locks the customer's user row until the transaction ends, to serialise
    one customer's changes that a cap counts across departures (waitlist
    entries). Taken before the departure's lock, always. FOR NO KEY UPDATE:
    it does not wait on the key-share locks that inserts referring to the
    user take (an API request's idempotency key), so two requests of one
    customer queue up here instead of deadlocking."""
    list(
        get_user_model()
        .objects.select_for_update(no_key=True)
        .filter(pk=customer.pk)
        .values_list("pk", flat=True)
    )


def check_customer_seats(counts: selectors.SeatCounts, seats: int) -> None:
    """Refuses more than MAX_SEATS_PER_CUSTOMER seats on one departure for one
    customer: the seats of their bookings that count (seated, and held offers
    before their deadline) and of their waitlist entries still waiting (an
    offer turns those into a held booking), as ``selectors.seat_counts`` read
    them under the departure's lock, which every booking and entry of this
    departure takes."""
    cap = settings.MAX_SEATS_PER_CUSTOMER
    taken = counts.mine + counts.mine_waiting
    if taken + seats > cap:
        raise errors.SeatLimitReached(
            _(
                "You can have at most %(max)s seats on one departure; you already have "
                "%(taken)s booked or on the waitlist."
            )
            % {"max": cap, "taken": taken}
        )


def check_seats(seats) -> int:
    if isinstance(seats, str):
        seats = whole_number(seats, max_digits=3)
    if isinstance(seats, bool) or not isinstance(seats, int):
        raise errors.InvalidSeats()
    if not 1 <= seats <= MAX_SEATS_PER_BOOKING:
        raise errors.InvalidSeats(
            _("Choose between 1 and %(max)s seats.") % {"max": MAX_SEATS_PER_BOOKING}
        )
    return seats


def check_route_limits(departure: Departure, seats: int) -> None:
    """The route's fewest and most travellers per booking (its departure's
    route is loaded by ``lock_departure``)."""
    route = departure.route
    if not route.min_travellers <= seats <= route.max_travellers:
        if route.min_travellers == route.max_travellers:
            message = ngettext(
                "This route is booked for exactly %(min)s traveller at a time.",
                "This route is booked for exactly %(min)s travellers at a time.",
                route.min_travellers,
            )
        else:
            message = _("This route takes %(min)s to %(max)s travellers per booking.")
        raise errors.InvalidSeats(
            message % {"min": route.min_travellers, "max": route.max_travellers}
        )


def check_contact(contact_name: str, contact_phone: str) -> tuple[str, str]:
    name, phone = (contact_name or "").strip(), (contact_phone or "").strip()
    if not name or len(name) > 100:
        raise DomainError(
            _("Give a contact name of at most 100 characters."), code="invalid_contact"
        )
    digits = phone.removeprefix("+").replace(" ", "").replace("-", "")
    if not (digits.isascii() and digits.isdigit()) or not 7 <= len(digits) <= 15:
        raise DomainError(
            _("Give a contact phone number of 7 to 15 digits."), code="invalid_contact"
        )
    return name, phone


def traveller_list(seats: int, travellers: Sequence | None) -> list[Traveller]:
    """One traveller a seat; without a list, ``seats`` unnamed adults."""
    if not travellers:
        return [Traveller() for _seat in range(seats)]
    result = []
    for item in travellers:
        if isinstance(item, Traveller):
            traveller = item
        elif isinstance(item, dict):
            traveller = Traveller(
                name=str(item.get("name") or "").strip(),
                type=item.get("type") or TravellerType.ADULT,
            )
        else:
            raise errors.InvalidTravellers()
        if traveller.type not in TravellerType.values or len(traveller.name) > 100:
            raise errors.InvalidTravellers(
                _("Each traveller needs a valid type and a name of at most 100 characters.")
            )
        result.append(traveller)
    if len(result) != seats:
        raise errors.InvalidTravellers(
            ngettext(
                "Give %(count)s traveller for %(count)s seat.",
                "Give %(count)s travellers for %(count)s seats.",
                seats,
            )
            % {"count": seats}
        )
    return result


def seat_prices(
    departure: Departure, travellers: Iterable[Traveller], *, strict: bool = True
) -> list[Decimal]:
    prices = []
    for traveller in travellers:
        price = departure.price_for(traveller.type)
        if price is None:
            if strict:
                raise errors.TravellerTypeNotOffered(
                    _("This departure has no price for: %(type)s.")
                    % {"type": TravellerType(traveller.type).label}
                )
            # Offered from the waitlist after the operator dropped that fare:
            # charge the adult fare rather than fail the offer.
            price = departure.price_for(TravellerType.ADULT)
        assert price is not None  # an adult seat always has a price
        prices.append(price)
    return prices


def ensure_bookable(departure: Departure, now: dt.datetime) -> None:
    if departure.status == D.CANCELLED:
        raise errors.DepartureNotBookable(_("This departure has been cancelled."))
    if departure.status == D.CLOSED:
        raise errors.DepartureNotBookable(_("Booking for this departure is closed."))
    if not departure.route.is_published:
        raise errors.DepartureNotFound()
    if now >= departure.starts_at:
        raise errors.DepartureNotBookable(_("This departure has already left."))
    if now >= departure.booking_closes_at:
        raise errors.DepartureNotBookable(
            ngettext(
                "Booking closed %(hours)s hour before the start.",
                "Booking closed %(hours)s hours before the start.",
                departure.cutoff_hours,
            )
            % {"hours": departure.cutoff_hours}
        )


def _new_code() -> str:
    while True:
        code = codes.draw(CODE_LENGTH)
        if not Booking.objects.filter(code=code).exists():
            return code


def create_booking(
    *,
    departure: Departure,
    customer: User,
    seats: int,
    contact_name: str,
    contact_phone: str,
    travellers: list[Traveller],
    prices: list[Decimal],
    status: str,
    now: dt.datetime,
    language: str,
    hold_expires_at: dt.datetime | None = None,
) -> Booking:
    booking = Booking.objects.create(
        code=_new_code(),
        customer=customer,
        departure=departure,
        seats=seats,
        contact_name=contact_name,
        contact_phone=contact_phone,
        status=status,
        total_price=sum(prices, Decimal("0")),
        hold_expires_at=hold_expires_at,
        language=language,
        created_at=now,
    )
    booking.traveller_list = BookingTraveller.objects.bulk_create(
        BookingTraveller(booking=booking, name=t.name, traveller_type=t.type, price=p)
        for t, p in zip(travellers, prices, strict=True)
    )
    # No produce yet (``_add_produce`` links it after): known without a query.
    Booking.produce.related.set_cached_value(booking, None)
    return booking


def booking_language(language: str | None) -> str:
    known = {code for code, _name in settings.LANGUAGES}
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return language if language in known else settings.LANGUAGE_CODE


def notify_booking(booking: Booking, kind: str) -> None:
    send_on_commit(send_booking_email, booking_id=booking.pk, kind=kind)


def notify_entry(entry: WaitlistEntry, kind: str) -> None:
    send_on_commit(send_waitlist_email, entry_id=entry.pk, kind=kind)
