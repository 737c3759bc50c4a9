"""Per-customer caps (issue 11, point 7): one account cannot reserve a whole
counter's stock of an item. MAX_OPEN_UNITS_PER_ITEM counts the units of one
variant in the customer's open orders at one counter, plus the new lines."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from rest_framework.test import APIClient

from marketplace import errors, services
from marketplace.models import Order, Stock
from tests.factories import UserFactory

from .factories import receive
from .helpers import counts

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The messages asserted below are the English msgids."""
    with translation.override("en"):
        yield


@pytest.fixture
def cap(settings):
    settings.MAX_OPEN_UNITS_PER_ITEM = 5
    return 5


def place(world, quantity, *, variant=None, counter=None, customer=None):
    return services.order_place(
        customer=customer or world.customer,
        counter=counter or world.counter1,
        lines=[((variant or world.chestnut_bag).pk, quantity)],
        notify=False,
    )


def test_a_customer_cannot_reserve_more_than_the_cap_across_orders(world, cap):
    # given 3 of the chestnut bags already in an open order
    place(world, 3)
    before = counts()
    # when the same customer asks for 3 more at the same counter
    with pytest.raises(errors.ItemLimitReached) as refused:
        place(world, 3)
    # then it is refused, naming the cap and what they already have, and nothing is written
    assert refused.value.code == "item_limit"
    assert refused.value.status_code == 409
    message = str(refused.value.message)
    assert "at most 5 units" in message and "already have 3" in message
    assert counts() == before
    # up to the cap is fine
    assert place(world, 2).status == "placed"


def test_one_order_above_the_cap_is_refused(world, cap):
    # given stock enough for 10
    # when a customer without orders asks for 6
    with pytest.raises(errors.ItemLimitReached) as refused:
        place(world, 6)
    # then
    assert "already have 0" in str(refused.value.message)
    assert Order.objects.count() == 0


def test_the_cap_is_per_variant_per_counter_and_per_customer(world, cap):
    # given the customer at the cap for chestnut bags at counter 1
    place(world, 5)
    # then other variants, other counters and other customers are not affected
    place(world, 5, variant=world.chestnut_box)
    place(world, 3, counter=world.counter2)
    place(world, 5, customer=world.other_customer)


def test_closed_and_overdue_orders_do_not_count(world, cap):
    # given one collected, one cancelled and one overdue order of 5 each
    receive(world.counter1, world.chestnut_bag, 20)
    collected = place(world, 5)
    services.order_transition(order=collected, to="ready", by=world.counter1_user)
    services.order_transition(
        order=collected, to="collected", by=world.counter1_user, payment_method="cash"
    )
    services.order_transition(order=place(world, 5), to="cancelled", by=world.customer)
    overdue = place(world, 5)
    Order.objects.filter(pk=overdue.pk).update(pickup_deadline=timezone.now() - timedelta(hours=1))
    # when the customer orders 5 again
    order = place(world, 5)
    # then it is placed: only open orders within their deadline count
    assert order.status == "placed"


def test_the_api_answers_409_in_the_error_format(world, cap):
    # given
    place(world, 4)
    api = APIClient()
    api.force_authenticate(world.customer)
    api.credentials(HTTP_ACCEPT_LANGUAGE="en")
    before = counts()
    # when
    response = api.post(
        "/api/v1/orders/",
        {
            "counter": world.counter1.pk,
            "lines": [{"variant": world.chestnut_bag.pk, "quantity": 2}],
        },
        format="json",
    )
    # then
    assert response.status_code == 409, response.content
    data = response.json()
    assert data["code"] == "item_limit"
    assert "at most 5 units" in data["detail"] and "already have 4" in data["detail"]
    assert counts() == before


def test_the_checkout_page_shows_the_limit(world, cap, client):
    # given 4 open, and 2 more in the cart
    place(world, 4)
    client.force_login(world.customer)
    client.post("/en/cart/add/", {"variant": world.chestnut_bag.pk, "quantity": 2})
    page = client.get("/en/checkout/")
    token = page.context["form"].initial["token"]
    before = counts()
    # when the customer checks out
    response = client.post("/en/checkout/", {"counter": world.counter1.pk, "token": token})
    # then the page says why, with the conflict's status, and nothing is reserved
    assert response.status_code == 409
    assert "already have 4" in response.content.decode()
    assert counts() == before


def test_bulk_orders_of_business_buyers_are_not_capped(world, cap):
    # given a shop buying 50 bags for its shelves (a bulk order holds no counter stock)
    bulk = services.bulk_order_request(
        buyer=world.buyer,
        requested_by=world.buyer_user,
        lines=[(world.chestnut_bag, 50)],
        requested_delivery_date=timezone.localdate() + timedelta(days=3),
        notify=False,
    )
    # then the cap does not apply to it
    assert bulk.lines.get().quantity == 50


def test_the_default_cap_is_one_a_family_never_hits(world):
    # given the default settings and plenty of stock
    receive(world.counter1, world.chestnut_bag, 100)
    # when a family reserves 20, then one more
    place(world, 20)
    with pytest.raises(errors.ItemLimitReached):
        place(world, 1)
    # then the stock still holds only the 20
    assert Stock.objects.get(variant=world.chestnut_bag, counter=world.counter1).held == 20


def test_another_customer_can_still_buy_what_one_could_not(world, cap):
    place(world, 5)
    with pytest.raises(errors.ItemLimitReached):
        place(world, 1)
    assert place(world, 5, customer=UserFactory()).status == "placed"


# --- Under concurrency (PostgreSQL) ---------------------------------------------------------


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_one_customers_parallel_orders_cannot_pass_the_cap_together(settings):
    from .test_race import run_together, stocked_counter

    # given a cap of 5, plenty of stock and one customer with 2 already open
    settings.MAX_OPEN_UNITS_PER_ITEM = 5
    counter, (variant,) = stocked_counter(100)
    customer = UserFactory(username="hoarder")
    services.order_place(customer=customer, counter=counter, lines=[(variant.pk, 2)])

    def job(quantity):
        def run():
            try:
                services.order_place(
                    customer=customer, counter=counter, lines=[(variant.pk, quantity)]
                )
            except errors.ItemLimitReached:
                return 0
            return quantity

        return run

    # when 12 of their orders for 1 or 2 units each arrive at the same moment
    results = run_together([job(1 + n % 2) for n in range(12)])

    # then together they reserve at most the 3 units left under the cap, never more
    reserved = sum(results)
    print(
        f"\ncap race: 12 parallel orders of one customer, 3 left under the cap -> {reserved} reserved"
    )
    assert reserved <= 3
    assert reserved >= 2  # the orders queued up: what was left under the cap was used
    stock = Stock.objects.get(variant=variant, counter=counter)
    assert stock.held == 2 + reserved
    assert Order.objects.filter(customer=customer).count() == 1 + sum(1 for q in results if q)
