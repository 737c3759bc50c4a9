"""Lots under concurrent hand-overs (PostgreSQL, real threads): each
hand-over draws under its stock row's lock, so however they interleave the
lots are drained first-expiring-first-out and add up to on hand."""

from datetime import timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone

from marketplace import services
from marketplace.models import Lot, LotDraw, Stock
from marketplace.models.lots import fefo_order
from marketplace.selectors import stock_mismatches
from tests.factories import UserFactory

from .factories import CounterFactory, ProducerFactory, VariantFactory, counter_staff
from .test_race import run_together

pytestmark = [pytest.mark.race, pytest.mark.django_db(transaction=True)]


def test_concurrent_hand_overs_drain_the_lots_first_expiring_first_out():
    producer = ProducerFactory()
    counter = CounterFactory(producers=[producer])
    variant = VariantFactory(product__producer=producer)
    staff = counter_staff(counter, "race-lots-staff")
    today = timezone.localdate()
    for code, units, days in (("LATE", 10, 30), ("SOON", 7, 5), ("NONE", 10, None)):
        services.stock_receive(
            counter=counter,
            variant=variant,
            quantity=units,
            by=staff,
            lot=services.LotDetails(
                code=code, best_before=today + timedelta(days=days) if days else None
            ),
        )
    orders = [
        services.order_place(
            customer=UserFactory(username=f"lot-racer{n}"),
            counter=counter,
            lines=[{"variant": variant.pk, "quantity": 1 + n % 2}],
            notify=False,
        )
        for n in range(14)
    ]  # 21 units: SOON (7), LATE (10), then 4 of NONE

    def hand_over(order):
        return lambda: services.order_hand_over(order=order, by=staff, payment_method="cash").status

    assert set(run_together([hand_over(o) for o in orders])) == {"collected"}

    lots = list(Lot.objects.filter(variant=variant).order_by(*fefo_order()))
    assert [(lot.code, lot.remaining) for lot in lots] == [("SOON", 0), ("LATE", 0), ("NONE", 6)]
    stock = Stock.objects.get(variant=variant, counter=counter)
    assert stock.on_hand == 6 == sum(lot.remaining for lot in lots)
    sold = LotDraw.objects.filter(movement__kind="sale").aggregate(n=Sum("quantity"))["n"]
    assert sold == -21
    assert stock_mismatches() == []
