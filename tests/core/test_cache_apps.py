"""The page cache on the apps' real pages and endpoints: a changed price, stock
figure or seat count is visible at once, because the services bump."""

from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from marketplace import services as market
from marketplace.models import ProductVariant
from tests.factories import UserFactory
from tests.marketplace.factories import (
    CounterFactory,
    ProducerFactory,
    ProductFactory,
    VariantFactory,
)
from tests.tours.factories import DepartureFactory, DeparturePriceFactory, RouteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PUBLIC_CACHE_SECONDS = 60
    translation.activate("zh-hans")
    yield
    translation.deactivate()


@pytest.fixture
def shop(db):
    producer = ProducerFactory()
    product = ProductFactory(producer=producer, slug="chestnuts")
    variant = VariantFactory(product=product, unit_price=Decimal("25.00"))
    counter = CounterFactory(producers=[producer])
    staff = UserFactory(username="district", is_staff=True)
    return product, variant, counter, staff


def _available(client, slug, variant, counter) -> int:
    data = client.get(f"/api/v1/products/{slug}/", HTTP_ACCEPT="application/json").json()
    row = next(v for v in data["variants"] if v["id"] == variant.pk)
    return next((s["available"] for s in row["stock"] if s["counter"] == counter.pk), 0)


def test_a_stock_receipt_is_visible_at_once(shop, django_capture_on_commit_callbacks):
    _product, variant, counter, staff = shop
    anonymous = Client()
    assert _available(anonymous, "chestnuts", variant, counter) == 0
    first = anonymous.get("/api/v1/products/chestnuts/", HTTP_ACCEPT="application/json")
    assert (
        anonymous.get(
            "/api/v1/products/chestnuts/",
            HTTP_ACCEPT="application/json",
            HTTP_IF_NONE_MATCH=first["ETag"],
        ).status_code
        == 304
    )  # served from the cache, unchanged

    with django_capture_on_commit_callbacks(execute=True):
        market.stock_receive(counter=counter, variant=variant, quantity=7, by=staff)

    assert _available(anonymous, "chestnuts", variant, counter) == 7
    changed = anonymous.get(
        "/api/v1/products/chestnuts/",
        HTTP_ACCEPT="application/json",
        HTTP_IF_NONE_MATCH=first["ETag"],
    )
    assert changed.status_code == 200


def test_a_price_change_in_the_admin_is_visible_at_once(
    shop, django_capture_on_commit_callbacks, django_assert_num_queries
):
    _product, variant, _counter, _staff = shop
    anonymous = Client()
    assert "25.00" in anonymous.get("/products/").content.decode()
    with django_assert_num_queries(0):  # from the cache
        assert "25.00" in anonymous.get("/products/").content.decode()

    # What the district admin's save does (marketplace.admin.base.ContentChangedMixin).
    with django_capture_on_commit_callbacks(execute=True):
        ProductVariant.objects.filter(pk=variant.pk).update(unit_price=Decimal("31.50"))
        market.catalogue_changed()

    html = anonymous.get("/products/").content.decode()
    assert "31.50" in html and "25.00" not in html
    data = anonymous.get("/api/v1/products/", HTTP_ACCEPT="application/json").json()
    assert data["results"][0]["price_from"] == "31.50"


def test_the_admin_classes_call_the_bump(shop):
    from django.contrib import admin

    from marketplace.admin.base import ContentChangedMixin

    for model in (ProductVariant, type(shop[0])):
        model_admin = admin.site._registry.get(model)
        if model_admin is not None:
            assert isinstance(model_admin, ContentChangedMixin), model


def test_a_booking_is_visible_in_seats_left_at_once(django_capture_on_commit_callbacks):
    route = RouteFactory(slug="qianmen")
    departure = DepartureFactory(route=route, capacity=10)
    DeparturePriceFactory(departure=departure)
    anonymous = Client()

    def seats_left() -> int:
        rows = anonymous.get(
            "/api/v1/departures/?route=qianmen", HTTP_ACCEPT="application/json"
        ).json()
        return next(d["seats_left"] for d in rows["results"] if d["id"] == departure.pk)

    assert seats_left() == 10
    assert seats_left() == 10  # cached

    customer = APIClient()
    customer.force_authenticate(UserFactory(username="walker"))
    with django_capture_on_commit_callbacks(execute=True):
        response = customer.post(
            "/api/v1/bookings/",
            {
                "departure": departure.pk,
                "seats": 3,
                "contact_name": "王",
                "contact_phone": "13800000000",
            },
            format="json",
        )
    assert response.status_code == 201, response.json()
    assert seats_left() == 7
    # And the route page, for anonymous visitors, shows it too.
    assert anonymous.get("/tours/qianmen/").status_code == 200
