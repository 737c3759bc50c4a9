"""The partner panel (/vendor/) and district staff's /admin/: the scoping
matrix (two producers, two counters: nobody sees or changes another's
objects), the pickup desk, stock pages, bulk-order steps, sales report + CSV."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from marketplace import services
from marketplace.models import BulkOrder, Order, Product, ProductVariant, Stock, StockMovement

pytestmark = pytest.mark.django_db

V = "/vendor/marketplace"


def options(html: str, name: str) -> set[str]:
    """The option values of the <select name=...> in a page."""
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return set(re.findall(r'<option value="([^"]*)"', select)) - {""}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def scene(world):
    """Each organization owns one of everything."""
    o1 = services.order_place(
        customer=world.customer, counter=world.counter1, lines=[(world.potato_bag.pk, 1)]
    )
    o2 = services.order_place(
        customer=world.customer, counter=world.counter2, lines=[(world.chestnut_bag.pk, 1)]
    )
    delivery = timezone.localdate() + timedelta(days=4)
    b1 = services.bulk_order_request(
        buyer=world.buyer, requested_by=world.buyer_user, lines=[(world.chestnut_bag.pk, 60)],
        requested_delivery_date=delivery,
    )  # fmt: skip
    b2 = services.bulk_order_request(
        buyer=world.buyer, requested_by=world.buyer_user, lines=[(world.potato_bag.pk, 60)],
        requested_delivery_date=delivery,
    )  # fmt: skip
    world.order1, world.order2, world.bulk1, world.bulk2 = o1, o2, b1, b2
    world.stock1 = Stock.objects.get(counter=world.counter1, variant=world.potato_bag)
    world.stock2 = Stock.objects.get(counter=world.counter2, variant=world.chestnut_bag)
    world.line1 = o2.lines.get()  # producer1's line (chestnuts at counter2)
    world.line2 = o1.lines.get()  # producer2's line (sweet potatoes at counter1)
    world.move1 = StockMovement.objects.filter(stock=world.stock1).first()
    world.move2 = StockMovement.objects.filter(stock=world.stock2).first()
    return world


def url_pairs(w):
    """(user, path of own object, path of the other organization's object)."""
    p1_product, p2_product = w.chestnut_bag.product, w.potato_bag.product
    stock_p1 = Stock.objects.get(counter=w.counter1, variant=w.chestnut_bag)
    stock_p2 = Stock.objects.get(counter=w.counter1, variant=w.potato_bag)
    return [
        (w.producer1_user, f"{V}/product/{p1_product.pk}/change/", f"{V}/product/{p2_product.pk}/change/"),
        (w.producer2_user, f"{V}/product/{p2_product.pk}/change/", f"{V}/product/{p1_product.pk}/change/"),
        (w.producer1_user, f"{V}/productvariant/{w.chestnut_bag.pk}/change/", f"{V}/productvariant/{w.potato_bag.pk}/change/"),
        (w.producer1_user, f"{V}/producerstock/{stock_p1.pk}/change/", f"{V}/producerstock/{stock_p2.pk}/change/"),
        (w.producer1_user, f"{V}/producersale/{w.line1.pk}/change/", f"{V}/producersale/{w.line2.pk}/change/"),
        (w.producer2_user, f"{V}/producersale/{w.line2.pk}/change/", f"{V}/producersale/{w.line1.pk}/change/"),
        (w.producer1_user, f"{V}/bulkorder/{w.bulk1.pk}/change/", f"{V}/bulkorder/{w.bulk2.pk}/change/"),
        (w.producer1_user, f"{V}/bulkorder/{w.bulk1.pk}/act/", f"{V}/bulkorder/{w.bulk2.pk}/act/"),
        (w.counter1_user, f"{V}/counterorder/{w.order1.pk}/change/", f"{V}/counterorder/{w.order2.pk}/change/"),
        (w.counter2_user, f"{V}/counterorder/{w.order2.pk}/change/", f"{V}/counterorder/{w.order1.pk}/change/"),
        (w.counter1_user, f"{V}/counterstock/{w.stock1.pk}/change/", f"{V}/counterstock/{w.stock2.pk}/change/"),
        (w.counter2_user, f"{V}/counterstock/{w.stock2.pk}/change/", f"{V}/counterstock/{w.stock1.pk}/change/"),
        (w.counter1_user, f"{V}/stockmovement/{w.move1.pk}/change/", f"{V}/stockmovement/{w.move2.pk}/change/"),
    ]  # fmt: skip


def test_each_sees_its_own_objects_and_never_anothers(scene):
    for user, own, other in url_pairs(scene):
        client = signed_in(user)
        assert client.get(own).status_code == 200, (user, own)
        response = client.get(other)
        assert response.status_code in (302, 404), (user, other, response.status_code)
        if response.status_code == 302:
            assert response["Location"] == "/vendor/"  # "doesn't exist", back to the index


def test_pages_of_another_kind_of_organization_are_forbidden(scene):
    w = scene
    for user, path in [
        (w.producer1_user, f"{V}/counterorder/"),
        (w.producer1_user, f"{V}/counterorder/pickup/"),
        (w.producer1_user, f"{V}/counterstock/receive/"),
        (w.producer1_user, f"{V}/stockmovement/"),
        (w.counter1_user, f"{V}/product/"),
        (w.counter1_user, f"{V}/producersale/"),
        (w.counter1_user, f"{V}/bulkorder/"),
        (w.counter1_user, f"{V}/centre/"),  # staff, not the centre's manager
        (w.counter1_user, f"{V}/counter/"),
        (w.buyer_user, f"{V}/product/"),
        (w.buyer_user, f"{V}/bulkorder/"),
    ]:
        assert signed_in(user).get(path).status_code == 403, (user, path)
    # a customer with no organization cannot open the panel at all
    assert signed_in(w.customer).get(f"{V}/product/").status_code == 302


def test_buyer_sees_own_purchases_read_only(scene):
    html = signed_in(scene.buyer_user).get(f"{V}/bulkpurchase/").content.decode()
    assert f"#{scene.bulk1.pk} " in html
    # there is no "act" page on the buyer's side: the admin's catch-all sends it back to the index
    response = signed_in(scene.buyer_user).get(
        f"{V}/bulkpurchase/{scene.bulk1.pk}/act/", follow=True
    )
    assert response.redirect_chain and 'value="confirmed"' not in response.content.decode()
    assert signed_in(scene.producer1_user).get(f"{V}/bulkpurchase/").status_code == 403


def product_form(product, **overrides) -> dict:
    data = {
        "producer": product.producer_id,
        "slug": product.slug,
        "name_zh_hans": product.name_zh_hans,
        "name_en": product.name_en,
        "category": product.category_id,
        "summary_zh_hans": product.summary_zh_hans,
        "summary_en": product.summary_en or "",
        "description_zh_hans": "",
        "description_en": "",
        "storage_zh_hans": "",
        "storage_en": "",
        "is_active": "on",
        "bulk_min_quantity": 1,
        "variants-TOTAL_FORMS": 0,
        "variants-INITIAL_FORMS": 0,
        "variants-MIN_NUM_FORMS": 0,
        "variants-MAX_NUM_FORMS": 1000,
        "images-TOTAL_FORMS": 0,
        "images-INITIAL_FORMS": 0,
        "images-MIN_NUM_FORMS": 0,
        "images-MAX_NUM_FORMS": 1000,
    }
    variants = list(product.variants.all())
    data["variants-TOTAL_FORMS"] = data["variants-INITIAL_FORMS"] = len(variants)
    for n, v in enumerate(variants):
        data.update(
            {
                f"variants-{n}-id": v.pk,
                f"variants-{n}-product": product.pk,
                f"variants-{n}-sku": v.sku,
                f"variants-{n}-name_zh_hans": v.name_zh_hans,
                f"variants-{n}-name_en": v.name_en,
                f"variants-{n}-unit_price": str(v.unit_price),
                f"variants-{n}-weight_grams": v.weight_grams or "",
                f"variants-{n}-is_active": "on",
                f"variants-{n}-position": v.position,
            }
        )
    data.update(overrides)
    return data


def test_a_producer_edits_its_own_product(scene, django_capture_on_commit_callbacks):
    product = scene.chestnut_bag.product
    client = signed_in(scene.producer1_user)
    data = product_form(product, summary_zh_hans="新栗上市")
    data["variants-0-unit_price"] = "26.50"
    from core.cache import versions

    before = versions("marketplace")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{V}/product/{product.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    product.refresh_from_db()
    assert product.summary_zh_hans == "新栗上市"
    assert ProductVariant.objects.get(pk=scene.chestnut_bag.pk).unit_price == Decimal("26.50")
    assert versions("marketplace") != before  # cached public pages are invalidated


def test_a_producer_cannot_move_a_product_to_another_producer_or_change_anothers(scene):
    w = scene
    mine, theirs = w.chestnut_bag.product, w.potato_bag.product
    client = signed_in(w.producer1_user)
    # claim the product for producer2: not a valid choice
    response = client.post(
        f"{V}/product/{mine.pk}/change/", product_form(mine, producer=w.producer2.pk)
    )
    assert response.status_code == 400
    assert Product.objects.get(pk=mine.pk).producer == w.producer1
    # change producer2's product: it does not exist for them
    response = client.post(
        f"{V}/product/{theirs.pk}/change/", product_form(theirs, summary_zh_hans="hacked")
    )
    assert response.status_code in (302, 404)
    assert Product.objects.get(pk=theirs.pk).summary_zh_hans != "hacked"
    # create one for producer2
    before = Product.objects.count()
    data = product_form(mine, slug="new-one", producer=w.producer2.pk)
    data["variants-TOTAL_FORMS"] = data["variants-INITIAL_FORMS"] = 0
    response = client.post(f"{V}/product/add/", data)
    assert response.status_code == 400
    assert Product.objects.count() == before


def test_vendor_form_has_no_report_or_demo_flags(scene):
    html = signed_in(scene.producer1_user).get(f"{V}/product/add/").content.decode()
    assert 'name="is_reported"' not in html and 'name="is_demo"' not in html
    assert options(html, "producer") == {str(scene.producer1.pk)}


# --- Pickup desk ----------------------------------------------------------------------------------


def test_pickup_desk_ready_then_collected(scene, django_capture_on_commit_callbacks):
    from django.core import mail

    order = scene.order1
    client = signed_in(scene.counter1_user)
    desk = f"{V}/counterorder/pickup/"
    page = client.get(desk, {"code": order.pickup_code.lower()[:3] + " " + order.pickup_code[3:]})
    assert page.status_code == 200 and order.pickup_code_display in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(desk, {"code": order.pickup_code, "action": "ready"})
    assert response.status_code == 302
    assert Order.objects.get(pk=order.pk).status == "ready"
    assert len(mail.outbox) == 1
    # no payment method: refused with a message, nothing changes
    response = client.post(desk, {"code": order.pickup_code, "action": "collect"})
    assert response.status_code == 400
    response = client.post(
        desk, {"code": order.pickup_code, "action": "collect", "payment_method": "alipay"}
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.status, order.payment_method) == ("collected", "alipay")
    # once collected, a second hand-over is a conflict
    response = client.post(
        desk, {"code": order.pickup_code, "action": "collect", "payment_method": "cash"}
    )
    assert response.status_code == 409


def test_pickup_desk_hands_over_an_order_not_yet_marked_ready(scene):
    order = scene.order1
    client = signed_in(scene.counter1_user)
    response = client.post(
        f"{V}/counterorder/pickup/",
        {"code": order.pickup_code, "action": "handover", "payment_method": "cash"},
    )
    assert response.status_code == 302
    assert [e.to_status for e in Order.objects.get(pk=order.pk).events.all()] == [
        "placed",
        "ready",
        "collected",
    ]


def test_pickup_desk_cancel_needs_a_reason_and_return_after_collection(scene):
    order = scene.order1
    client = signed_in(scene.counter1_user)
    desk = f"{V}/counterorder/pickup/"
    assert client.post(desk, {"code": order.pickup_code, "action": "cancel"}).status_code == 400
    assert (
        client.post(
            desk,
            {"code": order.pickup_code, "action": "cancel", "reason": "spoiled", "confirm": "yes"},
        ).status_code
        == 302
    )
    assert Order.objects.get(pk=order.pk).status == "cancelled"
    assert client.post(desk, {"code": order.pickup_code, "action": "dance"}).status_code in (
        400,
        409,
    )


def test_pickup_desk_cannot_find_or_touch_another_counters_order(scene):
    other = scene.order2
    client = signed_in(scene.counter1_user)
    desk = f"{V}/counterorder/pickup/"
    assert client.get(desk, {"code": other.pickup_code}).status_code == 404
    response = client.post(desk, {"code": other.pickup_code, "action": "ready"})
    assert response.status_code == 404
    assert Order.objects.get(pk=other.pk).status == "placed"


def test_mark_ready_action_only_touches_own_orders(scene):
    client = signed_in(scene.counter1_user)
    client.post(
        f"{V}/counterorder/",
        {"action": "mark_ready", "_selected_action": [scene.order1.pk, scene.order2.pk]},
    )
    assert Order.objects.get(pk=scene.order1.pk).status == "ready"
    assert Order.objects.get(pk=scene.order2.pk).status == "placed"


# --- Stock pages --------------------------------------------------------------------------------------


def test_receive_and_correct_pages(scene):
    w = scene
    client = signed_in(w.counter2_user)
    page = client.get(f"{V}/counterstock/receive/").content.decode()
    assert options(page, "counter") == {str(w.counter2.pk)}
    # only what counter2 carries (producer1's variants)
    assert options(page, "variant") == {str(w.chestnut_bag.pk), str(w.chestnut_box.pk)}
    response = client.post(
        f"{V}/counterstock/receive/",
        {
            "counter": w.counter2.pk,
            "variant": w.chestnut_box.pk,
            "quantity": 6,
            "reason": "delivery 7",
        },
    )
    assert response.status_code == 302
    assert Stock.objects.get(counter=w.counter2, variant=w.chestnut_box).on_hand == 6
    response = client.post(
        f"{V}/counterstock/correct/",
        {
            "counter": w.counter2.pk,
            "variant": w.chestnut_box.pk,
            "quantity": -2,
            "reason": "crushed",
        },
    )
    assert response.status_code == 302
    assert Stock.objects.get(counter=w.counter2, variant=w.chestnut_box).on_hand == 4


@pytest.mark.parametrize(
    ("page", "data"),
    [
        ("receive", {"quantity": 0}),
        ("receive", {"quantity": -3}),
        ("receive", {"quantity": 10**9}),
        ("receive", {"counter": "COUNTER1"}),  # another counter's: not a valid choice
        ("receive", {"variant": "POTATO"}),  # not carried at counter2
        ("correct", {"quantity": -99}),  # below what is there
        ("correct", {"reason": ""}),
        ("correct", {"quantity": 0}),
    ],
)
def test_stock_pages_refuse_bad_input_and_write_nothing(scene, page, data):
    w = scene
    form = {
        "counter": w.counter2.pk,
        "variant": w.chestnut_bag.pk,
        "quantity": 1,
        "reason": "x",
        **data,
    }
    form["counter"] = w.counter1.pk if form["counter"] == "COUNTER1" else form["counter"]
    form["variant"] = w.potato_bag.pk if form["variant"] == "POTATO" else form["variant"]
    before = StockMovement.objects.count()
    response = signed_in(w.counter2_user).post(f"{V}/counterstock/{page}/", form)
    assert response.status_code in (400, 409)
    assert StockMovement.objects.count() == before


# --- Bulk orders in the panel ------------------------------------------------------------------------


def test_producer_confirms_with_changes_then_delivers_and_settles(
    scene, django_capture_on_commit_callbacks
):
    from django.core import mail

    w = scene
    client = signed_in(w.producer1_user)
    act = f"{V}/bulkorder/{w.bulk1.pk}/act/"
    line = w.bulk1.lines.get()
    new_date = (timezone.localdate() + timedelta(days=9)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            act, {"action": "confirmed", "delivery_date": new_date, f"line_{line.pk}": 200}
        )
    assert response.status_code == 302
    bulk = BulkOrder.objects.get(pk=w.bulk1.pk)
    assert (bulk.status, bulk.total) == ("confirmed", 3600)
    assert mail.outbox[-1].to == ["buyer1@example.org"]
    assert client.post(act, {"action": "settled"}).status_code == 409  # not delivered yet
    assert client.post(act, {"action": "delivered"}).status_code == 302
    assert client.post(act, {"action": "settled"}).status_code == 302
    assert BulkOrder.objects.get(pk=w.bulk1.pk).status == "settled"


def test_reject_needs_a_reason(scene):
    client = signed_in(scene.producer1_user)
    act = f"{V}/bulkorder/{scene.bulk1.pk}/act/"
    assert client.post(act, {"action": "rejected"}).status_code == 400
    assert client.post(act, {"action": "rejected", "reason": "no stock"}).status_code == 302
    assert BulkOrder.objects.get(pk=scene.bulk1.pk).status == "rejected"


def test_producer_cannot_move_anothers_bulk_order(scene):
    response = signed_in(scene.producer1_user).post(
        f"{V}/bulkorder/{scene.bulk2.pk}/act/", {"action": "delivered"}
    )
    assert response.status_code == 404
    assert BulkOrder.objects.get(pk=scene.bulk2.pk).status == "requested"


# --- Sales report and CSV ------------------------------------------------------------------------------


def collect(order, staff):
    services.order_transition(order=order, to="ready", by=staff)
    services.order_transition(order=order, to="collected", by=staff, payment_method="cash")


def test_sales_report_page_and_csv_are_scoped(scene):
    w = scene
    collect(w.order1, w.counter1_user)  # producer2's sweet potatoes at counter1
    collect(w.order2, w.counter2_user)  # producer1's chestnuts at counter2
    today = timezone.localdate().isoformat()
    query = {"date_from": today, "date_to": today, "group_by": "producer"}
    html = signed_in(w.producer1_user).get(f"{V}/salesreport/", query).content.decode()
    assert "板栗合作社" in html and "红薯农场" not in html
    html = (
        signed_in(w.counter1_user)
        .get(f"{V}/salesreport/", {**query, "group_by": "counter"})
        .content.decode()
    )
    assert w.counter1.name in html and w.counter2.name not in html
    response = signed_in(w.counter2_user).get(f"{V}/salesreport/", {**query, "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = [line.split(",") for line in text.strip().splitlines()]
    assert rows[1] == ["板栗合作社", "1", "1", "25.00"]
    assert len(rows) == 2


def test_sales_report_bad_dates_are_a_400(scene):
    response = signed_in(scene.producer1_user).get(
        f"{V}/salesreport/",
        {"date_from": "2026-05-01", "date_to": "2026-04-01", "group_by": "producer"},
    )
    assert response.status_code == 400
    response = signed_in(scene.producer1_user).get(
        f"{V}/salesreport/",
        {"date_from": "yesterday", "date_to": "2026-04-01", "group_by": "producer"},
    )
    assert response.status_code == 400


# --- District staff ---------------------------------------------------------------------------------


@pytest.fixture
def district(db):
    from django.contrib.auth.models import Group, Permission

    from tests.factories import UserFactory

    group, _ = Group.objects.get_or_create(name="District staff")
    group.permissions.set(Permission.objects.filter(content_type__app_label="marketplace"))
    user = UserFactory(username="district-user", is_staff=True)
    user.groups.add(group)
    return user


def test_district_staff_see_everything_in_admin(scene, district):
    client = signed_in(district)
    for path in [
        "/admin/marketplace/product/",
        "/admin/marketplace/productvariant/",
        "/admin/marketplace/order/",
        "/admin/marketplace/order/pickup/",
        "/admin/marketplace/stock/",
        "/admin/marketplace/stock/receive/",
        "/admin/marketplace/stockmovement/",
        "/admin/marketplace/bulkorder/",
        "/admin/marketplace/centre/",
        "/admin/marketplace/counter/",
        "/admin/marketplace/category/",
        "/admin/marketplace/businessbuyer/",
        f"/admin/marketplace/order/{scene.order1.pk}/change/",
        f"/admin/marketplace/order/{scene.order2.pk}/change/",
        f"/admin/marketplace/bulkorder/{scene.bulk2.pk}/act/",
    ]:
        assert client.get(path).status_code == 200, path
    html = client.get("/admin/marketplace/order/").content.decode()
    assert scene.order1.pickup_code in html and scene.order2.pickup_code in html
    collect(scene.order1, scene.counter1_user)
    today = timezone.localdate().isoformat()
    html = client.get(
        "/admin/marketplace/salesreport/",
        {"date_from": today, "date_to": today, "group_by": "producer"},
    ).content.decode()
    assert "红薯农场" in html


def test_district_staff_use_the_desk_at_any_counter(scene, district):
    response = signed_in(district).post(
        "/admin/marketplace/order/pickup/", {"code": scene.order2.pickup_code, "action": "ready"}
    )
    assert response.status_code == 302
    assert Order.objects.get(pk=scene.order2.pk).status == "ready"


def test_centre_manager_edits_own_counters_only(scene):
    from .factories import CounterFactory, member

    manager = member(scene.counter1.centre.organization, "manager1", role="manager")
    client = signed_in(manager)
    assert client.get(f"{V}/counter/{scene.counter1.pk}/change/").status_code == 200
    assert client.get(f"{V}/counter/{scene.counter2.pk}/change/").status_code == 302
    assert client.get(f"{V}/centre/{scene.counter1.centre.pk}/change/").status_code == 200
    assert client.get(f"{V}/centre/{scene.counter2.centre.pk}/change/").status_code == 302
    # a manager sees every order of the centre, even without an assignment
    sibling = CounterFactory(centre=scene.counter1.centre, producers=[scene.producer1])
    assert sibling.pk
    html = client.get(f"{V}/counterorder/").content.decode()
    assert scene.order1.pickup_code in html and scene.order2.pickup_code not in html
