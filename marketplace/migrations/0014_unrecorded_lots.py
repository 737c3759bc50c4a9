"""Stock received before lots were recorded becomes one "unrecorded" lot per
stock row (code U-<counter id>), holding its on hand: from now on every unit
on hand is in a lot, and sales draw the recorded lots first-expiring-first-out
and this one (no best-before) last. Its trace page says its details were not
recorded. Going back removes the lots and their draws."""

from django.db import migrations


def forwards(apps, schema_editor):
    Stock = apps.get_model("marketplace", "Stock")
    Lot = apps.get_model("marketplace", "Lot")
    rows = Stock.objects.filter(on_hand__gt=0).values_list(
        "variant_id", "counter_id", "on_hand", "variant__product__producer_id",
        "variant__product__origin_area_id", "variant__product__producer__area_id",
        "variant__product__is_demo",
    )
    Lot.objects.bulk_create(
        [
            Lot(
                variant_id=variant_id,
                counter_id=counter_id,
                code=f"U-{counter_id}",
                producer_id=producer_id,
                village_id=origin_id or area_id,
                quantity_received=on_hand,
                remaining=on_hand,
                recorded=False,
                is_demo=is_demo,
            )
            for variant_id, counter_id, on_hand, producer_id, origin_id, area_id, is_demo in rows
        ],
        batch_size=1000,
    )


def backwards(apps, schema_editor):
    apps.get_model("marketplace", "LotDraw").objects.all().delete()
    apps.get_model("marketplace", "Lot").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0013_lots")]

    operations = [migrations.RunPython(forwards, backwards)]
