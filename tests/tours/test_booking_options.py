"""Fares per traveller type (student included), the route's fewest and most
travellers per booking, the price breakdown, and moving a booking to another
departure of the same route (seats moved at once, the freed departure's
waitlist promoted, audited, e-mailed)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.factories import UserFactory
from tours import errors, selectors, services
from tours.models import Booking, BookingEvent, TravellerType, WaitlistEntry

from .factories import DepartureFactory, DeparturePriceFactory, RouteFactory

pytestmark = pytest.mark.django_db


def test_every_traveller_type_has_its_fare(departure, customer, book):
    # given fares for all four types (adult from the route's base price)
    for kind, amount in (("senior", "80.00"), ("student", "50.00")):
        DeparturePriceFactory(departure=departure, traveller_type=kind, amount=amount)
    assert {t.value for t in TravellerType} == {"adult", "child", "senior", "student"}
    # when one of each books
    people = [{"name": k, "type": k} for k in ("adult", "child", "senior", "student")]
    booking = book(departure, customer, seats=4, travellers=people)
    # then each pays their own fare
    assert [(t.traveller_type, t.price) for t in booking.travellers.all()] == [
        ("adult", Decimal("100.00")),
        ("child", Decimal("60.00")),
        ("senior", Decimal("80.00")),
        ("student", Decimal("50.00")),
    ]
    assert booking.total_price == Decimal("290.00")


def test_a_type_without_a_fare_is_refused(departure, customer, book):
    with pytest.raises(errors.TravellerTypeNotOffered):
        book(departure, customer, travellers=[{"name": "S", "type": "student"}])
    assert Booking.objects.count() == 0


def test_the_breakdown_groups_travellers_by_type(departure):
    DeparturePriceFactory(departure=departure, traveller_type="student", amount="50.00")
    departure = selectors.bookable_departure(
        route_slug=departure.route.slug, departure_id=departure.pk
    )
    quote = selectors.booking_quote(departure, ["adult", "child", "adult", "student"])
    assert [(line.type, line.count, line.unit_price, line.subtotal) for line in quote.lines] == [
        ("adult", 2, Decimal("100.00"), Decimal("200.00")),
        ("child", 1, Decimal("60.00"), Decimal("60.00")),
        ("student", 1, Decimal("50.00"), Decimal("50.00")),
    ]
    assert quote.total == Decimal("310.00") and quote.seats == 4
    # a type without a fare is left out, not priced
    assert selectors.booking_quote(departure, ["senior"]).total == Decimal("0")


@pytest.mark.parametrize(
    ("limits", "seats", "ok"),
    [
        ((2, 6), 1, False),
        ((2, 6), 2, True),
        ((2, 6), 6, True),
        ((2, 6), 7, False),
        ((3, 3), 2, False),
    ],
)
def test_the_routes_fewest_and_most_travellers(departure, customer, book, limits, seats, ok):
    route = departure.route
    route.min_travellers, route.max_travellers = limits
    route.save()
    if ok:
        assert book(departure, customer, seats=seats).seats == seats
        return
    with pytest.raises(errors.InvalidSeats) as caught:
        book(departure, customer, seats=seats)
    assert caught.value.status_code == 400
    assert str(limits[0]) in str(caught.value.message)
    assert Booking.objects.count() == 0


def test_waitlist_respects_the_routes_limits(departure, customer, book, wait):
    book(departure, UserFactory(), seats=10)
    route = departure.route
    route.min_travellers = 2
    route.save()
    with pytest.raises(errors.InvalidSeats):
        wait(departure, customer, seats=1)
    assert WaitlistEntry.objects.count() == 0


def test_min_above_max_is_a_validation_error(route):
    from django.core.exceptions import ValidationError

    route.min_travellers, route.max_travellers = 5, 3
    with pytest.raises(ValidationError):
        route.full_clean()


# --- Reschedule ------------------------------------------------------------------------


@pytest.fixture
def later(departure):
    later = DepartureFactory(route=departure.route, date=departure.date + dt.timedelta(days=7))
    DeparturePriceFactory(departure=later, traveller_type="child", amount="50.00")
    return later


def test_reschedule_moves_seats_reprices_and_audits(
    departure, later, customer, book, django_capture_on_commit_callbacks
):
    people = [{"name": "王芳", "type": "adult"}, {"name": "小明", "type": "child"}]
    booking = book(departure, customer, seats=2, travellers=people)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moved = services.booking_reschedule(booking=booking, departure_id=later.pk, by=customer)
    moved.refresh_from_db()
    assert moved.departure_id == later.pk and moved.code == booking.code
    assert moved.status == Booking.Status.CONFIRMED
    assert moved.total_price == Decimal("150.00")  # the new departure's child fare
    assert [(t.name, t.price) for t in moved.travellers.all()] == [
        ("王芳", Decimal("100.00")),
        ("小明", Decimal("50.00")),
    ]
    assert selectors.seats_taken(departure=departure) == 0
    assert selectors.seats_taken(departure=later) == 2
    events = BookingEvent.objects.filter(booking=moved, reason__startswith="rescheduled")
    assert sorted(e.departure_id for e in events) == sorted([departure.pk, later.pk])
    assert all(e.actor == customer for e in events)
    assert "160.00 → 150.00" in events.first().reason
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["bob@example.org"]
    assert booking.code in mail.outbox[0].subject


def test_reschedule_promotes_the_waitlist_of_the_freed_departure(
    departure, later, customer, book, wait
):
    booking = book(departure, customer, seats=3)
    book(departure, UserFactory(), seats=7)
    waiting = wait(departure, UserFactory(), seats=2)
    services.booking_reschedule(booking=booking, departure_id=later.pk, by=customer)
    waiting.refresh_from_db()
    assert waiting.status == WaitlistEntry.Status.OFFERED
    assert waiting.booking.status == Booking.Status.HELD
    assert selectors.seats_taken(departure=departure) == 9


def test_reschedule_into_a_full_departure_is_refused_and_writes_nothing(
    departure, later, customer, book
):
    booking = book(departure, customer, seats=2)
    book(later, UserFactory(), seats=9)
    before = BookingEvent.objects.count()
    with translation.override("en"), pytest.raises(errors.DepartureFull) as caught:
        services.booking_reschedule(booking=booking, departure_id=later.pk, by=customer)
    assert caught.value.status_code == 409 and "1 seat" in str(caught.value.message)
    booking.refresh_from_db()
    assert booking.departure_id == departure.pk and BookingEvent.objects.count() == before


def test_reschedule_refusals(departure, later, customer, book):
    booking = book(departure, customer)
    other_route = DepartureFactory(route=RouteFactory(), date=later.date)
    with pytest.raises(errors.OtherRoute):
        services.booking_reschedule(booking=booking, departure_id=other_route.pk, by=customer)
    with pytest.raises(errors.InvalidTransition):
        services.booking_reschedule(booking=booking, departure_id=departure.pk, by=customer)
    with pytest.raises(errors.DepartureNotFound):
        services.booking_reschedule(booking=booking, departure_id="x", by=customer)
    with pytest.raises(errors.DepartureNotFound):
        services.booking_reschedule(booking=booking, departure_id=99999, by=customer)
    later.status = later.Status.CLOSED
    later.save()
    with pytest.raises(errors.DepartureNotBookable):
        services.booking_reschedule(booking=booking, departure_id=later.pk, by=customer)
    services.booking_cancel(booking=booking, by=customer)
    later.status = later.Status.SCHEDULED
    later.save()
    with pytest.raises(errors.InvalidTransition):
        services.booking_reschedule(booking=booking, departure_id=later.pk, by=customer)


def test_reschedule_needs_the_fares_of_the_travellers(departure, customer, book):
    booking = book(departure, customer, travellers=[{"name": "小明", "type": "child"}])
    no_child_fare = DepartureFactory(route=departure.route, date=departure.date + dt.timedelta(1))
    with pytest.raises(errors.TravellerTypeNotOffered):
        services.booking_reschedule(booking=booking, departure_id=no_child_fare.pk, by=customer)


def test_reschedule_locks_both_departures_in_id_order(departure, later, customer, book):
    # later was created after departure: moving back must still lock the lower id first
    if not connection.features.has_select_for_update:
        pytest.skip("SQLite takes no row locks (FOR UPDATE is PostgreSQL's)")
    booking = book(departure, customer)
    booking = services.booking_reschedule(booking=booking, departure_id=later.pk, by=customer)
    with CaptureQueriesContext(connection) as queries:
        services.booking_reschedule(booking=booking, departure_id=departure.pk, by=customer)
    locks = [
        q["sql"] for q in queries if "FOR UPDATE" in q["sql"] and '"tours_departure"' in q["sql"]
    ]
    assert len(locks) == 2
    assert f"= {departure.pk}" in locks[0] and f"= {later.pk}" in locks[1]
