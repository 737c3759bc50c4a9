"""The waitlist: joining and leaving it, and the promotion that offers free
seats to the people waiting, in the order they joined, as held bookings with a
deadline; holds not confirmed in time lapse and their seats move on."""

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from core.cache import bump
from core.transitions import Actor

from .. import errors, selectors
from ..models import Booking, Departure, WaitlistEntry
from .common import (
    booking_language,
    check_contact,
    check_customer_seats,
    check_route_limits,
    check_seats,
    create_booking,
    ensure_bookable,
    lock_customer,
    lock_departure,
    notify_booking,
    seat_prices,
    traveller_list,
)
from .transitions import S, W, booking_transition, entry_transition, log_event


def offer_to_waitlist(departure: Departure, now: dt.datetime) -> list[Booking]:
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
        travellers = traveller_list(entry.seats, entry.travellers or None)
        booking = create_booking(
            departure=departure,
            customer=entry.customer,
            seats=entry.seats,
            contact_name=entry.contact_name,
            contact_phone=entry.contact_phone,
            travellers=travellers,
            prices=seat_prices(departure, travellers, strict=False),
            status=S.HELD,
            now=now,
            language=entry.language,
            hold_expires_at=deadline,
        )
        log_event(
            departure_id=departure.pk,
            booking=booking,
            to_status=S.HELD,
            reason=gettext_noop("offered from the waitlist"),
        )
        entry_transition(
            entry=entry,
            to=W.OFFERED,
            actor=Actor.SYSTEM,
            booking=booking,
            reason=gettext_noop("seats became free"),
        )
        notify_booking(booking, "offer")
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
        booking_transition(
            booking=booking,
            to=S.LAPSED,
            actor=Actor.SYSTEM,
            reason=gettext_noop("not confirmed before the deadline"),
        )
        entry = WaitlistEntry.objects.filter(booking=booking).first()
        if entry is not None and entry.status == W.OFFERED:
            entry_transition(
                entry=entry,
                to=W.LAPSED,
                actor=Actor.SYSTEM,
                booking=booking,
                reason=gettext_noop("offer not confirmed"),
            )
        notify_booking(booking, "lapsed")
    if expired:
        bump("tours")
    return len(expired)


def tidy_and_offer(departure: Departure, now: dt.datetime) -> tuple[int, list[Booking]]:
    lapsed = _lapse_holds(departure, now)
    return lapsed, offer_to_waitlist(departure, now)


def tidy_and_count(departure: Departure, customer: User, now: dt.datetime) -> selectors.SeatCounts:
    """``tidy_and_offer``, then the departure's seat counts for ``customer``
    (callers hold the departure's lock). One statement when there is nothing
    to tidy (no expired hold, nobody waiting while seats are free), which is
    what almost every booking finds; after tidying, the counts are read again."""
    counts = selectors.seat_counts(departure=departure, customer=customer, now=now)
    if counts.expired_holds or (counts.waiting and counts.taken < departure.capacity):
        tidy_and_offer(departure, now)
        counts = selectors.seat_counts(departure=departure, customer=customer, now=now)
    return counts


def waitlist_join(
    *,
    customer: User,
    departure_id: int,
    seats: int,
    contact_name: str,
    contact_phone: str,
    travellers: Sequence | None = None,
    language: str | None = None,
) -> WaitlistEntry:
    """Puts the customer on a full departure's waitlist, at the end.

    Raises SeatsAvailable when the seats asked for are free (book instead),
    AlreadyWaiting for a second entry on the same departure,
    WaitlistLimitReached past MAX_OPEN_WAITLIST_ENTRIES entries waiting at
    once and SeatLimitReached past MAX_SEATS_PER_CUSTOMER seats on the
    departure (the entry's and those already booked or waited for).
    """
    seats = check_seats(seats)
    contact_name, contact_phone = check_contact(contact_name, contact_phone)
    people = traveller_list(seats, travellers)
    with transaction.atomic():
        # The customer first, then the departure: the entries cap counts
        # across departures, which the departure's lock alone can't serialise.
        lock_customer(customer)
        departure = lock_departure(departure_id)
        now = timezone.now()
        ensure_bookable(departure, now)
        check_route_limits(departure, seats)
        seat_prices(departure, people)
        counts = tidy_and_count(departure, customer, now)
        if seats <= departure.capacity - counts.taken:
            raise errors.SeatsAvailable()
        waiting = list(
            WaitlistEntry.objects.filter(customer=customer, status=W.WAITING).values_list(
                "departure_id", flat=True
            )
        )
        if departure.pk in waiting:
            raise errors.AlreadyWaiting()
        cap = settings.MAX_OPEN_WAITLIST_ENTRIES
        if len(waiting) >= cap:
            raise errors.WaitlistLimitReached(
                _(
                    "You can wait for at most %(max)s departures at once; you are on "
                    "%(open)s waitlists. Leave one first."
                )
                % {"max": cap, "open": len(waiting)}
            )
        check_customer_seats(counts, seats)
        entry = WaitlistEntry.objects.create(
            departure=departure,
            customer=customer,
            seats=seats,
            contact_name=contact_name,
            contact_phone=contact_phone,
            travellers=[{"name": t.name, "type": t.type} for t in people] if travellers else [],
            language=booking_language(language),
            created_at=now,
        )
        log_event(
            departure_id=departure.pk,
            entry=entry,
            by=customer,
            to_status=W.WAITING,
            reason=gettext_noop("joined"),
        )
    return entry


def waitlist_leave(*, entry: WaitlistEntry, by: User | None) -> WaitlistEntry:
    with transaction.atomic():
        lock_departure(entry.departure_id)
        entry = WaitlistEntry.objects.get(pk=entry.pk)
        if entry.status != W.WAITING:
            raise errors.InvalidTransition(_("You are no longer waiting for this departure."))
        entry_transition(
            entry=entry,
            to=W.CANCELLED,
            actor=Actor.CUSTOMER,
            by=by,
            reason=gettext_noop("left the waitlist"),
        )
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
            departure = lock_departure(departure_id)
            n, offers = tidy_and_offer(departure, now)
            lapsed, offered = lapsed + n, offered + len(offers)
    return lapsed, offered
