"""A customer's booking from start to end: booking seats, confirming an
offer, cancelling (its seats go to the waitlist), and the operator's payment,
check-in and no-show records."""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from accounts.models import User
from core import codes
from core.cache import bump
from core.errors import DomainError
from core.payments import PaymentMethod
from core.transitions import Actor

from .. import errors, selectors
from ..models import Booking, BookingProduce, BookingTraveller
from .common import (
    Traveller,
    booking_language,
    check_contact,
    check_customer_seats,
    check_route_limits,
    check_seats,
    create_booking,
    ensure_bookable,
    lock_departure,
    notify_booking,
    relock,
    seat_prices,
    traveller_list,
)
from .transitions import S, booking_transition, log_event
from .waitlist import tidy_and_count, tidy_and_offer


def booking_create(
    *,
    customer: User,
    departure_id: int,
    seats: int,
    contact_name: str,
    contact_phone: str,
    travellers: Sequence | None = None,
    language: str | None = None,
    produce: Sequence | None = None,
    pickup_counter=None,
) -> Booking:
    """Books ``seats`` on a departure for ``customer``: confirmed at once, the
    price of each traveller copied from the departure's fares.

    ``produce`` ([{"variant": id, "quantity": n}]) adds products made near the
    route's stops, collected at ``pickup_counter`` (a counter id from
    ``selectors.trip_counters``): an ordinary marketplace order
    (``order_place``: pickup code, stock held in the ledger), linked to the
    booking by a BookingProduce, its pickup deadline counted from the
    departure. Seats and order are one transaction: when the order is
    refused (InsufficientStock naming the product, InvalidQuantity, ...)
    nothing is booked. Also raises InvalidPickupCounter and
    ProduceNotNearRoute.

    Raises InvalidSeats, InvalidTravellers, TravellerTypeNotOffered,
    DepartureNotFound, DepartureNotBookable, SeatLimitReached (409: more than
    MAX_SEATS_PER_CUSTOMER seats of this customer on the departure) or
    DepartureFull (409 "full": the customer may join the waitlist instead).
    """
    if not produce:
        return _take_seats(
            customer=customer,
            departure_id=departure_id,
            seats=seats,
            contact_name=contact_name,
            contact_phone=contact_phone,
            travellers=travellers,
            language=language,
        )
    with transaction.atomic():
        # The departure is locked first, then (in order_place) the stock rows:
        # every booking with produce takes them in this order, and a plain
        # order takes no departure lock, so none of them can deadlock.
        booking = _take_seats(
            customer=customer,
            departure_id=departure_id,
            seats=seats,
            contact_name=contact_name,
            contact_phone=contact_phone,
            travellers=travellers,
            language=language,
        )
        _add_produce(
            booking=booking,
            customer=customer,
            lines=produce,
            pickup_counter=pickup_counter,
            language=language,
        )
    return booking


def _add_produce(*, booking: Booking, customer: User, lines, pickup_counter, language) -> None:
    from marketplace.models import ProductVariant
    from marketplace.services import order_place

    departure = booking.departure
    route = selectors.route_with_stops(route_id=departure.route_id)
    try:
        counter_id = int(pickup_counter)
    except (TypeError, ValueError):
        raise errors.InvalidPickupCounter() from None
    counter = next((c for c in selectors.trip_counters(route) if c.pk == counter_id), None)
    if counter is None:
        raise errors.InvalidPickupCounter()
    allowed = {
        variant.pk
        for product in selectors.route_bring_home(route, limit=None, with_variants=True)
        for variant in product.variants_on_sale
    }
    wanted = []
    for line in lines:
        variant = line.get("variant") if isinstance(line, dict) else None
        variant_id = variant.pk if isinstance(variant, ProductVariant) else variant
        if (
            isinstance(variant_id, int)
            and not isinstance(variant_id, bool)
            and variant_id not in allowed
        ):
            found = ProductVariant.objects.select_related("product").filter(pk=variant_id).first()
            raise errors.ProduceNotNearRoute(
                _("%(variant)s is not made near this route's stops.")
                % {"variant": f"{found.product} {found}" if found else variant_id}
            )
        wanted.append(line)
    order = order_place(
        customer=customer,
        counter=counter,
        lines=wanted,
        language=booking_language(language),
        collect_from=departure.starts_at,
    )
    BookingProduce.objects.create(booking=booking, order=order, leg=counter.leg)
    log_event(
        departure_id=departure.pk,
        booking=booking,
        by=customer,
        from_status=booking.status,
        to_status=booking.status,
        reason=f"produce order {order.pk} at counter {counter.pk} ({counter.leg})",
    )


