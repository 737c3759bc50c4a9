"""Two resellers racing for the last seats, each request in its own thread and
PostgreSQL connection: the departure's row lock lets exactly as many holds
through as fit, never more."""

import threading

import pytest
from django.db import connection

from tours import selectors as tour_selectors

from .conftest import Octo, make_reseller, reservation


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_two_resellers_race_for_the_last_seats(trip):
    route, departure = trip  # 6 seats
    first = Octo(make_reseller("race-a")[1])
    second = Octo(make_reseller("race-b")[1])
    assert first.post("/bookings", reservation(route, departure, ("adult",) * 3)).status_code == 200
    # 3 seats left; each reseller asks for 2, eight times over, at the same moment
    barrier = threading.Barrier(16)
    answers = []
    lock = threading.Lock()

    def run(octo):
        try:
            barrier.wait(timeout=30)
            response = Octo(octo).post("/bookings", reservation(route, departure))
            with lock:
                answers.append((response.status_code, response.json().get("error")))
        finally:
            connection.close()

    keys = [
        first.client._credentials["HTTP_AUTHORIZATION"].split()[1],
        second.client._credentials["HTTP_AUTHORIZATION"].split()[1],
    ]
    threads = [threading.Thread(target=run, args=(keys[n % 2],)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(answers) == 16
    assert answers.count((200, None)) == 1, answers
    assert answers.count((400, "UNPROCESSABLE_ENTITY")) == 15, answers
    assert tour_selectors.seats_taken(departure=departure) == 5
