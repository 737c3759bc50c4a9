"""Harvest presales: the allocation rule (a table of cases and a property
test), the pledges and the allocation as services (orders through the
ledger, e-mails, idempotency), and a race of pledges against the allocation
closing the presale on PostgreSQL."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import DomainError
from marketplace import services
from marketplace.models import Order, Pledge, Presale, Stock, StockMovement
from marketplace.services.presales import PresaleClosed, allocate
from tests.factories import UserFactory


@pytest.mark.parametrize(
    ("available", "pledges", "expected"),
    [
        # enough for everyone: all in full
        (100, [10, 20, 30], [10, 20, 30]),
        (60, [10, 20, 30], [10, 20, 30]),
        # nothing harvested
        (0, [5, 5], [0, 0]),
        # half: exact shares, no remainder
        (30, [10, 20, 30], [5, 10, 15]),
        # 10 for 3 × 5 = 15: 3.33 each, the one left unit to the earliest of equals
        (10, [5, 5, 5], [4, 3, 3]),
        # largest remainder wins over being early: 7 × (3, 5, 2) / 10 = 2.1, 3.5, 1.4
        (7, [3, 5, 2], [2, 4, 1]),
        # one unit for many: the earliest largest share
        (1, [1, 3, 1], [0, 1, 0]),
        # 2 for 4 equal pledges of 1: the two earliest
        (2, [1, 1, 1, 1], [1, 1, 0, 0]),
        # a big buyer and small ones: 100 × (300, 10, 10) / 320 = 93.75, 3.125, 3.125
        (100, [300, 10, 10], [94, 3, 3]),
    ],
)
def test_allocation_table(available, pledges, expected):
    shares = allocate(available, list(enumerate(pledges)))
    assert [shares[i] for i in range(len(pledges))] == expected


@settings(max_examples=400, deadline=None)
@given(
    available=st.integers(min_value=0, max_value=5_000),
    pledges=st.lists(st.integers(min_value=1, max_value=500), min_size=0, max_size=40),
)
def test_allocation_properties(available, pledges):
    shares = allocate(available, list(enumerate(pledges)))
    total = sum(pledges)
    # every unit given once, and exactly min(yield, pledged) of them
    assert sum(shares.values()) == min(available, total)
    for i, pledged in enumerate(pledges):
        # nobody above their pledge, nobody below zero
        assert 0 <= shares[i] <= pledged
        if total > available:
            # within one unit of the exact pro-rata share
            exact = available * pledged / total
            assert abs(shares[i] - exact) < 1
    # deterministic: the same input, the same answer
    assert allocate(available, list(enumerate(pledges))) == shares


@pytest.fixture
def presale(world):
    return services.presale_open(
        by=world.producer1_user,
        variant=world.chestnut_bag,
        price=Decimal("22.00"),
        expected_yield=100,
        closes_at=timezone.now() + dt.timedelta(days=30),
        harvest_note="九月中旬采收",
    )


def test_only_the_producer_opens_a_presale(world):
    with pytest.raises(DomainError):
        services.presale_open(
            by=world.producer2_user,
            variant=world.chestnut_bag,
            price=Decimal("22.00"),
            expected_yield=100,
            closes_at=timezone.now() + dt.timedelta(days=30),
        )


def test_pledges_then_a_short_harvest_becomes_orders_through_the_ledger(world, presale):
    a, b, c = UserFactory(email="a@example.org"), UserFactory(email="b@example.org"), world.customer
    services.presale_pledge(customer=a, presale_id=presale.pk, counter=world.counter1, quantity=5)
    services.presale_pledge(customer=b, presale_id=presale.pk, counter=world.counter2, quantity=5)
    services.presale_pledge(customer=c, presale_id=presale.pk, counter=world.counter1, quantity=5)
    stock1 = Stock.objects.get(counter=world.counter1, variant=world.chestnut_bag)
    before = (stock1.on_hand, stock1.held)
    mail.outbox.clear()

    with django_capture_on_commit():
        result = services.presale_allocate(
            presale_id=presale.pk, actual_yield=10, by=world.producer1_user
        )

    assert [p.allocated for p in result.pledges] == [4, 3, 3]
    assert [p.status for p in result.pledges] == ["reduced", "reduced", "reduced"]
    orders = [p.order for p in result.pledges]
    assert [o.lines.get().quantity for o in orders] == [4, 3, 3]
    assert all(o.status == Order.Status.PLACED and o.pickup_code for o in orders)
    assert orders[0].lines.get().unit_price == Decimal("22.00")  # the presale price
    # the harvest went into stock at each counter and is held by the orders
    stock1.refresh_from_db()
    assert (stock1.on_hand, stock1.held) == (before[0] + 7, before[1] + 7)
    receipts = StockMovement.objects.filter(kind="receipt", reason=f"harvest presale {presale.pk}")
    assert sorted(r.quantity for r in receipts) == [3, 7]
    presale.refresh_from_db()
    assert (presale.status, presale.actual_yield) == ("allocated", 10)
    # everyone is told what they got
    assert sorted(m.to[0] for m in mail.outbox) == sorted([a.email, b.email, c.email])
    # allocating again with the same yield changes nothing; with another it is refused
    again = services.presale_allocate(
        presale_id=presale.pk, actual_yield=10, by=world.producer1_user
    )
    assert [p.order_id for p in again.pledges] == [o.pk for o in orders]
    assert Order.objects.filter(pledge__presale=presale).count() == 3
    with pytest.raises(DomainError):
        services.presale_allocate(presale_id=presale.pk, actual_yield=12, by=world.producer1_user)
    # and no pledge is taken after it
    with pytest.raises(PresaleClosed):
        services.presale_pledge(
            customer=UserFactory(), presale_id=presale.pk, counter=world.counter1, quantity=1
        )


def test_a_full_harvest_serves_everyone_and_nobody_is_served_from_nothing(world, presale):
    services.presale_pledge(
        customer=world.customer, presale_id=presale.pk, counter=world.counter1, quantity=30
    )
    result = services.presale_allocate(
        presale_id=presale.pk, actual_yield=80, by=world.producer1_user
    )
    assert [(p.allocated, p.status) for p in result.pledges] == [(30, "allocated")]
    assert result.surplus == 50  # stays with the producer

    other = services.presale_open(
        by=world.producer1_user,
        variant=world.chestnut_box,
        price=Decimal("100.00"),
        expected_yield=10,
        closes_at=timezone.now() + dt.timedelta(days=3),
    )
    services.presale_pledge(
        customer=world.customer, presale_id=other.pk, counter=world.counter1, quantity=2
    )
    result = services.presale_allocate(presale_id=other.pk, actual_yield=0, by=world.producer1_user)
    assert [(p.allocated, p.status, p.order) for p in result.pledges] == [(0, "not_served", None)]


def test_pledge_rules(world, presale):
    customer = world.customer
    for bad in (0, 501, "3", True):
        with pytest.raises(DomainError):
            services.presale_pledge(
                customer=customer, presale_id=presale.pk, counter=world.counter1, quantity=bad
            )
    # a counter that doesn't sell this producer
    from tests.marketplace.factories import CounterFactory

    with pytest.raises(DomainError):
        services.presale_pledge(
            customer=customer,
            presale_id=presale.pk,
            counter=CounterFactory(producers=[world.producer2]),
            quantity=1,
        )
    first = services.presale_pledge(
        customer=customer, presale_id=presale.pk, counter=world.counter1, quantity=5
    )
    second = services.presale_pledge(
        customer=customer, presale_id=presale.pk, counter=world.counter2, quantity=3
    )
    assert first.pk == second.pk and second.quantity == 3 and second.created_at == first.created_at
    assert Pledge.objects.filter(presale=presale).count() == 1
    services.pledge_withdraw(pledge=second, by=customer)
    assert Pledge.objects.get(pk=second.pk).status == "withdrawn"
    # after the window
    Presale.objects.filter(pk=presale.pk).update(
        closes_at=timezone.now() - dt.timedelta(seconds=1),
        opens_at=timezone.now() - dt.timedelta(days=1),
    )
    with pytest.raises(PresaleClosed):
        services.presale_pledge(
            customer=customer, presale_id=presale.pk, counter=world.counter1, quantity=1
        )


class django_capture_on_commit:
    """Runs the on-commit callbacks (the e-mails) at the end of the block, as
    the commit would: the test's transaction never commits."""

    def __enter__(self):
        from django.test import TestCase

        self._ctx = TestCase.captureOnCommitCallbacks(execute=True)
        return self._ctx.__enter__()

    def __exit__(self, *exc):
        return self._ctx.__exit__(*exc)


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_pledges_racing_the_allocation_are_either_in_it_or_refused(world):
    presale = services.presale_open(
        by=world.producer1_user,
        variant=world.chestnut_bag,
        price=Decimal("22.00"),
        expected_yield=40,
        closes_at=timezone.now() + dt.timedelta(days=3),
    )
    customers = [UserFactory() for _ in range(12)]
    barrier = threading.Barrier(13)
    outcomes = []
    lock = threading.Lock()

    def pledge(customer):
        try:
            barrier.wait(timeout=30)
            try:
                services.presale_pledge(
                    customer=customer, presale_id=presale.pk, counter=world.counter1, quantity=5
                )
                outcome = "pledged"
            except PresaleClosed:
                outcome = "closed"
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    def close():
        try:
            barrier.wait(timeout=30)
            services.presale_allocate(
                presale_id=presale.pk, actual_yield=40, by=world.producer1_user
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=pledge, args=(c,)) for c in customers]
    threads.append(threading.Thread(target=close))
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(outcomes) == 12
    pledged = Pledge.objects.filter(presale=presale)
    # every pledge that was taken is in the allocation, none came after it
    assert pledged.count() == outcomes.count("pledged")
    assert not pledged.filter(status="pledged").exists()
    total = sum(p.quantity for p in pledged)
    assert sum(p.allocated for p in pledged) == min(40, total)
    assert all(p.allocated <= p.quantity for p in pledged)