def booking_hold(
    *,
    customer: User,
    departure_id: int,
    seats: int,
    contact_name: str,
    contact_phone: str,
    minutes: int,
    travellers: Sequence | None = None,
    language: str | None = None,
    per_customer_cap: bool = True,
) -> Booking:
    """Holds ``seats`` for ``minutes`` (at most until bookings close): a
    reseller's reservation (OCTO's ON_HOLD). The seats count against the
    capacity until the deadline, then lapse like a waitlist offer's and go
    to the waitlist; ``booking_confirm`` turns the hold into a booking.
    ``per_customer_cap=False`` for a reseller, whose bookings are many
    travellers' (MAX_SEATS_PER_CUSTOMER is one person's limit).

    Raises what ``booking_create`` raises.
    """
    return _take_seats(
        customer=customer,
        departure_id=departure_id,
        seats=seats,
        contact_name=contact_name,
        contact_phone=contact_phone,
        travellers=travellers,
        language=language,
        hold_minutes=minutes,
        per_customer_cap=per_customer_cap,
    )


def _take_seats(
    *,
    customer: User,
    departure_id: int,
    seats: int,
    contact_name: str,
    contact_phone: str,
    travellers: Sequence | None,
    language: str | None,
    hold_minutes: int | None = None,
    per_customer_cap: bool = True,
) -> Booking:
    seats = check_seats(seats)
    contact_name, contact_phone = check_contact(contact_name, contact_phone)
    people = traveller_list(seats, travellers)
    with transaction.atomic():
        departure = lock_departure(departure_id)
        now = timezone.now()
        ensure_bookable(departure, now)
        check_route_limits(departure, seats)
        prices = seat_prices(departure, people)
        # People already waiting come first: expired holds are passed on to
        # them before a newcomer can take the seats.
        counts = tidy_and_count(departure, customer, now)
        if per_customer_cap:
            check_customer_seats(counts, seats)
        left = departure.capacity - counts.taken
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
        held = hold_minutes is not None
        booking = create_booking(
            departure=departure,
            customer=customer,
            seats=seats,
            contact_name=contact_name,
            contact_phone=contact_phone,
            travellers=people,
            prices=prices,
            status=S.HELD if held else S.CONFIRMED,
            now=now,
            language=booking_language(language),
            hold_expires_at=_hold_deadline(departure, now, hold_minutes) if held else None,
        )
        log_event(
            departure_id=departure.pk,
            booking=booking,
            by=customer,
            to_status=booking.status,
            reason=gettext_noop("held") if held else gettext_noop("booked"),
        )
        if not held:
            notify_booking(booking, "confirmed")
        bump("tours")
    return booking


def _hold_deadline(departure, now, minutes) -> "dt.datetime":
    return min(now + dt.timedelta(minutes=minutes), departure.booking_closes_at)


def booking_set_contact(
    *, booking: Booking, contact_name: str, contact_phone: str, by: User | None
) -> Booking:
    """Whom to call about the booking (a reseller's lead traveller, once known)."""
    contact_name, contact_phone = check_contact(contact_name, contact_phone)
    with transaction.atomic():
        departure, booking = relock(booking)
        booking.contact_name, booking.contact_phone = contact_name, contact_phone
        booking.save(update_fields=["contact_name", "contact_phone", "updated_at"])
        log_event(
            departure_id=departure.pk,
            booking=booking,
            by=by,
            from_status=booking.status,
            to_status=booking.status,
            reason=gettext_noop("contact changed"),
        )
    return booking


def booking_extend_hold(*, booking: Booking, minutes: int, by: User | None) -> Booking:
    """Holds the seats ``minutes`` from now instead (at most until bookings
    close). Raises InvalidTransition unless the booking is held, HoldExpired
    once its deadline has passed (the seats went back at the deadline)."""
    with transaction.atomic():
        departure, booking = relock(booking)
        now = timezone.now()
        if booking.status != S.HELD:
            raise errors.InvalidTransition(_("Only held seats can be held for longer."))
        if booking.is_hold_expired(now):
            raise errors.HoldExpired()
        booking.hold_expires_at = _hold_deadline(departure, now, minutes)
        booking.save(update_fields=["hold_expires_at", "updated_at"])
        log_event(
            departure_id=departure.pk,
            booking=booking,
            by=by,
            from_status=S.HELD,
            to_status=S.HELD,
            reason=gettext_noop("hold extended"),
        )
        bump("tours")
    return booking


# Bookings that can move to another date: held offers are confirmed first.
RESCHEDULABLE = (S.CONFIRMED, S.PAID)


