"""Concurrency of reschedules, each thread with its own PostgreSQL connection:
two customers moving into the last seat of a departure at the same moment
(never oversold), and two bookings crossing between the same two departures
in opposite directions (no deadlock: both lock in id order)."""

import datetime as dt
import threading

import pytest
from django.db import connection

from tests.factories import UserFactory
from tours import errors, selectors, services

from .factories import DepartureFactory


def _run_all(calls) -> list[str]:
    barrier = threading.Barrier(len(calls))
    results: list[str] = []
    lock = threading.Lock()

    def run(call):
        try:
            barrier.wait(timeout=30)
            try:
                call()
                outcome = "moved"
            except errors.DepartureFull:
                outcome = "full"
            except Exception as exc:  # anything else (a deadlock) fails the test
                outcome = f"error: {exc!r}"
            with lock:
                results.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def _move(booking, target):
    return lambda: services.booking_reschedule(
        booking=booking, departure_id=target.pk, by=booking.customer
    )


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_two_reschedules_into_the_last_seat_never_oversell(route, book):
    # given a later departure with one seat left, and two bookings elsewhere
    first = DepartureFactory(route=route, capacity=10)
    second = DepartureFactory(route=route, capacity=10, date=first.date + dt.timedelta(days=1))
    last = DepartureFactory(route=route, capacity=5, date=first.date + dt.timedelta(days=7))
    book(last, UserFactory(), seats=4)
    a, b = book(first, UserFactory()), book(second, UserFactory())
    for _round in range(3):
        a.refresh_from_db()
        b.refresh_from_db()
        # when both move into that seat at the same moment
        results = _run_all([_move(a, last), _move(b, last)])
        # then exactly one gets it, the other is told it is full
        assert sorted(results) == ["full", "moved"], results
        assert selectors.seats_taken(departure=last) == 5
        assert selectors.seats_taken(departure=first) + selectors.seats_taken(departure=second) == 1
        # put the one who moved back for the next round
        for booking, home in ((a, first), (b, second)):
            booking.refresh_from_db()
            if booking.departure_id == last.pk:
                services.booking_reschedule(booking=booking, departure_id=home.pk, by=None)


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_crossing_reschedules_do_not_deadlock(route, book):
    one = DepartureFactory(route=route, capacity=10)
    two = DepartureFactory(route=route, capacity=10, date=one.date + dt.timedelta(days=1))
    for _round in range(5):
        a, b = book(one, UserFactory()), book(two, UserFactory())
        results = _run_all([_move(a, two), _move(b, one)])
        assert results == ["moved", "moved"], results
    assert selectors.seats_taken(departure=one) == 5
    assert selectors.seats_taken(departure=two) == 5
