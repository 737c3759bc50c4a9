"""/api/v1/lots/ (a partner's lots, receipts with their lot) and
/api/v1/trace/<gtin>/<lot>/ (a lot's public trace)."""

import pytest
from rest_framework.test import APIClient

from core import gs1
from marketplace import services
from marketplace.models import Lot
from tests.factories import UserFactory

from .factories import (
    CounterFactory,
    ProducerFactory,
    ProductFactory,
    VariantFactory,
    counter_staff,
    member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    producer = ProducerFactory(slug="api-lot-coop")
    product = ProductFactory(slug="api-lot-chestnuts", producer=producer)
    variant = VariantFactory(
        product=product, sku="API-LOT", gtin=gs1.with_check_digit("0690123400011")
    )
    counter = CounterFactory(producers=[producer])
    return producer, variant, counter, counter_staff(counter, "api-lot-staff")


def as_user(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def receipt(variant, counter, **more):
    return {"counter": counter.pk, "variant": variant.pk, "quantity": 4, **more}


def test_counter_staff_receive_goods_with_a_lot(place):
    _, variant, counter, staff = place
    response = as_user(staff).post(
        "/api/v1/lots/",
        receipt(
            variant,
            counter,
            lot="api-1",
            harvested_on="2026-09-01",
            best_before="2026-12-31",
            certificate="gi",
        ),
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["lot"], body["remaining"], body["certificate"]) == ("API-1", 4, "gi")
    assert body["trace_url"].endswith(f"/01/{variant.gtin}/10/API-1")
    assert Lot.objects.get(code="API-1").best_before.isoformat() == "2026-12-31"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"quantity": 0}, 400, None),
        ({"harvested_on": "2999-01-01"}, 400, "invalid_lot"),
        ({"lot": "no spaces"}, 400, "invalid_lot"),
        ({"certificate": "halal"}, 400, None),
        ({"lot": "TWICE"}, 409, "lot_code_taken"),
    ],
)
def test_a_bad_receipt_is_refused_with_its_reason(place, body, status, code):
    _, variant, counter, staff = place
    as_user(staff).post("/api/v1/lots/", receipt(variant, counter, lot="TWICE"), format="json")
    before = Lot.objects.count()
    response = as_user(staff).post(
        "/api/v1/lots/", receipt(variant, counter, **body), format="json"
    )
    assert response.status_code == status, response.json()
    if code:
        assert response.json()["code"] == code
    assert Lot.objects.count() == before


def test_a_customer_may_not_receive_goods_and_has_no_lots(place):
    _, variant, counter, _ = place
    customer = as_user(UserFactory(username="api-customer"))
    assert (
        customer.post("/api/v1/lots/", receipt(variant, counter), format="json").status_code == 403
    )
    assert customer.get("/api/v1/lots/").json()["count"] == 0
    assert APIClient().get("/api/v1/lots/").status_code == 401


def test_partners_list_their_own_lots_only(place):
    producer, variant, counter, staff = place
    services.stock_receive(
        counter=counter, variant=variant, quantity=2, by=staff, lot=services.LotDetails(code="OURS")
    )
    other = ProducerFactory()
    elsewhere = CounterFactory(producers=[other])
    services.stock_receive(
        counter=elsewhere,
        variant=VariantFactory(product__producer=other),
        quantity=1,
        by=UserFactory(is_staff=True),
        lot=services.LotDetails(code="NOT-OURS"),
    )
    for user in (staff, member(producer, "api-lot-producer")):
        codes = [row["lot"] for row in as_user(user).get("/api/v1/lots/").json()["results"]]
        assert codes == ["OURS"]


def test_the_public_trace_names_no_one(place):
    _, variant, counter, staff = place
    lot = services.stock_receive(
        counter=counter,
        variant=variant,
        quantity=2,
        by=staff,
        lot=services.LotDetails(code="PUB", certificate="compliance", certificate_number="N-9"),
    ).lot
    response = APIClient().get(f"/api/v1/trace/{variant.gtin}/{lot.code}/")
    assert response.status_code == 200
    body = response.json()
    assert body["certificate_number"] == "N-9" and body["counter_name"] == counter.name
    assert "remaining" not in body and "received_by" not in body
    assert staff.username not in response.content.decode()
    assert APIClient().get(f"/api/v1/trace/{variant.gtin}/NOPE/").status_code == 404
    assert APIClient().get("/api/v1/trace/123/PUB/").status_code == 404


def test_the_lots_list_costs_the_same_queries_for_5_or_50_lots(place):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _, variant, counter, staff = place
    client = as_user(staff)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/lots/?page_size=100").status_code == 200
        return len(captured)

    for n in range(5):
        services.stock_receive(
            counter=counter,
            variant=variant,
            quantity=1,
            by=staff,
            lot=services.LotDetails(code=f"Q{n}"),
        )
    queries()  # the first request warms what is per process
    five = queries()
    for n in range(5, 50):
        services.stock_receive(
            counter=counter,
            variant=variant,
            quantity=1,
            by=staff,
            lot=services.LotDetails(code=f"Q{n}"),
        )
    assert queries() == five


def test_product_detail_gives_each_variant_its_gtin(place):
    _, variant, counter, staff = place
    services.stock_receive(counter=counter, variant=variant, quantity=1, by=staff)
    body = APIClient().get(f"/api/v1/products/{variant.product.slug}/").json()
    assert [v["gtin"] for v in body["variants"]] == [variant.gtin]
