"""Concurrency of bookings with produce (PostgreSQL): many customers racing
for the last seats and the last bags at once, while walk-in orders take bags
of the same stock. The departure's row lock, then the ledger's stock locks
(always in that order) must leave nothing oversold and no booking without its
order, nor an order without its booking."""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection

from marketplace import errors as market_errors
from marketplace.models import Order, Stock
from marketplace.services import order_place
from tests.factories import DistrictFactory, UserFactory
from tests.marketplace.factories import (
    CentreFactory,
    CentreOrgFactory,
    CounterFactory,
    ProducerFactory,
    ProductFactory,
    VariantFactory,
    VillageFactory,
    receive,
)
from tours import errors, selectors, services
from tours.models import Booking, BookingProduce

from .factories import DepartureFactory

TRIPPERS = 16
WALK_INS = 6
BAGS = 16
SEATS = 9


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_bookings_with_produce_racing_for_the_last_bags_and_seats(route):
    # given 9 seats and 16 bags of chestnuts at a counter on the way
    departure = DepartureFactory(route=route, capacity=SEATS)
    producer = ProducerFactory(
        area=VillageFactory(latitude=Decimal("40.400"), longitude=Decimal("116.600"))
    )
    bag = VariantFactory(product=ProductFactory(producer=producer))
    counter = CounterFactory(
        centre=CentreFactory(
            organization=CentreOrgFactory(district=DistrictFactory()),
            latitude=Decimal("40.410"),
            longitude=Decimal("116.670"),
        )
    )
    counter.producers.add(producer)
    receive(counter, bag, BAGS)
    trippers = [UserFactory() for _ in range(TRIPPERS)]
    walk_ins = [UserFactory() for _ in range(WALK_INS)]
    barrier = threading.Barrier(TRIPPERS + WALK_INS)
    results: list[tuple[str, str, int]] = []
    lock = threading.Lock()

    def trip(user, i):
        seats, bags = 1 + i % 2, 1 + i % 3  # 1–2 seats, 1–3 bags
        try:
            barrier.wait(timeout=30)
            try:
                services.booking_create(
                    customer=user,
                    departure_id=departure.pk,
                    seats=seats,
                    contact_name="racer",
                    contact_phone="13800000000",
                    produce=[{"variant": bag.pk, "quantity": bags}],
                    pickup_counter=counter.pk,
                )
                outcome = "booked"
            except errors.DepartureFull:
                outcome = "full"
            except market_errors.InsufficientStock:
                outcome = "sold out"
            except Exception as exc:  # any other failure (a deadlock) fails the test
                outcome = f"error: {exc!r}"
            with lock:
                results.append(("trip", outcome, bags))
        finally:
            connection.close()

    def walk_in(user):
        try:
            barrier.wait(timeout=30)
            try:
                order_place(customer=user, counter=counter, lines=[(bag.pk, 1)])
                outcome = "ordered"
            except market_errors.InsufficientStock:
                outcome = "sold out"
            except Exception as exc:
                outcome = f"error: {exc!r}"
            with lock:
                results.append(("walk-in", outcome, 1))
        finally:
            connection.close()

    threads = [threading.Thread(target=trip, args=(u, i)) for i, u in enumerate(trippers)]
    threads += [threading.Thread(target=walk_in, args=(u,)) for u in walk_ins]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    elapsed = time.perf_counter() - started

    # then every racer got an answer and nothing else went wrong
    assert len(results) == TRIPPERS + WALK_INS
    assert not [r for r in results if r[1].startswith("error")], results
    # nothing oversold: the bags held are those of the open orders, at most the stock
    stock = Stock.objects.get(counter=counter, variant=bag)
    ordered = sum(q for _kind, outcome, q in results if outcome in ("booked", "ordered"))
    assert stock.held == ordered <= BAGS == stock.on_hand
    # the seats at most the capacity
    assert selectors.seats_taken(departure=departure) <= SEATS
    # every booking has its order and every trip order its booking
    booked = Booking.objects.filter(departure=departure)
    assert booked.count() == BookingProduce.objects.count()
    assert booked.count() == sum(1 for kind, o, _q in results if o == "booked")
    assert Order.objects.count() == booked.count() + sum(
        1 for _k, o, _q in results if o == "ordered"
    )
    print(
        f"\n[race] {TRIPPERS} bookings with produce + {WALK_INS} walk-in orders for {BAGS} bags and "
        f"{SEATS} seats: {booked.count()} booked, {stock.held} bags held, "
        f"{selectors.seats_taken(departure=departure)} seats taken, {elapsed:.2f}s"
    )
