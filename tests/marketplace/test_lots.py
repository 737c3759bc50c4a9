"""Lots: receipts make lots, sales draw first-expiring-first-out through the
ledger, returns and undone hand-overs go back to the lots drawn, and the lots
of a stock row always add up to its on hand. The public trace page at the
GS1 Digital Link path, its 404s, and what it never shows."""

import re
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import gs1, qr
from marketplace import errors, services
from marketplace.models import Lot, LotDraw, Order, Stock, StockMovement
from marketplace.selectors import order_lots, stock_mismatches
from tests.factories import UserFactory

from .factories import (
    CounterFactory,
    ProducerFactory,
    ProductFactory,
    VariantFactory,
    counter_staff,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def day(offset):
    return None if offset is None else TODAY + timedelta(days=offset)


@pytest.fixture
def shop():
    """One counter, one variant (with a GTIN), its staff and a customer."""
    producer = ProducerFactory(slug="lot-coop", name="栗乡合作社", name_en="Lot Co-op")
    product = ProductFactory(
        slug="lot-chestnuts", producer=producer, name="板栗", name_en="Chestnuts"
    )
    variant = VariantFactory(
        product=product, sku="LOT-500", gtin=gs1.with_check_digit("0690123400001")
    )
    counter = CounterFactory(producers=[producer])
    staff = counter_staff(counter, "lot-staff")
    customer = UserFactory(username="lot-customer", email="secret-buyer@example.org")
    return counter, variant, staff, customer


def receive(shop, quantity, *, best_before=None, harvested=-20, code="", minutes_ago=0, **more):
    counter, variant, staff, _ = shop
    return services.stock_receive(
        counter=counter,
        variant=variant,
        quantity=quantity,
        by=staff,
        now=timezone.now() - timedelta(minutes=minutes_ago),
        lot=services.LotDetails(
            code=code, harvested_on=day(harvested), best_before=day(best_before), **more
        ),
    ).lot


def sell(shop, quantity) -> Order:
    counter, variant, staff, customer = shop
    order = services.order_place(
        customer=customer, counter=counter, lines=[{"variant": variant.pk, "quantity": quantity}]
    )
    return services.order_hand_over(order=order, by=staff, payment_method="cash")


def drawn(order) -> dict[str, int]:
    """{lot code: units} the order's ledger rows took out of (−) or put back in (+) each lot."""
    rows = (
        LotDraw.objects.filter(movement__order=order)
        .values("lot__code")
        .annotate(units=Sum("quantity"))
        .order_by("lot__code")
    )
    return {row["lot__code"]: row["units"] for row in rows}


def assert_balanced(shop):
    counter, variant, *_ = shop
    stock = Stock.objects.get(counter=counter, variant=variant)
    lots = Lot.objects.filter(counter=counter, variant=variant).aggregate(n=Sum("remaining"))["n"]
    assert lots == stock.on_hand
    assert stock_mismatches() == []


# --- GTIN --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("04006381333931", True),  # a real EAN-13 (4006381333931) as GTIN-14
        ("4006381333931", True),  # the EAN-13 itself
        ("96385074", True),  # a GTIN-8
        ("036000291452", True),  # a UPC-A (GTIN-12)
        ("04006381333932", False),  # wrong check digit
        ("0400638133393", False),  # the EAN-13 with a digit dropped
        ("0400638133393a", False),
        ("０４００６３８１３３３９３１", False),  # full-width digits
        ("", False),
    ],
)
def test_gtin_check_digit(value, valid):
    assert gs1.is_valid_gtin(value) is valid


def test_with_check_digit_makes_a_valid_gtin_14():
    gtin = gs1.with_check_digit("0690123400001")
    assert len(gtin) == 14 and gs1.is_valid_gtin(gtin)


def test_a_variant_refuses_a_gtin_with_a_wrong_check_digit(shop):
    _, variant, *_ = shop
    variant.gtin = variant.gtin[:-1] + str((int(variant.gtin[-1]) + 1) % 10)
    with pytest.raises(ValidationError) as caught:
        variant.full_clean()
    assert "gtin" in caught.value.message_dict
    variant.gtin = "4006381333931"  # 13 digits: must be padded
    with pytest.raises(ValidationError):
        variant.full_clean()


