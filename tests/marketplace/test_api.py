"""/api/v1/ products, centres and orders: shapes, filters, errors, idempotency."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from marketplace import services
from marketplace.models import Order, Stock

from .helpers import counts

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def body(world, **overrides):
    data = {
        "counter": world.counter1.pk,
        "lines": [{"variant": world.chestnut_bag.pk, "quantity": 2}],
    }
    data.update(overrides)
    return data


# --- Catalogue ----------------------------------------------------------------------------------


def test_product_list_shape_and_filters(world, api_client):
    response = api_client.get("/api/v1/products/")
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"count", "next", "previous", "results"}
    first = data["results"][0]
    assert first["slug"] == "huairou-chestnuts"
    assert first["price_from"] == "25.00"
    assert first["in_stock"] is True
    assert first["producer"]["slug"] == "chestnut-coop"
    assert first["village"]["name"] == world.producer1.area.name
    assert first["url"].endswith("/products/huairou-chestnuts/")
    for query, expected in [
        ("q=板栗", ["huairou-chestnuts"]),
        ("q=sweet", ["tanghe-sweet-potatoes"]),
        ("vendor=potato-farm", ["tanghe-sweet-potatoes"]),
        (f"centre={world.counter2.centre.organization.slug}", ["huairou-chestnuts"]),
        ("category=food", ["huairou-chestnuts", "tanghe-sweet-potatoes"]),
        ("category=none", []),
        ("in_stock=true", ["huairou-chestnuts", "tanghe-sweet-potatoes"]),
        ("in_stock=false", []),
        ("in_season=true", ["huairou-chestnuts", "tanghe-sweet-potatoes"]),
    ]:
        results = api_client.get(f"/api/v1/products/?{query}").json()["results"]
        assert [p["slug"] for p in results] == expected, query


def test_product_list_bad_filter_is_a_400(world, api_client):
    response = api_client.get("/api/v1/products/?in_stock=perhaps")
    assert response.status_code == 400
    assert "in_stock" in response.json()["errors"]


def test_product_list_in_english(world, api_client):
    results = api_client.get("/api/v1/products/", HTTP_ACCEPT_LANGUAGE="en").json()["results"]
    assert results[0]["name"] == "Huairou chestnuts"


def test_product_detail_lists_stock_per_counter(world, api_client):
    data = api_client.get("/api/v1/products/huairou-chestnuts/").json()
    bag = next(v for v in data["variants"] if v["sku"] == "CH-500")
    assert bag["unit_price"] == "25.00"
    assert bag["stock"] == [
        {"counter": world.counter1.pk, "available": 10, "level": "in"},
        {"counter": world.counter2.pk, "available": 3, "level": "few"},
    ]
    assert bag["tiers"] == [
        {"min_quantity": 50, "unit_price": "20.00"},
        {"min_quantity": 200, "unit_price": "18.00"},
    ]
    assert data["in_stock"] is True and data["price_from"] == "25.00"


def test_product_detail_404(world, api_client):
    response = api_client.get("/api/v1/products/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_centres_with_counters(world, api_client):
    data = api_client.get("/api/v1/centres/").json()
    assert data["count"] == 2
    counters = {c["id"]: c for centre in data["results"] for c in centre["counters"]}
    assert {p["slug"] for p in counters[world.counter1.pk]["producers"]} == {
        "chestnut-coop",
        "potato-farm",
    }
    assert data["results"][0]["address"]


# --- Orders ----------------------------------------------------------------------------------------


def test_anonymous_cannot_order(world, api_client):
    response = api_client.post("/api/v1/orders/", body(world), format="json")
    assert response.status_code == 401
    assert api_client.get("/api/v1/orders/").status_code == 401


def test_place_an_order(world):
    response = client_for(world.customer).post("/api/v1/orders/", body(world), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert len(data["pickup_code"]) == 6
    assert data["status"] == "placed" and data["can_cancel"] is True
    assert data["total"] == "50.00"
    assert data["counter"]["id"] == world.counter1.pk and data["counter"]["centre"]["address"]
    assert data["lines"][0] == {
        "variant": world.chestnut_bag.pk,
        "sku": "CH-500",
        "product_name": "怀柔板栗",
        "variant_name": "500克袋装",
        "unit_price": "25.00",
        "quantity": 2,
        "line_total": "50.00",
    }
    assert data["pickup_deadline"]
    assert Order.objects.get().customer == world.customer


def test_a_client_cannot_set_price_status_customer_or_vendor(world):
    payload = body(
        world,
        total="0.01",
        status="collected",
        customer=world.other_customer.pk,
        pickup_code="AAAAAA",
        producer=world.producer2.pk,
        lines=[
            {
                "variant": world.chestnut_bag.pk,
                "quantity": 1,
                "unit_price": "0.01",
                "line_total": "0.01",
            }
        ],
    )
    response = client_for(world.customer).post("/api/v1/orders/", payload, format="json")
    assert response.status_code == 201
    order = Order.objects.get()
    assert (order.total, order.status, order.customer) == (25, "placed", world.customer)
    line = order.lines.get()
    assert (line.unit_price, line.producer) == (25, world.producer1)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"lines": [{"variant": 999_999, "quantity": 1}]}, "lines"),
        ({"counter": 999_999}, "counter"),
        ({"counter": "one"}, "counter"),
        ({"lines": [{"variant": "x", "quantity": 1}]}, "lines"),
        ({"lines": []}, "lines"),
        ({"lines": "all of it"}, "lines"),
        ({"lines": [{"variant": "V", "quantity": 0}]}, "lines"),
        ({"lines": [{"variant": "V", "quantity": -2}]}, "lines"),
        ({"lines": [{"variant": "V", "quantity": 10**12}]}, "lines"),
        ({"lines": [{"variant": "V", "quantity": 1.5}]}, "lines"),
        ({"lines": [{"variant": "V", "quantity": "many"}]}, "lines"),
        ({"lines": [{"variant": "V"}]}, "lines"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(world, payload, field):
    for line in payload.get("lines", []) if isinstance(payload.get("lines"), list) else []:
        if line.get("variant") == "V":
            line["variant"] = world.chestnut_bag.pk
    before = counts()
    response = client_for(world.customer).post(
        "/api/v1/orders/", body(world, **payload), format="json"
    )
    assert response.status_code == 400, response.content
    data = response.json()
    assert data["code"] == "invalid" and data["detail"]
    assert field in data["errors"]
    assert counts() == before


def test_unknown_variant_message_names_the_id(world):
    response = client_for(world.customer).post(
        "/api/v1/orders/", body(world, lines=[{"variant": 424242, "quantity": 1}]), format="json"
    )
    assert "424242" in json.dumps(response.json()["errors"], ensure_ascii=False)


def test_malformed_json_is_a_400(world):
    before = counts()
    response = client_for(world.customer).post(
        "/api/v1/orders/", data='{"counter": 1, "lines": [', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert counts() == before


def test_variant_not_carried_is_a_400(world):
    before = counts()
    response = client_for(world.customer).post(
        "/api/v1/orders/",
        body(
            world,
            counter=world.counter2.pk,
            lines=[{"variant": world.potato_bag.pk, "quantity": 1}],
        ),
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "not_carried"
    assert counts() == before


def test_insufficient_stock_is_a_409_naming_the_line(world):
    before = counts()
    response = client_for(world.customer).post(
        "/api/v1/orders/",
        body(
            world,
            lines=[
                {"variant": world.potato_bag.pk, "quantity": 1},
                {"variant": world.chestnut_bag.pk, "quantity": 11},
            ],
        ),
        format="json",
    )
    assert response.status_code == 409
    data = response.json()
    assert data["code"] == "insufficient_stock"
    assert "10" in data["detail"]
    assert counts() == before
    assert Stock.objects.get(variant=world.potato_bag, counter=world.counter1).held == 0


def test_list_and_detail_are_mine_only(world):
    mine = services.order_place(
        customer=world.customer, counter=world.counter1, lines=[(world.chestnut_bag.pk, 1)]
    )
    theirs = services.order_place(
        customer=world.other_customer, counter=world.counter1, lines=[(world.chestnut_bag.pk, 1)]
    )
    api = client_for(world.customer)
    listed = api.get("/api/v1/orders/").json()
    assert [o["id"] for o in listed["results"]] == [mine.pk]
    assert api.get(f"/api/v1/orders/{mine.pk}/").status_code == 200
    assert api.get(f"/api/v1/orders/{theirs.pk}/").status_code == 404
    assert api.post(f"/api/v1/orders/{theirs.pk}/cancel/").status_code == 404
    assert Order.objects.get(pk=theirs.pk).status == "placed"


def test_cancel_then_cancel_again_is_a_409(world):
    order = services.order_place(
        customer=world.customer, counter=world.counter1, lines=[(world.chestnut_bag.pk, 2)]
    )
    api = client_for(world.customer)
    response = api.post(f"/api/v1/orders/{order.pk}/cancel/")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    again = api.post(f"/api/v1/orders/{order.pk}/cancel/")
    assert again.status_code == 409
    assert again.json()["code"] == "invalid_transition"


def test_cancel_once_ready_is_a_409_with_a_message(world):
    order = services.order_place(
        customer=world.customer, counter=world.counter1, lines=[(world.chestnut_bag.pk, 2)]
    )
    services.order_transition(order=order, to="ready", by=world.counter1_user)
    response = client_for(world.customer).post(f"/api/v1/orders/{order.pk}/cancel/")
    assert response.status_code == 409
    assert response.json()["detail"]


def test_overdue_order_reads_as_expired_and_cannot_be_cancelled(world):
    order = services.order_place(
        customer=world.customer, counter=world.counter1, lines=[(world.chestnut_bag.pk, 2)]
    )
    Order.objects.filter(pk=order.pk).update(pickup_deadline=timezone.now() - timedelta(minutes=1))
    api = client_for(world.customer)
    data = api.get(f"/api/v1/orders/{order.pk}/").json()
    assert (data["status"], data["can_cancel"]) == ("expired", False)
    response = api.post(f"/api/v1/orders/{order.pk}/cancel/")
    assert response.status_code == 409
    assert response.json()["code"] == "order_expired"


# --- Idempotency ----------------------------------------------------------------------------------


def test_same_key_same_body_replays_the_first_order(world):
    api = client_for(world.customer)
    first = api.post("/api/v1/orders/", body(world), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = api.post("/api/v1/orders/", body(world), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Order.objects.count() == 1
    assert Stock.objects.get(variant=world.chestnut_bag, counter=world.counter1).held == 2


def test_same_key_other_body_is_a_409(world):
    api = client_for(world.customer)
    api.post("/api/v1/orders/", body(world), format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    other = body(world, lines=[{"variant": world.chestnut_bag.pk, "quantity": 3}])
    response = api.post("/api/v1/orders/", other, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    assert Order.objects.count() == 1


def test_a_failed_create_leaves_the_key_free(world):
    api = client_for(world.customer)
    too_many = body(world, lines=[{"variant": world.chestnut_bag.pk, "quantity": 50}])
    assert (
        api.post("/api/v1/orders/", too_many, format="json", HTTP_IDEMPOTENCY_KEY="k-3").status_code
        == 409
    )
    assert (
        api.post(
            "/api/v1/orders/", body(world), format="json", HTTP_IDEMPOTENCY_KEY="k-3"
        ).status_code
        == 201
    )


def test_keys_are_per_user(world):
    client_for(world.customer).post(
        "/api/v1/orders/", body(world), format="json", HTTP_IDEMPOTENCY_KEY="shared"
    )
    response = client_for(world.other_customer).post(
        "/api/v1/orders/", body(world), format="json", HTTP_IDEMPOTENCY_KEY="shared"
    )
    assert response.status_code == 201
    assert Order.objects.count() == 2


def test_schema_documents_the_endpoints(world, api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in (
        "/api/v1/products/",
        "/api/v1/products/{slug}/",
        "/api/v1/centres/",
        "/api/v1/orders/{id}/cancel/",
    ):
        assert path in schema


def test_partners_get_nothing_of_customers_orders_through_the_api(world):
    """The API is the customer's: a producer or counter member is one more
    customer there, whatever they may see in /vendor/."""
    order = services.order_place(
        customer=world.customer, counter=world.counter1, lines=[(world.chestnut_bag.pk, 1)]
    )
    for user in (
        world.producer1_user,
        world.producer2_user,
        world.counter1_user,
        world.counter2_user,
    ):
        api = client_for(user)
        assert api.get("/api/v1/orders/").json()["count"] == 0
        assert api.get(f"/api/v1/orders/{order.pk}/").status_code == 404
        assert api.post(f"/api/v1/orders/{order.pk}/cancel/").status_code == 404
    assert Order.objects.get(pk=order.pk).status == "placed"


def test_catalogue_is_read_only(world):
    api = client_for(world.producer1_user)
    assert api.post("/api/v1/products/", {"slug": "x"}, format="json").status_code == 405
    assert api.put("/api/v1/products/huairou-chestnuts/", {}, format="json").status_code == 405
    assert api.delete("/api/v1/centres/").status_code == 405
