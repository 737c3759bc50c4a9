"""The cart in every page's header: each visitor sees their own count, and the
anonymous page cache keeps serving visitors without a cart (and only them)."""

import re

import pytest
from django.test import Client
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PUBLIC_CACHE_SECONDS = 60
    translation.activate("zh-hans")
    yield
    translation.deactivate()


def _count(response) -> int | None:
    found = re.search(rb'class="cart-count"[^>]*>(\d+)<', response.content)
    return int(found.group(1)) if found else None


def _add(client, variant, quantity):
    response = client.post("/cart/add/", {"variant": variant.pk, "quantity": quantity})
    assert response.status_code == 302


def test_the_header_counts_the_units_in_the_visitors_cart(world):
    client = Client()
    assert _count(client.get("/products/")) is None  # no cart: no number
    _add(client, world.chestnut_bag, 2)
    _add(client, world.potato_bag, 1)
    for url in ("/products/", "/centres/", "/tours/", "/en/products/"):
        assert _count(client.get(url)) == 3, url
    assert b"(3 units)" in client.get("/en/").content  # what a screen reader hears


def test_a_visitor_with_a_cart_never_gets_a_page_cached_for_someone_else(world):
    # given an anonymous page in the cache, rendered without a cart
    first, second = Client(), Client()
    first.get("/products/")
    assert first.get("/products/").wsgi_request._page_cache == "hit"
    # when one visitor fills a cart
    _add(second, world.chestnut_bag, 4)
    # then they see their own count, freshly rendered
    mine = second.get("/products/")
    assert getattr(mine.wsgi_request, "_page_cache", None) is None  # not even looked up
    assert _count(mine) == 4
    # and a visitor without a cart is still served the cached page, without a count
    other = first.get("/products/")
    assert other.wsgi_request._page_cache == "hit"
    assert _count(other) is None


def test_a_cached_page_without_a_cart_costs_no_query(world, django_assert_num_queries):
    client = Client()
    client.get("/centres/")  # stored
    with django_assert_num_queries(0):
        assert client.get("/centres/").status_code == 200


def test_the_count_of_a_signed_in_customer(world):
    client = Client()
    client.force_login(world.customer)
    _add(client, world.chestnut_box, 5)
    assert _count(client.get("/")) == 5