def test_demo_gtins_are_valid_and_unique():
    from marketplace.demo import demo_gtin

    gtins = [demo_gtin(n) for n in range(1, 30)]
    assert all(gs1.is_valid_gtin(g) and len(g) == 14 for g in gtins)
    assert len(set(gtins)) == len(gtins)


# --- Receipts ----------------------------------------------------------------------------------


def test_a_receipt_makes_a_lot_with_its_details(shop):
    counter, variant, staff, _ = shop
    lot = receive(
        shop,
        12,
        code="hr2026-a1",
        best_before=30,
        certificate="compliance",
        certificate_number="110116-0001",
    )
    assert (lot.code, lot.quantity_received, lot.remaining) == ("HR2026-A1", 12, 12)
    assert (lot.counter, lot.variant, lot.producer) == (counter, variant, variant.product.producer)
    assert lot.village == variant.product.village
    assert lot.received_by == staff and lot.recorded
    receipt = StockMovement.objects.get(kind="receipt", stock__variant=variant)
    assert list(receipt.draws.values_list("lot_id", "quantity")) == [(lot.pk, 12)]
    assert_balanced(shop)


def test_lot_codes_are_drawn_per_year_and_best_before_follows_the_shelf_life(shop):
    _, variant, *_ = shop
    variant.product.shelf_life_days = 60
    variant.product.save()
    first, second = receive(shop, 1, harvested=0), receive(shop, 1, harvested=0)
    assert first.code == f"HR{TODAY.year}-0001" and second.code == f"HR{TODAY.year}-0002"
    assert first.best_before == TODAY + timedelta(days=60)


@pytest.mark.parametrize(
    ("details", "error"),
    [
        ({"harvested": 1}, errors.InvalidLot),  # harvested tomorrow
        ({"harvested": -5, "best_before": -6}, errors.InvalidLot),
        ({"code": "a b"}, errors.InvalidLot),
        ({"code": "U-1"}, errors.InvalidLot),  # kept for unrecorded stock
        ({"code": "X" * 21}, errors.InvalidLot),
        ({"certificate": "halal"}, errors.InvalidLot),
        ({"code": "TAKEN"}, errors.LotCodeTaken),
    ],
)
def test_a_bad_lot_is_refused_and_nothing_is_written(shop, details, error):
    receive(shop, 1, code="TAKEN")
    before = (StockMovement.objects.count(), Lot.objects.count(), LotDraw.objects.count())
    with pytest.raises(error):
        receive(shop, 5, **details)
    assert (StockMovement.objects.count(), Lot.objects.count(), LotDraw.objects.count()) == before
    assert_balanced(shop)


# --- First expiring, first out -------------------------------------------------------------------

# lots as (code, units, best before in days or None, minutes since received); units sold; draws
FEFO_CASES = {
    "the earlier best-before first": ([("A", 5, 10, 9), ("B", 5, 5, 1)], 3, {"B": -3}),
    "a sale spanning two lots": ([("A", 5, 10, 9), ("B", 5, 5, 1)], 7, {"A": -2, "B": -5}),
    "lots without a best-before last": (
        [("A", 5, None, 9), ("B", 5, 30, 1)],
        6,
        {"A": -1, "B": -5},
    ),
    "same best-before: the oldest receipt": (
        [("A", 5, 5, 1), ("B", 5, 5, 9)],
        6,
        {"A": -1, "B": -5},
    ),
    "no best-before at all: the oldest receipt": (
        [("A", 5, None, 9), ("B", 5, None, 1)],
        2,
        {"A": -2},
    ),
    "three lots, all of them": (
        [("A", 2, 3, 9), ("B", 2, 2, 5), ("C", 2, None, 1)],
        6,
        {"A": -2, "B": -2, "C": -2},
    ),
    "an empty lot is skipped": ([("A", 0, 1, 9), ("B", 4, 8, 1)], 4, {"B": -4}),
}