def test_api_pledge_list_and_withdraw(world, presale):
    from rest_framework.test import APIClient

    api = APIClient()
    listed = api.get("/api/v1/presales/").json()
    assert [p["id"] for p in listed["results"]] == [presale.pk]
    assert listed["results"][0]["pledged"] == 0
    url = f"/api/v1/presales/{presale.pk}/pledges/"
    assert (
        api.post(url, {"counter": world.counter1.pk, "quantity": 3}, format="json").status_code
        == 401
    )
    api.force_authenticate(world.customer)
    made = api.post(url, {"counter": world.counter1.pk, "quantity": 3}, format="json")
    assert made.status_code == 201 and made.json()["status"] == "pledged"
    assert (
        api.post(url, {"counter": world.counter1.pk, "quantity": 0}, format="json").status_code
        == 400
    )
    assert api.post(url, {"counter": 999999, "quantity": 1}, format="json").status_code == 400
    assert (
        api.post(
            "/api/v1/presales/999999/pledges/",
            {"counter": world.counter1.pk, "quantity": 1},
            format="json",
        ).status_code
        == 404
    )
    assert api.get("/api/v1/presales/").json()["results"][0]["pledged"] == 3
    mine = api.get("/api/v1/pledges/").json()["results"]
    assert [p["quantity"] for p in mine] == [3]
    # someone else can't withdraw it
    other = APIClient()
    other.force_authenticate(world.other_customer)
    assert other.post(f"/api/v1/pledges/{mine[0]['id']}/withdraw/").status_code == 404
    withdrawn = api.post(f"/api/v1/pledges/{mine[0]['id']}/withdraw/")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"


