"""The demo loader: what the brief asks for, marked as demo, and idempotent."""

import pytest

from marketplace import demo
from marketplace.models import (
    BulkOrder,
    Centre,
    Counter,
    CounterStaff,
    Order,
    Product,
    ProductVariant,
    Stock,
    StockMovement,
)
from marketplace.selectors import consumption_support_figures, stock_mismatches
from organizations.models import Membership, Organization

pytestmark = pytest.mark.django_db

MODELS = (
    Centre,
    Counter,
    Product,
    ProductVariant,
    Stock,
    StockMovement,
    Order,
    BulkOrder,
    Organization,
    Membership,
)


def test_demo_data_is_complete_marked_and_idempotent():
    demo.load()
    counts = {model: model.objects.count() for model in MODELS}
    demo.load()
    assert {model: model.objects.count() for model in MODELS} == counts

    assert Centre.objects.count() == 3
    assert Counter.objects.count() == 4
    assert all(c.is_demo for c in Centre.objects.all()) and all(
        c.is_demo for c in Counter.objects.all()
    )
    assert (
        Organization.objects.filter(kind__in=["producer", "cooperative"], is_demo=True).count() >= 4
    )
    reported = Product.objects.filter(is_reported=True)
    assert set(reported.values_list("name_zh_hans", flat=True)) == {
        "怀柔板栗",
        "汤河红薯",
        "红梨膏",
        "虹鳟鱼",
    }
    for product in reported:
        assert product.variants.count() >= 2 and product.is_demo
        assert product.origin_area.kind == "village" and product.origin_area.parent.kind == "town"
    assert Stock.objects.filter(on_hand__gt=0).count() >= 20
    assert set(Order.objects.values_list("status", flat=True)) == {
        "placed",
        "ready",
        "collected",
        "cancelled",
        "expired",
    }
    assert set(BulkOrder.objects.values_list("status", flat=True)) == {"settled", "requested"}
    assert stock_mismatches() == []
    assert consumption_support_figures()[0]["value"] > 0

    for username in ("producer1", "producer2", "counter1", "counter2", "buyer1"):
        assert Membership.objects.filter(user__username=username).exists(), username
    assert CounterStaff.objects.filter(user__username="counter1").count() == 1
    assert CounterStaff.objects.filter(user__username="counter2").count() == 1