def booking_reschedule(*, booking: Booking, departure_id, by: User | None) -> Booking:
    """Moves a confirmed (or paid) booking to another departure of the same
    route, with its travellers and code; the fares are the new departure's.

    Both departures are row-locked in primary-key order (as every service
    that locks several), so two reschedules crossing between the same two
    departures cannot deadlock, and the seats move at once: the new
    departure's capacity is checked under its lock, and the seats freed on
    the old one are offered to its waitlist in the same transaction. Both
    departures' audit trails get a ``BookingEvent``; the customer an e-mail.

    Raises DepartureNotFound, OtherRoute, InvalidTransition (already there,
    not confirmed, or the old departure has left), BookingMoved,
    DepartureNotBookable, InvalidSeats (the route's limits),
    TravellerTypeNotOffered, SeatLimitReached or DepartureFull.
    """
    try:
        target_id = int(departure_id)
    except (TypeError, ValueError):
        raise errors.DepartureNotFound() from None
    source_id = booking.departure_id
    if target_id == source_id:
        raise errors.InvalidTransition(_("The booking is already on this departure."))
    with transaction.atomic():
        locked = {pk: lock_departure(pk) for pk in sorted((source_id, target_id))}
        source, target = locked[source_id], locked[target_id]
        fresh = Booking.objects.get(pk=booking.pk)
        if fresh.departure_id != source_id:
            raise errors.BookingMoved()
        fresh.departure = source
        if target.route_id != source.route_id:
            raise errors.OtherRoute()
        if fresh.status not in RESCHEDULABLE:
            raise errors.InvalidTransition(
                _("A booking that is “%(current)s” cannot be moved to another date.")
                % {"current": Booking.Status(fresh.status).label}
            )
        now = timezone.now()
        if now >= source.starts_at:
            raise errors.InvalidTransition(
                _("This departure has already left; the booking can't be moved now.")
            )
        ensure_bookable(target, now)
        check_route_limits(target, fresh.seats)
        travellers = list(fresh.travellers.all())
        prices = seat_prices(
            target, [Traveller(name=t.name, type=t.traveller_type) for t in travellers]
        )
        # As for a new booking: the people waiting for the new date come first.
        counts = tidy_and_count(target, fresh.customer, now)
        check_customer_seats(counts, fresh.seats)
        left = target.capacity - counts.taken
        if fresh.seats > left:
            if left <= 0:
                raise errors.DepartureFull(_("That departure is full."))
            raise errors.DepartureFull(
                ngettext(
                    "Only %(left)s seat is left on that departure.",
                    "Only %(left)s seats are left on that departure.",
                    left,
                )
                % {"left": left}
            )
        old_total = fresh.total_price
        fresh.departure = target
        fresh.total_price = sum(prices, Decimal("0"))
        fresh.save(update_fields=["departure", "total_price", "updated_at"])
        for traveller, price in zip(travellers, prices, strict=True):
            traveller.price = price
        BookingTraveller.objects.bulk_update(travellers, ["price"])
        moved = f"{source.date:%Y-%m-%d} {source.start_time:%H:%M} → {target.date:%Y-%m-%d} {target.start_time:%H:%M}"
        totals = f"total {old_total} → {fresh.total_price}"
        for departure, reason in (
            (source, f"rescheduled away: {moved}, {totals}"),
            (target, f"rescheduled here: {moved}, {totals}"),
        ):
            log_event(
                departure_id=departure.pk,
                booking=fresh,
                by=by,
                from_status=fresh.status,
                to_status=fresh.status,
                reason=reason,
            )
        # Produce collected on the trip: its deadline counts from the new date.
        if fresh.produce_order is not None:
            from marketplace.services import order_collect_from

            order_collect_from(order=fresh.produce_order, collect_from=target.starts_at, by=by)
        # The freed seats go to the old departure's waitlist, in order.
        tidy_and_offer(source, now)
        notify_booking(fresh, "rescheduled")
        bump("tours")
    return fresh


def booking_confirm(*, booking: Booking, by: User | None) -> Booking:
    """The customer accepts seats offered from the waitlist before the deadline.

    Raises HoldExpired after the deadline (the seats already went back: they
    stopped counting at the deadline, and ``lapse_holds`` passes them on).
    """
    with transaction.atomic():
        _departure, booking = relock(booking)
        if booking.status != S.HELD:
            raise errors.InvalidTransition(
                _("Only seats offered from the waitlist need confirming.")
            )
        if booking.is_hold_expired(timezone.now()):
            raise errors.HoldExpired()
        booking_transition(
            booking=booking,
            to=S.CONFIRMED,
            actor=Actor.CUSTOMER,
            by=by,
            reason=gettext_noop("offer accepted"),
        )
        notify_booking(booking, "confirmed")
    return booking


