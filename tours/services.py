"""Writes of the tours app: bookings, the waitlist, departures.

Every function takes keyword arguments, runs in one transaction and raises a
domain error (tours/errors.py) when a rule says no, so nothing is half-written.

Concurrency: every change that touches seats first locks the departure's row
(``SELECT … FOR UPDATE``), then reads the seats taken. Two bookings for the
last seats are thereby serialised and the second one sees the first: seats
never exceed the capacity. Functions that lock several departures lock them in
primary-key order so they can't deadlock. The services use plain (not durable)
``atomic`` because the API's idempotency wrapper opens the outer transaction.

Every status change of a booking goes through ``booking_transition``, of a
waitlist entry through ``_entry_transition`` and of a departure through
``_departure_transition``; each writes a ``BookingEvent`` (who, when, from,
to, why).
"""

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.cache import bump
from config.errors import DomainError

from . import errors, selectors
from .models import (
    MAX_SEATS_PER_BOOKING,
    Booking,
    BookingEvent,
    BookingTraveller,
    Departure,
    TravellerType,
    WaitlistEntry,
)

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

# Booking codes: no 0/O, 1/I/L, so a code read out on the phone is unambiguous.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


@dataclass(frozen=True)
class Traveller:
    name: str = ""
    type: str = TravellerType.ADULT


# --- Audit and transitions --------------------------------------------------------


