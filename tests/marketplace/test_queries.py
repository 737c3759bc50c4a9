"""Query counts: the product list and detail, page and endpoint, cost the same
number of queries for 5 products as for 50, whatever the number of variants
and counters. Each size asserts the same fixed number."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketplace.models import Product, ProductVariant, Stock, StockMovement

from .factories import CategoryFactory, CounterFactory, ProducerFactory, ProductFactory

pytestmark = pytest.mark.django_db

# Reported in docs/marketplace.md; a change here needs a reason.
EXPECTED = {
    "/products/": 7,
    "/en/products/?in_stock=on&q=产品": 7,
    "/products/?sort=season&in_season=on": 7,
    "/en/products/?sort=-price&q=产品": 7,
    "/api/v1/products/": 4,
    "/api/v1/products/?in_stock=true&q=产品": 4,
    "/products/p-0/": 7,
    "/api/v1/products/p-0/": 7,
    "/producers/{producer}/": 4,
    "/centres/": 6,  # + each counter's weekly hours and coming exceptions
    "/api/v1/centres/": 7,  # + the counters' weekly hours and coming exceptions
}
SIZES = {
    "5 products, 1 variant, 1 counter": (5, 1, 1),
    "50 products, 3 variants, 4 counters": (50, 3, 4),
}


def build(products: int, variants: int, counters: int) -> None:
    category = CategoryFactory(slug="food")
    producers = [ProducerFactory() for _ in range(3)]
    places = [CounterFactory(producers=producers) for _ in range(counters)]
    stocks = []
    for n in range(products):
        product = ProductFactory(slug=f"p-{n}", producer=producers[n % 3], category=category)
        for v in range(variants):
            variant = ProductVariant.objects.create(
                product=product, sku=f"S-{n}-{v}", name=f"规格{v}", unit_price=Decimal("10.00") + v
            )
            stocks += [Stock(variant=variant, counter=counter, on_hand=5) for counter in places]
    Stock.objects.bulk_create(stocks)
    StockMovement.objects.bulk_create(
        [
            StockMovement(stock=s, kind="receipt", quantity=5, reason="test")
            for s in Stock.objects.all()
        ]
    )


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("url", list(EXPECTED))
def test_queries_do_not_grow_with_products_variants_or_counters(client, url, size):
    build(*SIZES[size])
    producer = Product.objects.get(slug="p-0").producer.slug
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url.format(producer=producer))
    assert response.status_code == 200
    assert len(queries) == EXPECTED[url], "\n".join(
        q["sql"][:200] for q in queries.captured_queries
    )


# --- Placing an order -------------------------------------------------------------------
# POST /api/v1/orders/ with one line, counted in a test transaction (so BEGIN
# and COMMIT show as a SAVEPOINT and its RELEASE): the counter (with its centre
# and the centre's organization, for the answer); the counter's opening hours
# and dated exceptions (one UNION: the deadline falls inside them); SAVEPOINT; the stock rows
# locked with what the lines copy from their variants (on sale and carried by
# this counter); the units of overdue open orders there and the customer's own
# open units (one statement: the MAX_OPEN_UNITS_PER_ITEM cap costs no query of
# its own, and the stock locks serialise it); the order; per line a
# ledger row and the stock update; the lines in one insert; the audit event;
# RELEASE. Nothing is read back: the answer is built from what was written.
ORDER_QUERIES_ONE_LINE = 11
ORDER_QUERIES_PER_EXTRA_LINE = 2  # the ledger row and the stock update


def counter_selling(lines: int):
    """A counter with ``lines`` products (产品0, 产品1, …) of one variant each, 5 in stock."""
    from .factories import receive

    producer = ProducerFactory()
    counter = CounterFactory(producers=[producer])
    variants = []
    for n in range(lines):
        product = ProductFactory(slug=f"p-{n}", producer=producer, name=f"产品{n}")
        variant = ProductVariant.objects.create(
            product=product, sku=f"S-{n}", name=f"规格{n}", unit_price=Decimal("10.00")
        )
        receive(counter, variant, 5)
        variants.append(variant)
    return counter, variants


@pytest.mark.parametrize("lines", [1, 3])
def test_placing_an_order_costs_a_fixed_number_of_queries(lines, django_user_model):
    from rest_framework.test import APIClient

    counter, variants = counter_selling(lines)
    client = APIClient()
    client.force_authenticate(django_user_model.objects.create_user("buyer", "b@example.org"))
    payload = {"counter": counter.pk, "lines": [{"variant": v.pk, "quantity": 2} for v in variants]}
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/v1/orders/", payload, format="json")
    assert response.status_code == 201, response.content
    assert len(response.json()["lines"]) == lines
    assert len(queries) == ORDER_QUERIES_ONE_LINE + ORDER_QUERIES_PER_EXTRA_LINE * (lines - 1), [
        q["sql"][:80] for q in queries.captured_queries
    ]


def test_the_counter_and_its_hours_come_from_the_shared_cache_until_edited(
    django_user_model, settings, django_capture_on_commit_callbacks
):
    """With the cache on, a second order at a counter reads neither the
    counter nor its opening hours; an edit in the counter admin (which bumps
    the editorial scope) is seen by the next order at once: a closed counter
    refuses it, changed hours move its deadline."""
    import datetime as dt

    from rest_framework.test import APIClient

    from marketplace import services
    from marketplace.models import Counter, OpeningHours

    settings.PERSONAL_CACHE_SECONDS = 300
    counter, variants = counter_selling(1)
    client = APIClient()
    client.force_authenticate(django_user_model.objects.create_user("buyer", "b@example.org"))
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    payload = {"counter": counter.pk, "lines": [{"variant": variants[0].pk, "quantity": 1}]}

    def place():
        with CaptureQueriesContext(connection) as queries:
            response = client.post("/api/v1/orders/", payload, format="json")
        return response, len(queries)

    first, first_queries = place()
    assert first.status_code == 201 and first_queries == ORDER_QUERIES_ONE_LINE
    second, second_queries = place()
    assert second.status_code == 201 and second_queries == ORDER_QUERIES_ONE_LINE - 2
    assert second.json()["counter"] == first.json()["counter"]

    def edited(change):
        with django_capture_on_commit_callbacks(execute=True):
            change()
            services.catalogue_changed()  # what the counter admin calls after a save

    # Open 03:00-03:01 every day: the deadline moves to a closing time.
    edited(
        lambda: OpeningHours.objects.bulk_create(
            OpeningHours(counter=counter, weekday=day, opens=dt.time(3), closes=dt.time(3, 1))
            for day in range(7)
        )
    )
    moved, _ = place()
    assert moved.status_code == 201
    deadline = dt.datetime.fromisoformat(moved.json()["pickup_deadline"])
    assert deadline.astimezone(timezone.get_current_timezone()).time() == dt.time(3, 1)
    edited(lambda: Counter.objects.filter(pk=counter.pk).update(is_active=False))
    closed, _ = place()
    assert closed.status_code == 400
    assert closed.json()["errors"]["counter"] == [f"No open counter has the id {counter.pk}."]


@pytest.mark.parametrize("lines", [1, 3])
def test_the_order_email_costs_one_query(lines, django_user_model, mailoutbox):
    """The worker sends one of these for every order placed: the order, its
    customer, counter, centre and lines come in one query."""
    from marketplace import services
    from marketplace.tasks import send_order_email

    counter, variants = counter_selling(lines)
    wanted = [(variant, n + 1) for n, variant in enumerate(variants)]
    customer = django_user_model.objects.create_user("buyer", "b@example.org")
    order = services.order_place(customer=customer, counter=counter, lines=wanted, notify=False)
    with CaptureQueriesContext(connection) as queries:
        assert send_order_email.call(order_id=order.pk, kind="placed") == 1
    assert len(queries) == 1, [q["sql"][:120] for q in queries.captured_queries]
    body = mailoutbox[0].body
    assert order.pickup_code_display in body and counter.centre.name in body
    for n in range(lines):
        assert f"产品{n} · 规格{n} × {n + 1}" in body
