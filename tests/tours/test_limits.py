"""Per-customer caps (issue 11, point 7): one account cannot take a whole
departure nor camp on every waitlist. MAX_SEATS_PER_CUSTOMER counts the seats
of a customer's bookings that count and waitlist entries still waiting on one
departure; MAX_OPEN_WAITLIST_ENTRIES the entries waiting at once."""

import datetime as dt
import itertools
import threading

import pytest
from django.db import connection
from django.utils import timezone, translation
from rest_framework.test import APIClient

from tests.factories import UserFactory
from tours import errors, services
from tours.models import Booking, BookingEvent, WaitlistEntry

from .factories import DepartureFactory
from .test_views import post_booking, post_waitlist

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(_default_language):
    """The messages asserted below are the English msgids."""
    with translation.override("en"):
        yield


@pytest.fixture
def caps(settings):
    settings.MAX_SEATS_PER_CUSTOMER = 4
    settings.MAX_OPEN_WAITLIST_ENTRIES = 2


def counts() -> tuple[int, int, int]:
    return Booking.objects.count(), WaitlistEntry.objects.count(), BookingEvent.objects.count()


def test_seats_per_departure_are_capped_across_bookings(caps, departure, customer, book):
    # given 3 seats booked by the customer
    book(departure, customer, seats=3)
    before = counts()
    # when they book 2 more on the same departure
    with pytest.raises(errors.SeatLimitReached) as refused:
        book(departure, customer, seats=2)
    # then it is refused with the cap and what they have, nothing written
    assert refused.value.code == "seat_limit" and refused.value.status_code == 409
    message = str(refused.value.message)
    assert "at most 4 seats" in message and "already have 3" in message
    assert counts() == before
    # one more is fine, and others can book
    book(departure, customer, seats=1)
    book(departure, UserFactory(), seats=4)


def test_cancelled_bookings_do_not_count(caps, departure, customer, book):
    services.booking_cancel(booking=book(departure, customer, seats=4), by=customer)
    assert book(departure, customer, seats=4).status == "confirmed"


def test_the_seat_cap_counts_waitlisted_seats_too(caps, route, customer, book, wait):
    # given a full departure where the customer booked 2 and waits for 2 more
    departure = DepartureFactory(route=route, capacity=4)
    book(departure, customer, seats=2)
    book(departure, UserFactory(), seats=2)
    wait(departure, customer, seats=2)
    # when someone cancels and 1 seat frees up, the customer cannot book it on top
    other = Booking.objects.exclude(customer=customer).get()
    services.booking_cancel(booking=other, by=other.customer)
    # (their waiting 2 were offered as a held booking: 4 seats, the cap)
    assert Booking.objects.filter(customer=customer, status="held").get().seats == 2
    with pytest.raises(errors.SeatLimitReached):
        book(departure, customer, seats=1)


def test_joining_a_waitlist_past_the_seat_cap_is_refused(caps, route, customer, book, wait):
    departure = DepartureFactory(route=route, capacity=5)
    book(departure, customer, seats=3)
    book(departure, UserFactory(), seats=2)
    with pytest.raises(errors.SeatLimitReached):
        wait(departure, customer, seats=2)
    assert wait(departure, customer, seats=1).status == "waiting"


DAYS = itertools.count(20)  # one departure a day on the route: (route, date, time) is unique


def new_departure(route, capacity: int):
    return DepartureFactory(
        route=route, capacity=capacity, date=timezone.localdate() + dt.timedelta(days=next(DAYS))
    )


def full_departures(route, n: int, book):
    departures = []
    for _ in range(n):
        departure = new_departure(route, 1)
        book(departure, UserFactory(), seats=1)
        departures.append(departure)
    return departures


def test_open_waitlist_entries_are_capped(caps, route, customer, book, wait):
    # given the customer waiting on 2 full departures
    first, second, third = full_departures(route, 3, book)
    entry = wait(first, customer)
    wait(second, customer)
    before = counts()
    # when they join a third waitlist
    with pytest.raises(errors.WaitlistLimitReached) as refused:
        wait(third, customer)
    # then it is refused, nothing written
    assert refused.value.code == "waitlist_limit"
    assert "at most 2 departures" in str(refused.value.message)
    assert counts() == before
    # leaving one makes room
    services.waitlist_leave(entry=entry, by=customer)
    assert wait(third, customer).status == "waiting"


