"""Concurrency on PostgreSQL: real threads, each with its own connection,
racing for the last units. Skipped on SQLite (which serialises writers)."""

import threading
from collections import Counter as Tally
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections

from marketplace import errors, services
from marketplace.models import Order, Stock, StockMovement
from marketplace.selectors import stock_mismatches, with_available
from tests.factories import UserFactory

from .factories import CounterFactory, ProducerFactory, VariantFactory, receive

pytestmark = [pytest.mark.race, pytest.mark.django_db(transaction=True)]

THREADS = 25


def run_together(jobs) -> list:
    """Runs each job in its own thread, released at the same moment."""
    barrier = threading.Barrier(len(jobs))

    def run(job):
        try:
            barrier.wait()
            return job()
        finally:
            connections.close_all()  # this thread's own connection

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))


def stocked_counter(*units: int):
    """A counter carrying one producer's variants, one a number in ``units``,
    each received in that quantity: (counter, [variants])."""
    producer = ProducerFactory()
    counter = CounterFactory(producers=[producer])
    variants = [VariantFactory(product__producer=producer) for _ in units]
    for variant, quantity in zip(variants, units, strict=True):
        receive(counter, variant, quantity)
    return counter, variants


def place_job(customer, counter, lines):
    def job():
        try:
            order = services.order_place(customer=customer, counter=counter, lines=lines)
        except errors.InsufficientStock:
            return "sold out"
        return order.pk

    return job


def test_25_buyers_race_for_the_last_7_units():
    counter, (variant,) = stocked_counter(7)
    customers = [UserFactory(username=f"racer{n}") for n in range(THREADS)]

    results = run_together([place_job(c, counter, [(variant.pk, 1)]) for c in customers])

    sold = [r for r in results if r != "sold out"]
    print(
        f"\nrace: {THREADS} threads for 7 units -> {len(sold)} orders, {results.count('sold out')} sold out"
    )
    assert len(sold) == 7
    assert results.count("sold out") == THREADS - 7
    stock = Stock.objects.get(variant=variant, counter=counter)
    assert (stock.on_hand, stock.held) == (7, 7)
    assert with_available(Stock.objects.filter(pk=stock.pk)).get().available == 0
    assert Order.objects.count() == 7
    assert StockMovement.objects.filter(kind="hold").count() == 7
    assert stock_mismatches() == []  # the ledger balances


def test_mixed_quantities_never_oversell():
    counter, (variant,) = stocked_counter(20)
    customers = [UserFactory(username=f"mixed{n}") for n in range(THREADS)]
    # 25 buyers asking for 1, 2 or 3 units each: 50 wanted, 20 there
    wanted = [1 + n % 3 for n in range(THREADS)]

    results = run_together(
        [place_job(c, counter, [(variant.pk, q)]) for c, q in zip(customers, wanted, strict=True)]
    )

    sold_units = sum(q for r, q in zip(results, wanted, strict=True) if r != "sold out")
    print(f"\nmixed race: {sum(wanted)} units wanted, 20 there -> {sold_units} reserved")
    assert sold_units <= 20
    stock = Stock.objects.get(variant=variant, counter=counter)
    assert stock.held == sold_units
    # every refusal was right: once at most 2 were left, nobody wanting 3 could have them
    assert 20 - sold_units < 3
    assert stock_mismatches() == []


def test_opposite_line_orders_do_not_deadlock():
    counter, (a, b) = stocked_counter(10, 10)
    customers = [UserFactory(username=f"cross{n}") for n in range(THREADS)]
    # half list A then B, half B then A: locks are still taken in primary-key order
    jobs = [
        place_job(c, counter, [(a.pk, 1), (b.pk, 1)] if n % 2 else [(b.pk, 1), (a.pk, 1)])
        for n, c in enumerate(customers)
    ]

    results = run_together(jobs)  # a deadlock would raise here (PostgreSQL detects it)

    assert len([r for r in results if r != "sold out"]) == 10
    for variant in (a, b):
        assert Stock.objects.get(variant=variant, counter=counter).held == 10
    assert stock_mismatches() == []


def test_cancel_and_collect_at_the_same_moment_only_one_wins():
    counter, (variant,) = stocked_counter(5)
    staff = UserFactory(username="race-staff", is_staff=True)
    outcomes = Tally()
    for n in range(5):
        customer = UserFactory(username=f"dual{n}")
        order = services.order_place(customer=customer, counter=counter, lines=[(variant.pk, 1)])
        services.order_transition(order=order, to="ready", by=staff)

        def collect(order=order):
            return services.order_transition(
                order=order, to="collected", by=staff, payment_method="cash"
            ).status

        def cancel(order=order):
            return services.order_transition(
                order=order, to="cancelled", by=staff, reason="race"
            ).status

        def guarded(job):
            def run():
                try:
                    return job()
                except errors.InvalidTransition:
                    return "refused"

            return run

        results = run_together([guarded(collect), guarded(cancel)])
        assert sorted(results)[1] == "refused" or sorted(results)[0] == "refused"
        assert results.count("refused") == 1
        outcomes[Order.objects.get(pk=order.pk).status] += 1
    assert sum(outcomes.values()) == 5
    stock = Stock.objects.get(variant=variant, counter=counter)
    assert stock.held == 0
    assert stock.on_hand == 5 - outcomes["collected"]
    assert stock_mismatches() == []


def test_reminders_sent_once_when_two_runs_overlap():
    from datetime import timedelta

    from django.utils import timezone

    counter, (variant,) = stocked_counter(10)
    for n in range(6):
        order = services.order_place(
            customer=UserFactory(username=f"remind{n}"), counter=counter, lines=[(variant.pk, 1)]
        )
        Order.objects.filter(pk=order.pk).update(
            pickup_deadline=timezone.now() + timedelta(hours=5)
        )

    sent = run_together([lambda: services.send_pickup_reminders() for _ in range(4)])

    assert sum(sent) == 6
    assert Order.objects.filter(reminder_sent_at__isnull=True).count() == 0


def test_the_same_checkout_sent_twice_at_once_places_one_order():
    import re

    from django.test import Client

    counter, (variant,) = stocked_counter(10)
    customer = UserFactory(username="double-click")
    first = Client()
    first.force_login(customer)
    first.post("/cart/add/", {"variant": variant.pk, "quantity": 2})
    token = re.search(
        r'name="token" value="([^"]+)"', first.get("/checkout/").content.decode()
    ).group(1)
    clients = [first, Client()]
    clients[1].cookies = first.cookies  # the same browser session, two requests in flight

    def submit(client):
        return lambda: client.post("/checkout/", {"counter": counter.pk, "token": token})[
            "Location"
        ]

    locations = run_together([submit(c) for c in clients])

    assert Order.objects.count() == 1
    assert len(set(locations)) == 1 and locations[0].startswith("/orders/")
    assert Stock.objects.get(variant=variant, counter=counter).held == 2
