"""A producer may write the product's Traditional description in the panel's
product form (/vendor/): what they write is a person's text (listed in
``hant_overrides``, never converted again); left empty, or left as the
conversion the form showed, it follows the Simplified text."""

import pytest

from marketplace.models import Product
from tests.marketplace.test_vendor import V, product_form, signed_in

pytestmark = pytest.mark.django_db


def _post(world, product, **fields) -> Product:
    response = signed_in(world.producer1_user).post(
        f"{V}/product/{product.pk}/change/", product_form(product, **fields)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Product.objects.get(pk=product.pk)


def test_the_form_offers_the_traditional_description_as_optional(world):
    product = world.chestnut_bag.product
    html = signed_in(world.producer1_user).get(f"{V}/product/{product.pk}/change/").content
    html = html.decode()
    assert 'name="description_zh_hant"' in html
    assert "随简体文字自动转换" in html  # the help text says what happens


def test_a_traditional_description_the_producer_writes_is_kept(world):
    # given
    product = world.chestnut_bag.product
    # when the producer writes both texts, the Traditional in their own words
    product = _post(
        world,
        product,
        description_zh_hans="山地板栗，九月采收",
        description_zh_hant="山上的板栗，九月開採",
    )
    # then it is theirs
    assert product.description_zh_hant == "山上的板栗，九月開採"
    assert "description" in product.hant_overrides
    # and a later change of the Simplified text leaves it alone
    product = _post(
        world,
        product,
        description_zh_hans="山地板栗，十月采收",
        description_zh_hant=product.description_zh_hant,
    )
    assert product.description_zh_hant == "山上的板栗，九月開採"
    assert "description" in product.hant_overrides


def test_left_empty_the_conversion_fills_it(world):
    # given
    product = world.chestnut_bag.product
    # when the Traditional description is left empty
    product = _post(world, product, description_zh_hans="山地板栗，九月采收")
    # then the conversion writes it, and nobody is recorded as its author
    assert product.description_zh_hant == "山地板栗，九月採收"
    assert "description" not in product.hant_overrides


def test_left_as_the_form_showed_it_follows_the_simplified_text(world):
    # given a converted description, shown pre-filled in the form
    product = _post(world, world.chestnut_bag.product, description_zh_hans="九月采收")
    shown = product.description_zh_hant
    assert shown == "九月採收"
    # when the producer changes the Simplified text and posts the form as shown
    product = _post(world, product, description_zh_hans="十月采收", description_zh_hant=shown)
    # then the Traditional text follows it (it was the conversion, not their own)
    assert product.description_zh_hant == "十月採收"
    assert product.hant_overrides == []


def test_emptying_their_own_text_hands_it_back_to_the_conversion(world):
    product = _post(
        world,
        world.chestnut_bag.product,
        description_zh_hans="九月采收",
        description_zh_hant="九月收成",
    )
    assert product.hant_overrides == ["description"]
    product = _post(world, product, description_zh_hans="九月采收", description_zh_hant="")
    assert (product.description_zh_hant, product.hant_overrides) == ("九月採收", [])


def test_the_partner_panel_shows_none_of_it(world):
    # the admin's record of hand-written Traditional texts is the district's
    response = signed_in(world.producer1_user).get(f"{V}/product/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "hant_by_hand" not in html
    assert "convert_traditional_again" not in html