@pytest.mark.parametrize("case", list(FEFO_CASES))
def test_sales_draw_first_expiring_first_out(shop, case):
    lots, units, expected = FEFO_CASES[case]
    for code, quantity, best_before, minutes_ago in lots:
        if quantity:
            receive(shop, quantity, code=code, best_before=best_before, minutes_ago=minutes_ago)
    order = sell(shop, units)
    assert drawn(order) == expected
    sale = order.movements.get(kind="sale")
    assert sum(sale.draws.values_list("quantity", flat=True)) == sale.quantity == -units
    assert_balanced(shop)


def test_a_hold_draws_nothing_until_the_hand_over(shop):
    counter, variant, _, customer = shop
    receive(shop, 5, code="A")
    order = services.order_place(
        customer=customer, counter=counter, lines=[{"variant": variant.pk, "quantity": 2}]
    )
    assert drawn(order) == {} and order_lots(order) == []
    assert Lot.objects.get(code="A").remaining == 5


def test_returns_go_back_to_the_lots_drawn_last_drawn_first(shop):
    _, _, staff, _ = shop
    receive(shop, 5, code="LATE", best_before=20, minutes_ago=9)
    receive(shop, 5, code="SOON", best_before=5, minutes_ago=1)
    order = sell(shop, 7)  # SOON −5, LATE −2
    line = order.lines.get()
    services.order_line_return(line=line, quantity=1, by=staff, reason="bruised")
    assert drawn(order) == {"LATE": -1, "SOON": -5}
    services.order_line_return(line=line, quantity=3, by=staff, reason="too many")
    assert drawn(order) == {"LATE": 0, "SOON": -3}
    assert [(e.lot.code, e.units) for e in order_lots(order)] == [("SOON", 3)]
    assert_balanced(shop)


def test_an_undone_hand_over_puts_every_unit_back_where_it_came_from(shop):
    _, _, staff, _ = shop
    receive(shop, 3, code="A", best_before=3)
    receive(shop, 3, code="B", best_before=6)
    order = sell(shop, 5)
    services.order_undo_hand_over(order=order, by=staff)
    assert drawn(order) == {"A": 0, "B": 0}
    assert dict(Lot.objects.values_list("code", "remaining")) == {"A": 3, "B": 3}
    # handed over again: the same lots, first expiring first
    services.order_hand_over(order=order, by=staff, payment_method="cash")
    assert drawn(order) == {"A": -3, "B": -2}
    assert_balanced(shop)


def test_corrections_name_their_lot_or_follow_the_rules(shop):
    counter, variant, staff, _ = shop
    soon = receive(shop, 4, code="SOON", best_before=2)
    receive(shop, 4, code="LATE", best_before=9)

    def correct(quantity, lot=None):
        return services.stock_correct(
            counter=counter, variant=variant, quantity=quantity, by=staff, reason="counted", lot=lot
        )

    correct(-1)  # a loss without a lot: the first expiring
    correct(-2, lot=Lot.objects.get(code="LATE"))
    correct(+2)  # units found, origin unknown
    remaining = dict(Lot.objects.values_list("code", "remaining"))
    assert remaining == {"SOON": 3, "LATE": 2, f"U-{counter.pk}": 2}
    assert not Lot.objects.get(code=f"U-{counter.pk}").recorded
    with pytest.raises(errors.InvalidStockChange):
        correct(-4, lot=soon)  # it has 3
    other = CounterFactory(producers=[variant.product.producer])
    services.stock_receive(
        counter=other,
        variant=variant,
        quantity=1,
        by=UserFactory(is_staff=True),
        lot=services.LotDetails(code="ELSEWHERE"),
    )
    with pytest.raises(errors.InvalidStockChange):
        correct(-1, lot=Lot.objects.get(code="ELSEWHERE"))
    assert_balanced(shop)