def _log(
    *,
    departure_id: int,
    to_status: str,
    from_status: str = "",
    by=None,
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


def booking_transition(*, booking: Booking, to: str, by=None, reason: str = "") -> Booking:
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
    _log(
        departure_id=booking.departure_id,
        booking=booking,
        by=by,
        from_status=from_status,
        to_status=to,
        reason=reason,
    )
    return booking


def _entry_transition(
    *, entry: WaitlistEntry, to: str, by=None, reason: str = "", booking=None
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
    _log(
        departure_id=entry.departure_id,
        entry=entry,
        booking=booking,
        by=by,
        from_status=from_status,
        to_status=to,
        reason=reason,
    )


def _departure_transition(*, departure: Departure, to: str, by=None, reason: str = "") -> None:
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
    _log(departure_id=departure.pk, by=by, from_status=from_status, to_status=to, reason=reason)


# --- Helpers ------------------------------------------------------------------------


def _lock_departure(departure_id) -> Departure:
    """The departure, row-locked until the transaction ends; its route loaded."""
    try:
        departure_id = int(departure_id)
    except (TypeError, ValueError):
        raise errors.DepartureNotFound() from None
    try:
        # of=("self",): lock the departure only, not the joined route row.
        return (
            Departure.objects.select_for_update(of=("self",))
            .select_related("route")
            .get(pk=departure_id)
        )
    except Departure.DoesNotExist:
        raise errors.DepartureNotFound() from None


def _relock(booking: Booking) -> tuple[Departure, Booking]:
    """Locks the booking's departure, then re-reads the booking under that lock
    (its status may have changed since the caller read it)."""
    departure = _lock_departure(booking.departure_id)
    fresh = Booking.objects.get(pk=booking.pk)
    fresh.departure = departure
    return departure, fresh


def _check_seats(seats) -> int:
    if isinstance(seats, str) and seats.strip().isdigit():
        seats = int(seats)
    if isinstance(seats, bool) or not isinstance(seats, int):
        raise errors.InvalidSeats()
    if not 1 <= seats <= MAX_SEATS_PER_BOOKING:
        raise errors.InvalidSeats(
            _("Choose between 1 and %(max)s seats.") % {"max": MAX_SEATS_PER_BOOKING}
        )
    return seats


def _check_contact(contact_name: str, contact_phone: str) -> tuple[str, str]:
    name, phone = (contact_name or "").strip(), (contact_phone or "").strip()
    if not name or len(name) > 100:
        raise DomainError(
            _("Give a contact name of at most 100 characters."), code="invalid_contact"
        )
    digits = phone.removeprefix("+").replace(" ", "").replace("-", "")
    if not digits.isdigit() or not 7 <= len(digits) <= 15:
        raise DomainError(
            _("Give a contact phone number of 7 to 15 digits."), code="invalid_contact"
        )
    return name, phone


def _travellers(seats: int, travellers: Sequence | None) -> list[Traveller]:
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


def _prices(
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
        prices.append(price)
    return prices


def _ensure_bookable(departure: Departure, now: dt.datetime) -> None:
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
        code = "".join(secrets.choice(CODE_ALPHABET) for _position in range(CODE_LENGTH))
        if not Booking.objects.filter(code=code).exists():
            return code


def _create_booking(
    *,
    departure: Departure,
    customer,
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
    BookingTraveller.objects.bulk_create(
        BookingTraveller(booking=booking, name=t.name, traveller_type=t.type, price=p)
        for t, p in zip(travellers, prices, strict=True)
    )
    return booking


def _language(language: str | None) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return language if language in codes else settings.LANGUAGE_CODE


def _notify_booking(booking: Booking, kind: str) -> None:
    from .tasks import send_booking_email

    booking_id = booking.pk
    transaction.on_commit(lambda: send_booking_email.enqueue(booking_id=booking_id, kind=kind))


def _notify_entry(entry: WaitlistEntry, kind: str) -> None:
    from .tasks import send_waitlist_email

    entry_id = entry.pk
    transaction.on_commit(lambda: send_waitlist_email.enqueue(entry_id=entry_id, kind=kind))


# --- Waitlist promotion --------------------------------------------------------------


def _offer_to_waitlist(departure: Departure, now: dt.datetime) -> list[Booking]:
    """Offers free seats to the waitlist in order of joining: each entry that
    fits in the seats still free gets a held booking until its deadline and an
    e-mail; an entry too large for what is free keeps its place for later.

    Nothing is offered once the departure can't be booked any more (closed,
    cancelled, past its cut-off). Callers hold the departure's lock.
    """
    if not departure.is_bookable(now):
        return []
    left = departure.capacity - selectors.seats_taken(departure=departure, now=now)
    offers: list[Booking] = []
    if left <= 0:
        return offers
    deadline = min(
        now + dt.timedelta(hours=settings.WAITLIST_HOLD_HOURS), departure.booking_closes_at
    )
    waiting = WaitlistEntry.objects.filter(departure=departure, status=W.WAITING).select_related(
        "customer"
    )
    for entry in waiting.order_by("created_at", "pk"):
        if left <= 0:
            break
        if entry.seats > left:
            continue
        travellers = _travellers(entry.seats, entry.travellers or None)
        booking = _create_booking(
            departure=departure,
            customer=entry.customer,
            seats=entry.seats,
            contact_name=entry.contact_name,
            contact_phone=entry.contact_phone,
            travellers=travellers,
            prices=_prices(departure, travellers, strict=False),
            status=S.HELD,
            now=now,
            language=entry.language,
            hold_expires_at=deadline,
        )
        _log(
            departure_id=departure.pk,
            booking=booking,
            to_status=S.HELD,
            reason="offered from the waitlist",
        )
        _entry_transition(entry=entry, to=W.OFFERED, booking=booking, reason="seats became free")
        _notify_booking(booking, "offer")
        offers.append(booking)
        left -= entry.seats
    if offers:
        bump("tours")
    return offers


def _lapse_holds(departure: Departure, now: dt.datetime) -> int:
    """Lapses the departure's expired holds (the seats already stopped
    counting when the deadline passed; this records it and tells the customer)."""
    expired = list(
        Booking.objects.filter(departure=departure, status=S.HELD, hold_expires_at__lte=now)
    )
    for booking in expired:
        booking.departure = departure
        booking_transition(booking=booking, to=S.LAPSED, reason="not confirmed before the deadline")
        entry = WaitlistEntry.objects.filter(booking=booking).first()
        if entry is not None and entry.status == W.OFFERED:
            _entry_transition(
                entry=entry, to=W.LAPSED, booking=booking, reason="offer not confirmed"
            )
        _notify_booking(booking, "lapsed")
    if expired:
        bump("tours")
    return len(expired)


def _tidy_and_offer(departure: Departure, now: dt.datetime) -> tuple[int, list[Booking]]:
    lapsed = _lapse_holds(departure, now)
    return lapsed, _offer_to_waitlist(departure, now)


# --- Bookings --------------------------------------------------------------------------


def booking_create(
    *,
    customer,
    departure_id: int,
    seats: int,
    contact_name: str,
    contact_phone: str,
    travellers: Sequence | None = None,
    language: str | None = None,
) -> Booking:
    """Books ``seats`` on a departure for ``customer``: confirmed at once, the
    price of each traveller copied from the departure's fares.

    Raises InvalidSeats, InvalidTravellers, TravellerTypeNotOffered,
    DepartureNotFound, DepartureNotBookable or DepartureFull (409 "full": the
    customer may join the waitlist instead).
    """
    seats = _check_seats(seats)
    contact_name, contact_phone = _check_contact(contact_name, contact_phone)
    people = _travellers(seats, travellers)
    with transaction.atomic():
        departure = _lock_departure(departure_id)
        now = timezone.now()
        _ensure_bookable(departure, now)
        prices = _prices(departure, people)
        # People already waiting come first: expired holds are passed on to
        # them before a newcomer can take the seats.
        _tidy_and_offer(departure, now)
        left = departure.capacity - selectors.seats_taken(departure=departure, now=now)
        if seats > left:
            if left <= 0:
                raise errors.DepartureFull(_("This departure is full. You can join the waitlist."))
            raise errors.DepartureFull(
                ngettext(
                    "Only %(left)s seat is left on this departure. Book fewer seats or join the waitlist.",
                    "Only %(left)s seats are left on this departure. Book fewer seats or join the waitlist.",
                    left,
                )
                % {"left": left}
            )
        booking = _create_booking(
            departure=departure,
            customer=customer,
            seats=seats,
            contact_name=contact_name,
            contact_phone=contact_phone,
            travellers=people,
            prices=prices,
            status=S.CONFIRMED,
            now=now,
            language=_language(language),
        )
        _log(
            departure_id=departure.pk,
            booking=booking,
            by=customer,
            to_status=S.CONFIRMED,
            reason="booked",
        )
        _notify_booking(booking, "confirmed")
        bump("tours")
    return booking


def booking_confirm(*, booking: Booking, by) -> Booking:
    """The customer accepts seats offered from the waitlist before the deadline.

    Raises HoldExpired after the deadline (the seats already went back: they
    stopped counting at the deadline, and ``lapse_holds`` passes them on).
    """
    with transaction.atomic():
        _departure, booking = _relock(booking)
        if booking.status != S.HELD:
            raise errors.InvalidTransition(
                _("Only seats offered from the waitlist need confirming.")
            )
        if booking.is_hold_expired(timezone.now()):
            raise errors.HoldExpired()
        booking_transition(booking=booking, to=S.CONFIRMED, by=by, reason="offer accepted")
        _notify_booking(booking, "confirmed")
    return booking


def booking_cancel(*, booking: Booking, by, reason: str = "", by_operator: bool = False) -> Booking:
    """Cancels a booking and offers its seats to the waitlist, in order.

    Customers may cancel an active booking until the departure starts;
    operators (``by_operator``) at any time before check-in.
    """
    with transaction.atomic():
        departure, booking = _relock(booking)
        now = timezone.now()
        if not by_operator and not booking.can_cancel(now):
            if booking.status in Booking.ACTIVE:
                raise errors.InvalidTransition(
                    _("This departure has already left; it can't be cancelled now.")
                )
            raise errors.InvalidTransition(
                _("A booking that is “%(current)s” cannot be cancelled.")
                % {"current": Booking.Status(booking.status).label}
            )
        booking_transition(
            booking=booking,
            to=S.CANCELLED,
            by=by,
            reason=reason
            or ("cancelled by the operator" if by_operator else "cancelled by the customer"),
        )
        if by_operator:
            _notify_booking(booking, "cancelled")
        _tidy_and_offer(departure, now)
        bump("tours")
    return booking


def booking_record_payment(*, booking: Booking, by, method: str, timing: str) -> Booking:
    """Records that the booking was paid (in advance or on the day)."""
    if method not in Booking.PaymentMethod.values:
        raise DomainError(_("Choose a payment method."), code="invalid_payment")
    if timing not in Booking.PaymentTiming.values:
        raise DomainError(
            _("Say whether it was paid in advance or on the day."), code="invalid_payment"
        )
    with transaction.atomic():
        _departure, booking = _relock(booking)
        if booking.paid_at is not None:
            raise errors.InvalidTransition(_("The payment of this booking is already recorded."))
        if booking.status not in (S.CONFIRMED, S.CHECKED_IN):
            raise errors.InvalidTransition(
                _("A booking that is “%(current)s” cannot be paid.")
                % {"current": Booking.Status(booking.status).label}
            )
        booking.payment_method, booking.payment_timing, booking.paid_at = (
            method,
            timing,
            timezone.now(),
        )
        booking.save(update_fields=["payment_method", "payment_timing", "paid_at", "updated_at"])
        reason = f"payment recorded: {method}, {timing}"
        if booking.status == S.CONFIRMED:
            booking_transition(booking=booking, to=S.PAID, by=by, reason=reason)
        else:  # paid at check-in: the status stays, the payment is still audited
            _log(
                departure_id=booking.departure_id,
                booking=booking,
                by=by,
                from_status=booking.status,
                to_status=booking.status,
                reason=reason,
            )
    return booking


def booking_check_in(*, booking: Booking, by) -> Booking:
    """The operator lets the travellers on: from the day of the departure."""
    with transaction.atomic():
        departure, booking = _relock(booking)
        if timezone.localdate() < departure.date:
            raise errors.TooEarly(_("Travellers can be checked in from the day of the departure."))
        booking_transition(booking=booking, to=S.CHECKED_IN, by=by, reason="checked in")
    return booking


def booking_mark_no_show(*, booking: Booking, by) -> Booking:
    """The operator records that nobody came: only once the departure started."""
    with transaction.atomic():
        departure, booking = _relock(booking)
        if timezone.now() < departure.starts_at:
            raise errors.TooEarly(
                _("A no-show can only be recorded once the departure has started.")
            )
        booking_transition(booking=booking, to=S.NO_SHOW, by=by, reason="did not come")
    return booking


def normalise_code(text: str) -> str:
    """The booking code in what was typed or scanned: case and spaces don't
    matter, and the check-in URL the QR code holds gives its ``code``."""
    text = (text or "").strip()
    if "code=" in text:
        from urllib.parse import parse_qs, urlsplit

        text = (parse_qs(urlsplit(text).query).get("code") or [""])[0]
    return "".join(text.split()).upper()


def booking_by_code_for_operator(*, code: str, user) -> Booking:
    """A booking on one of the user's routes by its code. Raises
    BookingNotFound for anyone else's."""
    normalised = normalise_code(code)
    booking = selectors.operator_bookings(user=user).filter(code=normalised).first()
    if booking is None:
        raise errors.BookingNotFound()
    return booking


# --- Waitlist ---------------------------------------------------------------------------


def waitlist_join(
    *,
    customer,
    departure_id: int,
    seats: int,
    contact_name: str,
    contact_phone: str,
    travellers: Sequence | None = None,
    language: str | None = None,
) -> WaitlistEntry:
    """Puts the customer on a full departure's waitlist, at the end.

    Raises SeatsAvailable when the seats asked for are free (book instead) and
    AlreadyWaiting for a second entry on the same departure.
    """
    seats = _check_seats(seats)
    contact_name, contact_phone = _check_contact(contact_name, contact_phone)
    people = _travellers(seats, travellers)
    with transaction.atomic():
        departure = _lock_departure(departure_id)
        now = timezone.now()
        _ensure_bookable(departure, now)
        _prices(departure, people)
        _tidy_and_offer(departure, now)
        if seats <= departure.capacity - selectors.seats_taken(departure=departure, now=now):
            raise errors.SeatsAvailable()
        if WaitlistEntry.objects.filter(
            departure=departure, customer=customer, status=W.WAITING
        ).exists():
            raise errors.AlreadyWaiting()
        entry = WaitlistEntry.objects.create(
            departure=departure,
            customer=customer,
            seats=seats,
            contact_name=contact_name,
            contact_phone=contact_phone,
            travellers=[{"name": t.name, "type": t.type} for t in people] if travellers else [],
            language=_language(language),
            created_at=now,
        )
        _log(
            departure_id=departure.pk,
            entry=entry,
            by=customer,
            to_status=W.WAITING,
            reason="joined",
        )
    return entry


def waitlist_leave(*, entry: WaitlistEntry, by) -> WaitlistEntry:
    with transaction.atomic():
        _lock_departure(entry.departure_id)
        entry = WaitlistEntry.objects.get(pk=entry.pk)
        if entry.status != W.WAITING:
            raise errors.InvalidTransition(_("You are no longer waiting for this departure."))
        _entry_transition(entry=entry, to=W.CANCELLED, by=by, reason="left the waitlist")
    return entry


def lapse_expired_holds(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Records every expired hold as lapsed and offers its seats to the next
    people waiting. Returns (holds lapsed, new offers made).

    Each departure is handled in its own short transaction, in primary-key
    order, so a long run never holds many locks at once.
    """
    now = now or timezone.now()
    departure_ids = sorted(
        set(
            Booking.objects.filter(status=S.HELD, hold_expires_at__lte=now).values_list(
                "departure_id", flat=True
            )
        )
    )
    lapsed = offered = 0
    for departure_id in departure_ids:
        with transaction.atomic():
            departure = _lock_departure(departure_id)
            n, offers = _tidy_and_offer(departure, now)
            lapsed, offered = lapsed + n, offered + len(offers)
    return lapsed, offered


# --- Departures (operators) -----------------------------------------------------------


def departure_save(*, departure: Departure, by=None) -> Departure:
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
            _log(departure_id=departure.pk, by=by, to_status=departure.status, reason="created")
        else:
            current = _lock_departure(departure.pk)
            taken = selectors.seats_taken(departure=current, now=now)
            if departure.capacity < taken:
                raise errors.CapacityBelowBooked(
                    _("The capacity cannot be lower than the %(taken)s seats already booked.")
                    % {"taken": taken}
                )
            departure.status = current.status
            departure.save()
            _offer_to_waitlist(departure, now)
        bump("tours")
    return departure


def departure_set_status(*, departure: Departure, status: str, by, reason: str = "") -> Departure:
    """Closes a departure for booking or opens it again (cancelling has its
    own function, as it cancels the bookings too)."""
    if status == D.CANCELLED:
        return departure_cancel(departure=departure, by=by, reason=reason)
    with transaction.atomic():
        departure = _lock_departure(departure.pk)
        _departure_transition(departure=departure, to=status, by=by, reason=reason)
        if status == D.SCHEDULED:
            _tidy_and_offer(departure, timezone.now())
        bump("tours")
    return departure


def departure_cancel(*, departure: Departure, by, reason: str) -> int:
    """Cancels a departure with its active bookings and waitlist, telling every
    customer why by e-mail. Returns the number of bookings cancelled."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("Give the reason for cancelling; every customer will read it."),
            code="reason_required",
        )
    with transaction.atomic():
        departure = _lock_departure(departure.pk)
        if departure.status == D.CANCELLED:
            raise errors.InvalidTransition(_("This departure is already cancelled."))
        if timezone.now() >= departure.starts_at:
            raise errors.InvalidTransition(
                _("A departure that has already left cannot be cancelled.")
            )
        _departure_transition(departure=departure, to=D.CANCELLED, by=by, reason=reason)
        bookings = list(
            Booking.objects.filter(departure=departure, status__in=Booking.ACTIVE).order_by("pk")
        )
        for booking in bookings:
            booking.departure = departure
            booking_transition(booking=booking, to=S.CANCELLED, by=by, reason=reason)
            _notify_booking(booking, "departure_cancelled")
        for entry in WaitlistEntry.objects.filter(departure=departure, status=W.WAITING).order_by(
            "pk"
        ):
            _entry_transition(entry=entry, to=W.CANCELLED, by=by, reason=reason)
            _notify_entry(entry, "departure_cancelled")
        bump("tours")
    return len(bookings)


def content_changed() -> None:
    """Routes, stops or attractions were edited: cached public pages must go."""
    bump("tours")
