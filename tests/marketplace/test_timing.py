"""How long one order placement takes on PostgreSQL: 200 sequential
placements through the service, the mean printed (run with -s). Timings are
reported, never asserted; the test checks only that all 200 went through."""

import statistics
import time

import pytest
from django.conf import settings

from marketplace import services
from marketplace.models import Order
from marketplace.selectors import stock_mismatches

pytestmark = [
    # Real transactions: each placement commits, as in production.
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="timed on PostgreSQL, the database of record",
    ),
]

PLACEMENTS = 200


def test_time_of_one_order_placement(world):
    from .factories import receive

    receive(world.counter1, world.chestnut_bag, 1000)
    receive(world.counter1, world.potato_bag, 1000)
    lines = [(world.chestnut_bag.pk, 1), (world.potato_bag.pk, 2)]
    durations = []
    for _ in range(PLACEMENTS):
        started = time.perf_counter()
        services.order_place(
            customer=world.customer, counter=world.counter1, lines=lines, notify=False
        )
        durations.append(time.perf_counter() - started)
    mean = statistics.mean(durations) * 1000
    p95 = sorted(durations)[int(PLACEMENTS * 0.95)] * 1000
    print(
        f"\norder placement on PostgreSQL ({PLACEMENTS} sequential, 2 lines): mean {mean:.2f} ms, p95 {p95:.2f} ms"
    )
    assert Order.objects.count() == PLACEMENTS
    assert stock_mismatches() == []