def test_a_return_of_a_sale_from_before_lots_goes_to_the_unrecorded_lot(shop):
    counter, _variant, staff, _ = shop
    receive(shop, 5, code="A")
    order = sell(shop, 2)
    LotDraw.objects.filter(movement__order=order).delete()  # as a sale made before lots
    Lot.objects.filter(code="A").update(remaining=5)
    services.order_line_return(line=order.lines.get(), quantity=1, by=staff, reason="old sale")
    assert Lot.objects.get(code=f"U-{counter.pk}").remaining == 1


def test_verify_stock_sees_lots_that_do_not_add_up(shop):
    receive(shop, 5, code="A")
    Lot.objects.filter(code="A").update(remaining=4)
    fields = {p.field for p in stock_mismatches()}
    assert fields == {"remaining (draws)", "on_hand (lots)"}


def test_the_migration_makes_an_unrecorded_lot_of_stock_on_hand():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("marketplace.migrations.0014_unrecorded_lots")
    producer = ProducerFactory()
    counter = CounterFactory(producers=[producer])
    variant = VariantFactory(product__producer=producer)
    Stock.objects.create(variant=variant, counter=counter, on_hand=7)
    StockMovement.objects.create(stock=Stock.objects.get(), kind="receipt", quantity=7)
    migration.forwards(apps, None)
    lot = Lot.objects.get()
    assert (lot.code, lot.remaining, lot.quantity_received, lot.recorded) == (
        f"U-{counter.pk}",
        7,
        7,
        False,
    )
    assert stock_mismatches() == []


# --- The trace page ------------------------------------------------------------------------------


@pytest.fixture
def sold_lot(shop):
    lot = receive(
        shop,
        5,
        code="HR2026-0007",
        best_before=40,
        harvested=-3,
        certificate="compliance",
        certificate_number="CN-42",
    )
    order = sell(shop, 2)
    return lot, order


def test_the_trace_page_shows_the_lot_and_nothing_personal(client, shop, sold_lot):
    lot, order = sold_lot
    counter, variant, staff, customer = shop
    response = client.get(f"/01/{variant.gtin}/10/{lot.code}")
    assert response.status_code == 200
    page = response.content.decode()
    assert lot.code in page and variant.gtin in page
    assert variant.product.producer.name in page
    assert counter.name in page and counter.centre.name in page
    assert "CN-42" in page and "承诺达标合格证" in page
    assert day(-3).isoformat() in page and day(40).isoformat() in page
    if lot.village and lot.village.latitude is not None:
        assert "openstreetmap.org" in page
    for personal in (customer.username, customer.email, order.pickup_code, staff.username):
        assert personal not in page
    assert order.pickup_code_display not in page


def test_the_trace_page_shows_the_village_with_a_map_link(client, shop):
    from organizations.models import Area

    _counter, variant, *_ = shop
    village = Area.objects.create(
        district=variant.product.producer.district,
        kind="village",
        name="栗花沟村",
        latitude="40.410000",
        longitude="116.620000",
    )
    lot = receive(shop, 1, code="MAP", village=village)
    page = client.get(f"/01/{variant.gtin}/10/{lot.code}").content.decode()
    assert "栗花沟村" in page
    assert "https://www.openstreetmap.org/?mlat=40.410000&amp;mlon=116.620000" in page


@pytest.mark.parametrize(
    "path",
    [
        "/01/{gtin}/10/{lot}",
        "/01/{gtin}/10/{lot}/",
        "/01/{gtin}/10/{lot}?linkType=gs1:pip&17=261231",  # GS1 parameters are ignored
        "/01/{gtin13}/10/{lot}",  # a GTIN-13 pads to the GTIN-14
        "/01/{gtin}/10/{lower}",
        "/en/01/{gtin}/10/{lot}",
        "/zh-hant/01/{gtin}/10/{lot}",
    ],
)
def test_the_trace_page_answers_at_its_digital_link_forms(client, shop, sold_lot, path):
    lot, _ = sold_lot
    gtin = shop[1].gtin
    url = path.format(gtin=gtin, gtin13=gtin[1:], lot=lot.code, lower=lot.code.lower())
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/01/{gtin}/10/NOPE",  # unknown lot
        "/01/{other}/10/{lot}",  # a valid GTIN of nothing we sell
        "/01/12345/10/{lot}",  # too short to be a GTIN
    ],
)
def test_an_unknown_gtin_or_lot_is_a_clear_404(client, shop, sold_lot, path):
    lot, _ = sold_lot
    url = path.format(gtin=shop[1].gtin, other=gs1.with_check_digit("0690999900001"), lot=lot.code)
    response = client.get(url)
    assert response.status_code == 404
    page = response.content.decode()
    assert "未知批号" in page or "Unknown lot" in page


