"""Concurrency: many customers racing for the last seats, each thread with its
own PostgreSQL connection. The departure row lock must serialise them so
exactly the capacity is booked, never more (run on PostgreSQL, as in CI)."""

import threading
import time

import pytest
from django.db import connection

from tests.factories import UserFactory
from tours import errors, selectors, services
from tours.models import Booking, WaitlistEntry

from .factories import DepartureFactory

THREADS = 24


def _race(departure, users, seats_for, action="book"):
    barrier = threading.Barrier(len(users))
    results: list[tuple[str, int]] = []
    lock = threading.Lock()

    def run(user, seats):
        try:
            barrier.wait(timeout=30)
            try:
                if action == "book":
                    services.booking_create(
                        customer=user,
                        departure_id=departure.pk,
                        seats=seats,
                        contact_name="racer",
                        contact_phone="13800000000",
                    )
                    outcome = "booked"
                else:
                    services.booking_cancel(booking=user, by=None)
                    outcome = "cancelled"
            except errors.DepartureFull:
                outcome = "full"
            except Exception as exc:  # any other failure is a test failure
                outcome = f"error: {exc!r}"
            with lock:
                results.append((outcome, seats))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(u, seats_for(i))) for i, u in enumerate(users)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results, time.perf_counter() - started


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_last_seats_go_to_exactly_as_many_as_fit(route, book):
    # given 5 seats left out of 30
    departure = DepartureFactory(route=route, capacity=30)
    for seats in (10, 10, 5):
        book(departure, UserFactory(), seats=seats)
    users = [UserFactory() for _ in range(THREADS)]
    # when 24 customers book one seat each at the same moment
    results, elapsed = _race(departure, users, lambda i: 1)
    # then exactly 5 succeed, the rest are told it is full, nothing else happens
    outcomes = [o for o, _ in results]
    assert len(results) == THREADS
    assert outcomes.count("booked") == 5, outcomes
    assert outcomes.count("full") == THREADS - 5, outcomes
    assert selectors.seats_taken(departure=departure) == 30
    assert Booking.objects.filter(departure=departure).count() == 3 + 5
    print(
        f"\n[race] {THREADS} threads, 5 seats left of 30: 5 booked, {THREADS - 5} full, 30/30 taken, {elapsed:.2f}s"
    )


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_mixed_sizes_never_exceed_capacity(route):
    departure = DepartureFactory(route=route, capacity=20)
    users = [UserFactory() for _ in range(THREADS)]
    results, elapsed = _race(departure, users, lambda i: 1 + i % 3)
    booked = sum(seats for outcome, seats in results if outcome == "booked")
    assert all(o in ("booked", "full") for o, _ in results), results
    taken = selectors.seats_taken(departure=departure)
    assert taken == booked <= 20
    # Nobody was refused while their party still fitted: the last refusal saw fewer seats than it asked for.
    assert 20 - taken < 3
    print(
        f"\n[race] {THREADS} threads of 1–3 seats for 20: {taken} seats booked in {len([r for r in results if r[0] == 'booked'])} bookings, {elapsed:.2f}s"
    )


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_concurrent_cancellations_promote_each_waiting_entry_once(route, book, wait):
    # given a full departure of 10 one-seat bookings and 10 people waiting
    departure = DepartureFactory(route=route, capacity=10)
    bookings = [book(departure, UserFactory()) for _ in range(10)]
    waiting = [wait(departure, UserFactory()) for _ in range(10)]
    # when the 10 bookings are cancelled at the same moment
    results, _elapsed = _race(departure, bookings, lambda i: 1, action="cancel")
    assert [o for o, _ in results] == ["cancelled"] * 10
    # then every waiting entry got exactly one offer and the seats still add up
    statuses = list(
        WaitlistEntry.objects.filter(pk__in=[w.pk for w in waiting]).values_list(
            "status", flat=True
        )
    )
    assert statuses == ["offered"] * 10
    assert Booking.objects.filter(departure=departure, status="held").count() == 10
    assert selectors.seats_taken(departure=departure) == 10