def test_public_pages_and_the_producers_allocation_screen(world, presale, client):
    assert presale.variant.product.name in client.get("/presales/").content.decode()
    page = client.get(f"/presales/{presale.pk}/")
    assert page.status_code == 200 and "?next=" in page.content.decode()
    client.force_login(world.customer)
    answer = client.post(f"/presales/{presale.pk}/", {"counter": world.counter1.pk, "quantity": 4})
    assert answer.status_code == 302
    assert Pledge.objects.get(presale=presale).quantity == 4
    bad = client.post(f"/presales/{presale.pk}/", {"counter": world.counter1.pk, "quantity": 9999})
    assert bad.status_code == 400
    # the producer previews, then allocates, in the partner panel
    client.force_login(world.producer1_user)
    base = f"/vendor/marketplace/presale/{presale.pk}/allocate/"
    preview = client.post(base, {"actual_yield": 2, "preview": "1"})
    assert preview.status_code == 200 and Presale.objects.get(pk=presale.pk).status == "open"
    done = client.post(base, {"actual_yield": 2, "confirm": "1"})
    assert done.status_code == 302
    assert Pledge.objects.get(presale=presale).allocated == 2
    # another producer's member can't reach it
    client.force_login(world.producer2_user)
    assert client.get(base).status_code in (403, 404)