def test_the_unprefixed_trace_page_follows_the_browser_language(client, shop, sold_lot):
    lot, _ = sold_lot
    url = f"/01/{shop[1].gtin}/10/{lot.code}"
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="en"' in english and "Best before" in english
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert 'lang="zh-Hans"' in chinese
    forced = client.get(url + "?lang=zh-hans", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="zh-Hans"' in forced
    # the switch's Simplified link says so, or the English browser would get English again
    assert f'href="{url}?lang=zh-hans"' in english


def test_the_trace_page_is_served_from_the_page_cache_for_visitors(
    client, shop, sold_lot, settings
):
    settings.PUBLIC_CACHE_SECONDS = 60
    lot, _ = sold_lot
    url = f"/01/{shop[1].gtin}/10/{lot.code}"
    first = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url + "?linkType=all")
    assert again.status_code == 200 and again.content == first.content
    assert len(queries) == 0, [q["sql"][:150] for q in queries.captured_queries]


# --- QR codes ----------------------------------------------------------------------------------


def svg_of(page: str, cls: str = "qr-code") -> list[str]:
    return re.findall(rf'<svg [^>]*class="{cls}".*?</svg>', page, flags=re.S)


ZBARIMG = shutil.which("zbarimg")


def decode_with_zbarimg(text: str, tmp_path) -> str:
    png = tmp_path / "qr.png"
    qr.make(text).save(str(png), kind="png", scale=8, border=4)
    result = subprocess.run(
        [ZBARIMG, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(png)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    return result.stdout.strip()


def test_the_order_page_shows_each_lot_drawn_with_its_qr_code(
    client, shop, sold_lot, tmp_path, settings
):
    settings.SITE_URL = "https://dh.example.org"
    lot, order = sold_lot
    client.force_login(shop[3])
    page = client.get(order.get_absolute_url()).content.decode()
    expected = f"https://dh.example.org/01/{shop[1].gtin}/10/{lot.code}"
    assert f'href="{expected}"' in page
    # the SVG on the page is the symbol of exactly that URL...
    label = f"QR code of lot {lot.code}"
    drawn_here = [s for s in svg_of(page) if lot.code in s]
    assert len(drawn_here) == 1
    assert drawn_here[0] == str(qr.svg(expected, label=qr_label(label, page), svgclass="qr-code"))
    # ...and a real decoder reads that URL from the symbol
    if ZBARIMG is None:
        pytest.skip("zbarimg is not installed (apt-get install zbar-tools)")
    assert decode_with_zbarimg(expected, tmp_path) == expected


def qr_label(english: str, page: str) -> str:
    """The QR code's label as the page wrote it (in the page's language)."""
    found = re.search(r'<svg role="img" aria-label="([^"]+)"[^>]*class="qr-code"', page)
    from html import unescape

    return unescape(found.group(1)) if found else english


def test_an_order_not_yet_handed_over_says_when_its_lots_show(client, shop):
    counter, variant, _, customer = shop
    receive(shop, 5)
    order = services.order_place(
        customer=customer, counter=counter, lines=[{"variant": variant.pk, "quantity": 1}]
    )
    client.force_login(customer)
    page = client.get(order.get_absolute_url()).content.decode()
    assert "/01/" not in page


# --- The partner panel ---------------------------------------------------------------------------


def test_counter_staff_receive_goods_with_their_lot_in_the_panel(client, shop):
    counter, variant, staff, _ = shop
    client.force_login(staff)
    response = client.post(
        "/vendor/marketplace/counterstock/receive/",
        {
            "counter": counter.pk,
            "variant": variant.pk,
            "quantity": 9,
            "lot_code": "PANEL-1",
            "harvested_on": day(-2).isoformat(),
            "best_before": day(20).isoformat(),
            "certificate": "gi",
            "certificate_number": "",
            "reason": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    lot = Lot.objects.get(code="PANEL-1")
    assert (lot.remaining, lot.certificate, lot.best_before) == (9, "gi", day(20))


def test_the_panel_refuses_a_harvest_in_the_future_with_a_400(client, shop):
    counter, variant, staff, _ = shop
    client.force_login(staff)
    response = client.post(
        "/vendor/marketplace/counterstock/receive/",
        {
            "counter": counter.pk,
            "variant": variant.pk,
            "quantity": 1,
            "harvested_on": day(3).isoformat(),
            "certificate": "none",
        },
    )
    assert response.status_code == 400
    assert not Lot.objects.exists()


def test_partners_see_their_own_lots_and_print_labels(client, shop):
    _counter, variant, staff, _ = shop
    lot = receive(shop, 3, code="MINE")
    stranger_producer = ProducerFactory()
    stranger_counter = CounterFactory(producers=[stranger_producer])
    services.stock_receive(
        counter=stranger_counter,
        variant=VariantFactory(
            product__producer=stranger_producer, gtin=gs1.with_check_digit("0690123400099")
        ),
        quantity=1,
        by=UserFactory(is_staff=True),
        lot=services.LotDetails(code="THEIRS"),
    )
    client.force_login(staff)
    page = client.get("/vendor/marketplace/lot/").content.decode()
    assert "MINE" in page and "THEIRS" not in page
    label = client.get(f"/vendor/marketplace/lot/{lot.pk}/label/")
    assert label.status_code == 200
    assert variant.gtin in label.content.decode() and svg_of(label.content.decode())
    theirs = Lot.objects.get(code="THEIRS")
    assert client.get(f"/vendor/marketplace/lot/{theirs.pk}/label/").status_code == 404
    # several labels at once, the list's action (someone else's lot is not in the list)
    second = receive(shop, 2, code="MINE-2")
    printed = client.post(
        "/vendor/marketplace/lot/",
        {"action": "print_labels", "_selected_action": [lot.pk, second.pk, theirs.pk]},
    ).content.decode()
    assert printed.count('class="lot-label"') == 2 and "THEIRS" not in printed
    # the producer sees the lots of its goods, at any counter
    from .factories import member

    producer_user = member(variant.product.producer, "lot-producer")
    client.force_login(producer_user)
    page = client.get("/vendor/marketplace/lot/").content.decode()
    assert "MINE" in page and "THEIRS" not in page


def test_the_lots_list_costs_the_same_queries_for_5_or_50_lots(client, shop):
    client.force_login(shop[2])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/vendor/marketplace/lot/").status_code == 200
        return len(captured)

    for n in range(5):
        receive(shop, 1, code=f"Q{n}")
    five = queries()
    for n in range(5, 50):
        receive(shop, 1, code=f"Q{n}")
    assert queries() == five


def test_the_staff_order_page_names_the_lots_handed_over(client, shop, sold_lot):
    lot, order = sold_lot
    client.force_login(shop[2])
    page = client.get(f"/vendor/marketplace/counterorder/{order.pk}/change/").content.decode()
    assert f"{lot.code} × 2" in page


def test_a_gtin_alone_opens_the_product_page_in_the_browsers_language(client, shop):
    _, variant, *_ = shop
    response = client.get(f"/01/{variant.gtin}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert response["Location"] == f"/en/products/{variant.product.slug}/"
    assert client.get(f"/01/{variant.gtin[1:]}").headers["Location"] == (
        f"/products/{variant.product.slug}/"
    )
    assert client.get(f"/01/{gs1.with_check_digit('0690999900001')}").status_code == 404
