"""Stock on hand before lots existed becomes one "unrecorded" lot per stock
row (migration 0014), so from the first sale after the upgrade the lots add
up to on hand. Runs ``manage.py migrate`` in a child process against a
scratch database (tests/migrating.py)."""

import pytest

from tests.migrating import ScratchDatabase

BEFORE = [("marketplace", "0012_purchase_shares")]

SEED = """
District = apps.get_model("organizations", "District")
Area = apps.get_model("organizations", "Area")
Organization = apps.get_model("organizations", "Organization")
Category = apps.get_model("marketplace", "Category")
Product = apps.get_model("marketplace", "Product")
Variant = apps.get_model("marketplace", "ProductVariant")
Centre = apps.get_model("marketplace", "Centre")
Counter = apps.get_model("marketplace", "Counter")
Stock = apps.get_model("marketplace", "Stock")
huairou = District.objects.create(code="huairou", name_zh_hans="怀柔区", role="supported")
village = Area.objects.create(district=huairou, kind="village", name_zh_hans="示例村")
producer = Organization.objects.create(
    district=huairou, area=village, kind="producer", slug="coop", name_zh_hans="合作社"
)
centre_org = Organization.objects.create(
    district=huairou, kind="support_centre", slug="centre", name_zh_hans="中心"
)
centre = Centre.objects.create(organization=centre_org, address="东城区", opening_hours="9-18")
counter = Counter.objects.create(centre=centre, name_zh_hans="专柜")
product = Product.objects.create(
    slug="chestnuts", producer=producer, category=Category.objects.create(slug="c", name_zh_hans="干果"),
    name_zh_hans="板栗",
)
bag = Variant.objects.create(product=product, sku="BAG", name_zh_hans="袋", unit_price="25.00")
box = Variant.objects.create(product=product, sku="BOX", name_zh_hans="盒", unit_price="99.00")
Stock.objects.create(variant=bag, counter=counter, on_hand=7, held=2)
Stock.objects.create(variant=box, counter=counter, on_hand=0)
"""

CHECK = """
import json
from marketplace.models import Lot
print(json.dumps([
    [lot.variant.sku, lot.code, lot.remaining, lot.quantity_received, lot.recorded,
     lot.village.name_zh_hans, lot.producer.slug, lot.counter_id]
    for lot in Lot.objects.select_related("variant", "village", "producer")
]))
"""


@pytest.mark.django_db
def test_stock_on_hand_becomes_an_unrecorded_lot(tmp_path):
    # given: a database from before lots, with stock on hand
    db = ScratchDatabase(tmp_path)
    db.migrate_to(BEFORE)
    db.seed(SEED)

    # when
    db.migrate_forward()

    # then: one unrecorded lot of the bags (none of the empty box row)
    ((sku, code, remaining, received, recorded, village, producer, counter_id),) = db.read(CHECK)
    assert (sku, remaining, received, recorded) == ("BAG", 7, 7, False)
    assert code == f"U-{counter_id}" and (village, producer) == ("示例村", "coop")