def test_the_api_answers_409_with_the_limit(caps, route, customer, departure, book, wait):
    api = APIClient()
    api.force_authenticate(customer)
    api.credentials(HTTP_ACCEPT_LANGUAGE="en")
    book(departure, customer, seats=4)
    response = api.post(
        "/api/v1/bookings/",
        {
            "departure": departure.pk,
            "seats": 1,
            "contact_name": "王芳",
            "contact_phone": "13800000000",
        },
        format="json",
    )
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "seat_limit"
    assert "at most 4 seats" in response.json()["detail"]
    # and the waitlist cap
    departures = full_departures(route, 3, book)
    for departure in departures[:2]:
        wait(departure, customer)
    response = api.post(
        f"/api/v1/departures/{departures[2].pk}/waitlist/",
        {"seats": 1, "contact_name": "王芳", "contact_phone": "13800000000"},
        format="json",
    )
    assert response.status_code == 409, response.content
    data = response.json()
    assert data["code"] == "waitlist_limit" and "at most 2 departures" in data["detail"]


def test_the_booking_and_waitlist_pages_say_why(caps, client, route, customer, book, wait):
    # given a customer with 4 seats on a departure and 2 waitlist entries
    client.force_login(customer)
    departure = DepartureFactory(route=route, capacity=10)
    book(departure, customer, seats=4)
    first, second, third = full_departures(route, 3, book)
    wait(first, customer)
    wait(second, customer)
    before = counts()
    with translation.override("en"):  # reverse() gives /en/ pages
        # when they book one more seat, and join a third waitlist, on the web
        booked = post_booking(client, departure, [("王芳", "adult")])
        joined = post_waitlist(client, third, [("王芳", "adult")])
    # then each page answers 409 with the limit, and nothing is written
    assert booked.status_code == 409
    assert "at most 4 seats" in booked.content.decode()
    assert joined.status_code == 409
    assert "at most 2 departures" in joined.content.decode()
    assert counts() == before


# --- Under concurrency (PostgreSQL) ---------------------------------------------------------


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_one_customers_parallel_waitlist_joins_cannot_pass_the_cap(settings, route):
    # given a cap of 2 entries and 8 full departures
    settings.MAX_OPEN_WAITLIST_ENTRIES = 2
    customer = UserFactory(username="camper")
    departures = []
    for _ in range(8):
        departure = new_departure(route, 1)
        services.booking_create(
            customer=UserFactory(),
            departure_id=departure.pk,
            seats=1,
            contact_name="x",
            contact_phone="13800000000",
        )
        departures.append(departure)
    barrier = threading.Barrier(len(departures))
    results, lock = [], threading.Lock()

    def join(departure):
        try:
            barrier.wait(timeout=30)
            try:
                services.waitlist_join(
                    customer=customer,
                    departure_id=departure.pk,
                    seats=1,
                    contact_name="x",
                    contact_phone="13800000000",
                )
                outcome = "joined"
            except errors.WaitlistLimitReached:
                outcome = "limit"
            except Exception as exc:  # a deadlock or anything else fails the test
                outcome = f"error: {exc!r}"
            with lock:
                results.append(outcome)
        finally:
            connection.close()

    # when the customer joins all 8 waitlists at the same moment
    threads = [threading.Thread(target=join, args=(d,)) for d in departures]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    # then exactly 2 entries exist
    print(f"\nwaitlist cap race: 8 parallel joins, cap 2 -> {results.count('joined')} joined")
    assert sorted(results) == ["joined"] * 2 + ["limit"] * 6, results
    assert WaitlistEntry.objects.filter(customer=customer, status="waiting").count() == 2


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_one_customers_parallel_bookings_cannot_pass_the_seat_cap(settings, route):
    # given a cap of 4 seats and a departure with room for 30
    settings.MAX_SEATS_PER_CUSTOMER = 4
    customer = UserFactory(username="grabber")
    departure = DepartureFactory(route=route, capacity=30)
    barrier = threading.Barrier(10)
    results, lock = [], threading.Lock()

    def book():
        try:
            barrier.wait(timeout=30)
            try:
                services.booking_create(
                    customer=customer,
                    departure_id=departure.pk,
                    seats=1,
                    contact_name="x",
                    contact_phone="13800000000",
                )
                outcome = "booked"
            except errors.SeatLimitReached:
                outcome = "limit"
            except Exception as exc:
                outcome = f"error: {exc!r}"
            with lock:
                results.append(outcome)
        finally:
            connection.close()

    # when 10 one-seat bookings of the customer arrive at once
    threads = [threading.Thread(target=book) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    # then exactly 4 seats are theirs
    assert sorted(results) == ["booked"] * 4 + ["limit"] * 6, results
    assert Booking.objects.filter(customer=customer).count() == 4
