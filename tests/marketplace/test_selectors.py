"""Selectors: the catalogue's filters and search, availability, contracts other apps use, reports."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import override

from core.geo import haversine_km
from marketplace import ledger, selectors, services
from marketplace.models import Order

from .factories import (
    CounterFactory,
    ProducerFactory,
    ProductFactory,
    VariantFactory,
    VillageFactory,
    receive,
)

pytestmark = pytest.mark.django_db


def slugs(products) -> list[str]:
    return [p.slug for p in products]


# --- Product list: filters and search --------------------------------------------------------


def test_reported_products_come_first(world):
    ProductFactory(slug="aaa-other", producer=world.producer1)
    assert slugs(selectors.product_list())[0] == "huairou-chestnuts"


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("板栗", {"huairou-chestnuts"}),  # a word inside "怀柔板栗"
        ("红薯", {"tanghe-sweet-potatoes"}),
        ("chestnut", {"huairou-chestnuts"}),  # English name, any case
        ("CHESTNUT", {"huairou-chestnuts"}),
        ("合作社", {"huairou-chestnuts"}),  # producer name
        ("Sweet Potato Farm", {"tanghe-sweet-potatoes"}),
        ("怀柔 板栗", {"huairou-chestnuts"}),  # every word must match
        ("榴莲", set()),
    ],
)
def test_search_works_for_chinese_and_english(world, q, expected):
    assert set(slugs(selectors.product_list(q=q))) == expected


def test_search_by_village(world):
    village = world.producer2.area
    assert slugs(selectors.product_list(q=village.name_zh_hans)) == ["tanghe-sweet-potatoes"]


def test_filter_by_category_producer_and_centre(world):
    other = ProductFactory(slug="trout", producer=world.producer2, category__slug="fish")
    assert slugs(selectors.product_list(category="fish")) == [other.slug]
    assert set(slugs(selectors.product_list(producer="potato-farm"))) == {
        "tanghe-sweet-potatoes",
        "trout",
    }
    # counter2's centre carries only producer1
    centre2 = world.counter2.centre.organization.slug
    assert slugs(selectors.product_list(centre=centre2)) == ["huairou-chestnuts"]


def test_in_stock_filter_and_flag(world):
    out = ProductFactory(slug="sold-out", producer=world.producer1)
    VariantFactory(product=out)
    listed = {p.slug: p.in_stock for p in selectors.product_list()}
    assert listed == {"huairou-chestnuts": True, "tanghe-sweet-potatoes": True, "sold-out": False}
    assert "sold-out" not in slugs(selectors.product_list(in_stock=True))


def test_in_stock_at_a_centre_means_there(world):
    # counter2 has 3 bags of chestnuts; once they are reserved, nothing is in stock at its centre
    centre2 = world.counter2.centre.organization.slug
    services.order_place(
        customer=world.customer, counter=world.counter2, lines=[(world.chestnut_bag.pk, 3)]
    )
    assert slugs(selectors.product_list(centre=centre2, in_stock=True)) == []
    assert "huairou-chestnuts" in slugs(selectors.product_list(in_stock=True))


def test_stock_at_a_counter_that_no_longer_carries_the_producer_does_not_count(world):
    world.counter1.producers.remove(world.producer2)
    assert "tanghe-sweet-potatoes" not in slugs(selectors.product_list(in_stock=True))


def test_in_season_handles_seasons_over_the_new_year(world):
    month = timezone.localdate().month
    ProductFactory(slug="now", season_start_month=month, season_end_month=month)
    off = month % 12 + 1
    ProductFactory(slug="off", season_start_month=off, season_end_month=off)
    # a season from next month round to this month covers the new year
    ProductFactory(slug="wrap", season_start_month=off, season_end_month=month)
    found = set(slugs(selectors.product_list(in_season=True)))
    assert {"now", "wrap", "huairou-chestnuts"} <= found  # no season = all year
    assert "off" not in found


def test_inactive_products_are_not_listed(world):
    world.chestnut_bag.product.is_active = False
    world.chestnut_bag.product.save()
    assert "huairou-chestnuts" not in slugs(selectors.product_list())


# --- Product detail: availability per counter -------------------------------------------------


def test_detail_lists_every_counter_that_carries_the_producer(world):
    product = selectors.product_detail(slug="huairou-chestnuts")
    bag = next(v for v in product.active_variants if v.sku == "CH-500")
    assert [(a.counter, a.available, a.level) for a in bag.availability] == [
        (world.counter1, 10, "in"),
        (world.counter2, 3, "few"),
    ]
    box = next(v for v in product.active_variants if v.sku == "CH-2500")
    assert [(a.counter, a.available, a.level) for a in box.availability] == [
        (world.counter1, 10, "in"),
        (world.counter2, 0, "out"),  # no stock row at all
    ]
    assert set(product.centres) == {world.counter1.centre, world.counter2.centre}


def test_detail_availability_ignores_holds_past_their_deadline(world):
    order = services.order_place(
        customer=world.customer, counter=world.counter2, lines=[(world.chestnut_bag.pk, 3)]
    )
    product = selectors.product_detail(slug="huairou-chestnuts")
    assert product.active_variants[0].availability[1].available == 0
    Order.objects.filter(pk=order.pk).update(pickup_deadline=timezone.now() - timedelta(seconds=1))
    product = selectors.product_detail(slug="huairou-chestnuts")
    assert product.active_variants[0].availability[1].available == 3


def test_overdue_units_by_variant_agree_with_the_availability_subquery(world):
    """order_place's plain-SQL correction and the subquery the pages use are
    one rule: only open orders at that counter past their deadline count."""
    from marketplace.models import Stock

    now = timezone.now()
    bag, box, potato = world.chestnut_bag, world.chestnut_box, world.potato_bag

    def order(counter, lines, *, overdue=True, status=None):
        placed = services.order_place(customer=world.customer, counter=counter, lines=lines)
        changes = {"pickup_deadline": now - timedelta(hours=1)} if overdue else {}
        if status:
            changes["status"] = status
        Order.objects.filter(pk=placed.pk).update(**changes)

    order(world.counter1, [(bag.pk, 2), (box.pk, 1)])
    order(world.counter1, [(bag.pk, 3)])
    order(world.counter1, [(bag.pk, 1)], status=Order.Status.READY)  # still open
    order(world.counter1, [(bag.pk, 4)], overdue=False)  # not yet due
    order(world.counter1, [(potato.pk, 2)], status=Order.Status.CANCELLED)  # closed
    order(world.counter2, [(bag.pk, 1)])  # another counter

    found = ledger.overdue_by_variant(
        counter_id=world.counter1.pk, variant_ids=[bag.pk, box.pk, potato.pk], now=now
    )
    assert found == {bag.pk: 6, box.pk: 1}
    stocks = selectors.with_available(Stock.objects.filter(counter=world.counter1), now)
    assert {s.variant_id: s.overdue for s in stocks if s.overdue} == found
    assert ledger.overdue_by_variant(counter_id=world.counter1.pk, variant_ids=[], now=now) == {}


def test_detail_of_a_missing_or_inactive_product(world):
    with pytest.raises(Exception) as caught:
        selectors.product_detail(slug="nope")
    assert caught.type.__name__ == "DoesNotExist"


# --- Contracts of other apps --------------------------------------------------------------------


def test_featured_products_report_first_constant_queries(world, django_assert_num_queries):
    for n in range(6):
        ProductFactory(slug=f"extra-{n}", producer=world.producer2)
    with django_assert_num_queries(2):  # products, images
        featured = selectors.featured_products()
        for product in featured:
            assert product.name and product.get_absolute_url()
            product.producer.name  # noqa: B018 - loaded up front
    assert featured[0].slug == "huairou-chestnuts"


def test_products_near_a_point(world):
    far = VillageFactory(latitude=Decimal("40.900000"), longitude=Decimal("116.600000"))
    ProductFactory(slug="far-away", producer=ProducerFactory(area=far))
    with CaptureQueriesContext(connection) as queries:
        near = selectors.products_near(latitude=40.40, longitude=116.60, radius_km=20)
        for product in near:
            assert product.producer.name and product.get_absolute_url()
    assert len(queries) == 1
    assert set(slugs(near)) == {"huairou-chestnuts", "tanghe-sweet-potatoes"}
    assert all(p.distance_km <= 20 for p in near)
    assert "far-away" in slugs(selectors.products_near(latitude=40.9, longitude=116.6, radius_km=5))
    assert selectors.products_near(latitude=39.0, longitude=115.0) == []


def test_products_near_uses_the_town_when_the_village_has_no_coordinates(world):
    from tests.factories import AreaFactory

    town = AreaFactory(kind="town", latitude=Decimal("41.000000"), longitude=Decimal("117.000000"))
    village = VillageFactory(parent=town, latitude=None, longitude=None)
    ProductFactory(slug="in-town", producer=world.producer1, origin_area=village)
    assert slugs(selectors.products_near(latitude=41.0, longitude=117.0, radius_km=1)) == [
        "in-town"
    ]


def test_haversine():
    # Qianmen to Yanqi Lake is about 66 km as the crow flies.
    assert 60 < haversine_km(39.899, 116.398, 40.405, 116.675) < 70


def sell(world, counter, lines, staff, method="cash"):
    order = services.order_place(customer=world.customer, counter=counter, lines=lines)
    services.order_transition(order=order, to="ready", by=staff)
    return services.order_transition(order=order, to="collected", by=staff, payment_method=method)


def test_consumption_support_figures_count_real_sales_only(world):
    sell(
        world,
        world.counter1,
        [(world.chestnut_bag.pk, 2), (world.potato_bag.pk, 4)],
        world.counter1_user,
    )
    services.order_place(
        customer=world.customer, counter=world.counter1, lines=[(world.chestnut_box.pk, 1)]
    )
    bulk = services.bulk_order_request(
        buyer=world.buyer,
        requested_by=world.buyer_user,
        lines=[(world.chestnut_bag.pk, 60)],
        requested_delivery_date=timezone.localdate() + timedelta(days=3),
    )
    for step in ("confirmed", "delivered", "settled"):
        services.bulk_order_transition(bulk_order=bulk, to=step, by=world.producer1_user)
    with override("en"):
        figures = selectors.consumption_support_figures()
    assert [f["label"] for f in figures] == [
        "Consumption-support sales",
        "Units of Huairou products sold",
        "Villages supported by these sales",
    ]
    # 2 × 25 + 4 × 12.50 collected, 60 × 20.00 settled in bulk; the open order does not count
    assert figures[0]["value"] == Decimal("1300.00")
    assert figures[1]["value"] == 66
    assert figures[2]["value"] == 2
    assert all(set(f) == {"label", "value", "unit", "note"} for f in figures)


def test_figures_with_no_sales(db):
    figures = selectors.consumption_support_figures()
    assert [f["value"] for f in figures] == [Decimal("0.00"), 0, 0]


def test_orders_for_customer_newest_first_constant_queries(world, django_assert_num_queries):
    first = services.order_place(
        customer=world.customer, counter=world.counter1, lines=[(world.chestnut_bag.pk, 1)]
    )
    second = services.order_place(
        customer=world.customer, counter=world.counter2, lines=[(world.chestnut_bag.pk, 1)]
    )
    services.order_place(
        customer=world.other_customer, counter=world.counter1, lines=[(world.chestnut_bag.pk, 1)]
    )
    with django_assert_num_queries(2):
        orders = list(selectors.orders_for_customer(user=world.customer))
        for order in orders:
            assert order.counter.centre.organization.name
            assert list(order.lines.all())
    assert orders == [second, first]


# --- Checkout ------------------------------------------------------------------------------------


def test_checkout_counters_say_why_not(world):
    lines = selectors.cart_lines({str(world.chestnut_bag.pk): 4, str(world.potato_bag.pk): 1})
    choices = {c.counter: c for c in selectors.checkout_counters(lines=lines)}
    assert choices[world.counter1].ok
    problems = choices[world.counter2].problems
    assert len(problems) == 2  # only 3 chestnut bags; no sweet potatoes sold there
    assert any("3" in p for p in problems)


def test_cart_lines_skip_what_is_no_longer_on_sale(world):
    world.potato_bag.is_active = False
    world.potato_bag.save()
    lines = selectors.cart_lines(
        {str(world.chestnut_bag.pk): 2, str(world.potato_bag.pk): 1, "x": 3, "999999": 1}
    )
    assert [(line.variant, line.quantity) for line in lines] == [(world.chestnut_bag, 2)]
    assert lines[0].line_total == Decimal("50.00")


# --- Sales report ----------------------------------------------------------------------------------


def test_sales_report_groupings_and_scopes(world):
    sell(
        world,
        world.counter1,
        [(world.chestnut_bag.pk, 2), (world.potato_bag.pk, 4)],
        world.counter1_user,
    )
    sell(world, world.counter2, [(world.chestnut_bag.pk, 1)], world.counter2_user, method="wechat")
    today = timezone.localdate()
    by_producer = {
        r.label: r
        for r in selectors.sales_report(group_by="producer", date_from=today, date_to=today)
    }
    assert by_producer["板栗合作社"].units == 3 and by_producer["板栗合作社"].amount == Decimal(
        "75.00"
    )
    assert by_producer["红薯农场"].amount == Decimal("50.00")
    by_counter = selectors.sales_report(group_by="counter")
    assert sorted(r.orders for r in by_counter) == [1, 1]
    by_village = selectors.sales_report(group_by="village")
    assert {r.label for r in by_village} == {world.producer1.area.name, world.producer2.area.name}
    # scoped to one producer, or one counter
    mine = selectors.sales_report(group_by="counter", producer_ids=[world.producer2.pk])
    assert [(r.units, r.amount) for r in mine] == [(4, Decimal("50.00"))]
    counter2 = selectors.sales_report(group_by="producer", counter_ids=[world.counter2.pk])
    assert [(r.label, r.units) for r in counter2] == [("板栗合作社", 1)]
    # outside the dates: nothing
    assert selectors.sales_report(group_by="producer", date_to=today - timedelta(days=1)) == []


def test_sales_report_nets_returns_and_lists_bulk_channels(world):
    order = sell(world, world.counter1, [(world.chestnut_bag.pk, 3)], world.counter1_user)
    services.order_line_return(
        line=order.lines.get(), quantity=1, by=world.counter1_user, reason="bad"
    )
    bulk = services.bulk_order_request(
        buyer=world.buyer,
        requested_by=world.buyer_user,
        lines=[(world.chestnut_bag.pk, 50)],
        requested_delivery_date=timezone.localdate() + timedelta(days=2),
    )
    for step in ("confirmed", "delivered", "settled"):
        services.bulk_order_transition(bulk_order=bulk, to=step, by=world.producer1_user)
    rows = {r.key: r for r in selectors.sales_report(group_by="counter")}
    assert rows[f"counter:{world.counter1.pk}"].units == 2
    assert rows[f"counter:{world.counter1.pk}"].amount == Decimal("50.00")
    assert rows["bulk:supermarket"].amount == Decimal("1000.00")  # 50 × 20.00 (tier from 50)
    with pytest.raises(ValueError):
        selectors.sales_report(group_by="colour")


def test_counter_ids_for_needs_membership_of_the_centre(world):
    from marketplace.models import CounterStaff
    from tests.factories import UserFactory

    stranger = UserFactory(username="stranger")
    CounterStaff.objects.create(counter=world.counter1, user=stranger)  # assigned, but not a member
    assert selectors.counter_ids_for(stranger) == []


def test_new_counter_in_detail_without_stock(world):
    CounterFactory(producers=[world.producer2])
    product = selectors.product_detail(slug="tanghe-sweet-potatoes")
    assert [a.available for a in product.active_variants[0].availability] == [10, 0]
    receive(world.counter2, world.chestnut_box, 2)


def test_the_dashboard_gets_the_sales_figures_through_the_live_figures_interface():
    from core import figures
    from marketplace.selectors.reports import consumption_support_figures

    assert consumption_support_figures in figures._providers
