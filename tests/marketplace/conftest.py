from dataclasses import dataclass

import pytest

from marketplace.models import Counter, ProductVariant
from organizations.models import Organization
from tests.factories import UserFactory

from .factories import (
    BusinessBuyerFactory,
    CounterFactory,
    PriceTierFactory,
    ProducerFactory,
    ProductFactory,
    VariantFactory,
    counter_staff,
    member,
    receive,
)


@dataclass
class World:
    """Two producers, two counters in two centres, their people and some stock.

    counter1 carries both producers; counter2 carries only producer1.
    """

    producer1: Organization
    producer2: Organization
    counter1: Counter
    counter2: Counter
    chestnut_bag: ProductVariant  # producer1, 25.00
    chestnut_box: ProductVariant  # producer1, 120.00
    potato_bag: ProductVariant  # producer2, 12.50
    producer1_user: object
    producer2_user: object
    counter1_user: object
    counter2_user: object
    customer: object
    other_customer: object
    buyer: Organization
    buyer_user: object


@pytest.fixture
def world(db) -> World:
    producer1 = ProducerFactory(slug="chestnut-coop", name="板栗合作社", name_en="Chestnut Co-op")
    producer2 = ProducerFactory(slug="potato-farm", name="红薯农场", name_en="Sweet Potato Farm")
    chestnuts = ProductFactory(
        slug="huairou-chestnuts",
        producer=producer1,
        name="怀柔板栗",
        name_en="Huairou chestnuts",
        is_reported=True,
    )
    potatoes = ProductFactory(
        slug="tanghe-sweet-potatoes",
        producer=producer2,
        name="汤河红薯",
        name_en="Tanghe sweet potatoes",
    )
    chestnut_bag = VariantFactory(product=chestnuts, sku="CH-500", unit_price="25.00")
    chestnut_box = VariantFactory(
        product=chestnuts,
        sku="CH-2500",
        name="2.5千克礼盒",
        name_en="2.5 kg gift box",
        unit_price="120.00",
    )
    potato_bag = VariantFactory(product=potatoes, sku="SP-1000", unit_price="12.50")
    PriceTierFactory(variant=chestnut_bag, min_quantity=50, unit_price="20.00")
    PriceTierFactory(variant=chestnut_bag, min_quantity=200, unit_price="18.00")
    counter1 = CounterFactory(producers=[producer1, producer2])
    counter2 = CounterFactory(producers=[producer1])
    for variant in (chestnut_bag, chestnut_box, potato_bag):
        receive(counter1, variant, 10)
    receive(counter2, chestnut_bag, 3)
    buyer = BusinessBuyerFactory()
    return World(
        producer1=producer1,
        producer2=producer2,
        counter1=counter1,
        counter2=counter2,
        chestnut_bag=chestnut_bag,
        chestnut_box=chestnut_box,
        potato_bag=potato_bag,
        producer1_user=member(producer1, "producer1"),
        producer2_user=member(producer2, "producer2"),
        counter1_user=counter_staff(counter1, "counter1"),
        counter2_user=counter_staff(counter2, "counter2"),
        customer=UserFactory(username="customer", email="customer@example.org"),
        other_customer=UserFactory(username="other", email="other@example.org"),
        buyer=buyer.organization,
        buyer_user=member(buyer.organization, "buyer1"),
    )
