"""The impact roll-up (issue 16.4): collected counter orders and settled bulk
orders by month, village, producer and counter, tour bookings by route,
within the current agreement's period, on the dashboard and in its open data,
live and marked demo where they count demo rows."""

import csv
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from cooperation import selectors
from core.payments import PaymentMethod
from marketplace import services
from tests.cooperation.factories import AgreementFactory
from tests.tours.factories import DepartureFactory, RouteFactory
from tours import services as tours


@pytest.fixture
def agreement(db):
    year = timezone.localdate().year
    return AgreementFactory(round=2, period_start=year - 1, period_end=year + 1)


def _collect(world, quantity):
    order = services.order_place(
        customer=world.customer,
        counter=world.counter1,
        lines=[{"variant": world.chestnut_bag.pk, "quantity": quantity}],
        notify=False,
    )
    return services.order_hand_over(
        order=order, by=world.counter1_user, payment_method=PaymentMethod.CASH
    )


def test_rollup_by_month_village_producer_counter_and_route(world, agreement, client):
    _collect(world, 2)
    _collect(world, 1)
    # an order not collected yet doesn't count
    services.order_place(
        customer=world.other_customer,
        counter=world.counter1,
        lines=[{"variant": world.chestnut_bag.pk, "quantity": 1}],
        notify=False,
    )
    route = RouteFactory(slug="impact-route", title="天坛+红螺寺")
    departure = DepartureFactory(route=route, capacity=10)
    tours.booking_create(
        customer=world.customer,
        departure_id=departure.pk,
        seats=2,
        contact_name="王芳",
        contact_phone="13900000000",
    )
    impact = selectors.impact()
    retail = [r for r in impact.rows if r.channel == "retail"]
    assert len(retail) == 1
    assert (retail[0].count, retail[0].units, retail[0].amount) == (2, 3, Decimal("75.00"))
    assert retail[0].producer == world.producer1.name
    assert world.counter1.name in retail[0].counter
    assert [(t.key, t.units) for t in impact.by_producer] == [(world.producer1.name, 3)]
    assert [(t.key, t.count, t.units) for t in impact.by_route] == [("天坛+红螺寺", 1, 2)]
    # the page shows it, and the download has exactly these rows
    page = client.get("/cooperation/").content.decode()
    assert 'id="impact-h"' in page and "天坛+红螺寺" in page
    text = client.get("/cooperation/data/impact.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted((r["channel"], r["units"]) for r in rows) == [("retail", "3"), ("tours", "2")]
    assert all(r["agreement"] == agreement.slug for r in rows)
    # a new sale shows at once (the page cache keys on the sales scope)
    _collect(world, 4)
    text = client.get("/cooperation/data/impact.csv").content.decode("utf-8-sig")
    assert sorted(r["units"] for r in csv.DictReader(io.StringIO(text))) == ["2", "7"]


def test_outside_the_agreements_period_nothing_counts(world, db):
    AgreementFactory(round=3, period_start=2000, period_end=2001)
    _collect(world, 2)
    assert selectors.impact().rows == []
