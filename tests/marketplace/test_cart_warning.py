"""Adding to the cart warns when no counter has as many units as the cart now
holds: the line is kept (the visitor may lower it or wait), and checkout would
refuse it at every counter."""

import pytest
from django.contrib.messages import get_messages

from marketplace import selectors

from .factories import VariantFactory

pytestmark = pytest.mark.django_db


def _add(client, variant, quantity):
    response = client.post("/en/cart/add/", {"variant": variant.pk, "quantity": quantity})
    assert response.status_code == 302
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def test_no_warning_while_a_counter_has_enough(client, world):
    assert _add(client, world.chestnut_bag, 10) == [("success", "Added to your cart.")]


def test_a_warning_names_the_best_stocked_counter_and_its_units(client, world):
    found = _add(client, world.chestnut_bag, 12)
    assert found[0] == ("success", "Added to your cart.")
    level, text = found[1]
    assert level == "warning"
    assert "Only 10 left at" in text and str(world.counter1.name) in text
    assert "you have 12 in your cart" in text
    # the cart keeps what was asked for
    assert client.session["cart"] == {str(world.chestnut_bag.pk): 12}


def test_what_is_already_in_the_cart_counts(client, world):
    _add(client, world.potato_bag, 6)
    level, text = _add(client, world.potato_bag, 6)[-1]
    assert level == "warning" and "you have 12 in your cart" in text


def test_a_variant_no_counter_has_warns_that_it_cannot_be_placed(client, world):
    nothing = VariantFactory(product=world.chestnut_bag.product, sku="CH-EMPTY")
    level, text = _add(client, nothing, 1)[1]
    assert level == "warning" and "No counter has any left" in text


def test_the_best_stock_is_one_query_and_only_where_the_producer_is_carried(
    world, django_assert_num_queries
):
    with django_assert_num_queries(1):
        counter, available = selectors.best_stock(variant_id=world.chestnut_bag.pk)
    assert (counter, available) == (world.counter1, 10)
    # counter2 does not carry producer2: its stock would not count even if it had some
    counter, available = selectors.best_stock(variant_id=world.potato_bag.pk)
    assert counter == world.counter1