def booking_cancel(
    *,
    booking: Booking,
    by: User | None,
    reason: str = "",
    by_operator: bool = False,
    cancel_order: bool = False,
) -> Booking:
    """Cancels a booking and offers its seats to the waitlist, in order.

    Customers may cancel an active booking until the departure starts;
    operators (``by_operator``) at any time before check-in.

    ``cancel_order``: the booking's produce order is cancelled too, in the
    same transaction, through the marketplace's ``order_transition`` (its
    hold released in the ledger) by the customer. An order the counter is
    already preparing can't be cancelled by the customer: then nothing is
    cancelled and the order's refusal is raised. Without it the order stays.
    """
    with transaction.atomic():
        departure, booking = relock(booking)
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
            actor=Actor.OPERATOR if by_operator else Actor.CUSTOMER,
            by=by,
            reason=reason
            or ("cancelled by the operator" if by_operator else "cancelled by the customer"),
        )
        if cancel_order:
            _cancel_produce(booking=booking, by=by)
        elif by_operator:
            cancel_produce_on_the_way(booking)
        if by_operator:
            notify_booking(booking, "cancelled")
        tidy_and_offer(departure, now)
        bump("tours")
    return booking


def _cancel_produce(*, booking: Booking, by: User | None) -> None:
    from marketplace.services import order_transition

    link = BookingProduce.objects.filter(booking=booking).select_related("order").first()
    if link is None or not link.order.is_open:
        return
    order_transition(
        order=link.order,
        to=link.order.Status.CANCELLED,
        by=by,
        reason=gettext_noop("the tour booking was cancelled"),
    )


def cancel_produce_on_the_way(booking: Booking) -> None:
    """The operator cancelled the trip: produce to be collected at a counter
    *on the way* can't be, so its order is cancelled too (by the system, the
    customer e-mailed with the reason) while the counter hasn't started on it;
    an order the counter is preparing is left to its staff, and one collected
    on return, at a Dongcheng counter the customer can still reach, stays."""
    from marketplace.models import Order
    from marketplace.services import order_transition

    link = BookingProduce.objects.filter(booking=booking).select_related("order").first()
    if (
        link is None
        or link.leg != BookingProduce.Leg.ON_THE_WAY
        or link.order.status != Order.Status.PLACED
    ):
        return
    order_transition(
        order=link.order,
        to=Order.Status.CANCELLED,
        by=None,
        reason=gettext_noop("the tour operator cancelled the trip it was to be collected on"),
    )


def booking_record_payment(
    *, booking: Booking, by: User | None, method: str, timing: str
) -> Booking:
    """Records that the booking was paid (in advance or on the day)."""
    if method not in PaymentMethod.values:
        raise DomainError(_("Choose a payment method."), code="invalid_payment")
    if timing not in Booking.PaymentTiming.values:
        raise DomainError(
            _("Say whether it was paid in advance or on the day."), code="invalid_payment"
        )
    with transaction.atomic():
        _departure, booking = relock(booking)
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
            booking_transition(
                booking=booking, to=S.PAID, actor=Actor.OPERATOR, by=by, reason=reason
            )
        else:  # paid at check-in: the status stays, the payment is still audited
            log_event(
                departure_id=booking.departure_id,
                booking=booking,
                by=by,
                from_status=booking.status,
                to_status=booking.status,
                reason=reason,
            )
    return booking


def booking_check_in(*, booking: Booking, by: User | None) -> Booking:
    """The operator lets the travellers on: from the day of the departure."""
    with transaction.atomic():
        departure, booking = relock(booking)
        if timezone.localdate() < departure.date:
            raise errors.TooEarly(_("Travellers can be checked in from the day of the departure."))
        booking_transition(
            booking=booking,
            to=S.CHECKED_IN,
            actor=Actor.OPERATOR,
            by=by,
            reason=gettext_noop("checked in"),
        )
    return booking


def booking_mark_no_show(*, booking: Booking, by: User | None) -> Booking:
    """The operator records that nobody came: only once the departure started."""
    with transaction.atomic():
        departure, booking = relock(booking)
        if timezone.now() < departure.starts_at:
            raise errors.TooEarly(
                _("A no-show can only be recorded once the departure has started.")
            )
        booking_transition(
            booking=booking,
            to=S.NO_SHOW,
            actor=Actor.OPERATOR,
            by=by,
            reason=gettext_noop("did not come"),
        )
    return booking


def booking_by_code_for_operator(
    *, code: str, user: User | AnonymousUser, within: QuerySet[Booking] | None = None
) -> Booking:
    """A booking on one of the user's routes by its code, typed or scanned
    (the check-in desk). ``within`` is the bookings the caller shows this user
    (an admin site's queryset: district staff see every route's); by default
    those on the routes of the user's organizations. Raises BookingNotFound
    for anyone else's."""
    normalised = codes.normalise(code)
    bookings = selectors.operator_bookings(user=user) if within is None else within
    booking = bookings.filter(code=normalised).first()
    if booking is None:
        raise errors.BookingNotFound()
    return booking
