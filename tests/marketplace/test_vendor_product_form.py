"""The producer's product form on /vendor/: one screen (name, season,
origin, variants with their price and unit, pictures), the rest folded away,
and a whole product made in one POST."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from marketplace.models import Product, ProductImage, ProductVariant

from .factories import ProductFactory
from .test_images import jpeg
from .test_vendor import V

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def new_product(world, **overrides):
    category = world.chestnut_bag.product.category
    data = {
        "producer": world.producer1.pk,
        "name_zh_hans": "怀柔核桃",
        "category": category.pk,
        "season_start_month": "9",
        "season_end_month": "11",
        "summary_zh_hans": "山里的核桃",
        "slug": "",
        "is_active": "on",
        "bulk_min_quantity": 1,
        "variants-TOTAL_FORMS": 2,
        "variants-INITIAL_FORMS": 0,
        "variants-MIN_NUM_FORMS": 0,
        "variants-MAX_NUM_FORMS": 1000,
        "variants-0-name_zh_hans": "500克袋装",
        "variants-0-unit_price": "30.00",
        "variants-0-weight_grams": "500",
        "variants-0-sku": "",
        "variants-0-is_active": "on",
        "variants-1-name_zh_hans": "2.5千克礼盒",
        "variants-1-unit_price": "128.00",
        "variants-1-weight_grams": "2500",
        "variants-1-sku": "",
        "variants-1-is_active": "on",
        "images-TOTAL_FORMS": 1,
        "images-INITIAL_FORMS": 0,
        "images-MIN_NUM_FORMS": 0,
        "images-MAX_NUM_FORMS": 1000,
        "images-0-image": SimpleUploadedFile("walnuts.jpg", jpeg(), content_type="image/jpeg"),
        "images-0-alt_text_zh_hans": "核桃",
        "images-0-position": 0,
    }
    data.update(overrides)
    return data


def test_a_producer_creates_a_product_with_two_variants_and_a_picture_in_one_post(world):
    # given a producer on the panel
    client = signed_in(world.producer1_user)
    # when it sends the one form, leaving the web address and SKUs empty
    response = client.post(f"{V}/product/add/", new_product(world))
    # then the product, both variants and the picture exist, all its own
    assert response.status_code == 302, response.content.decode()[:3000]
    product = Product.objects.get(name_zh_hans="怀柔核桃")
    assert product.producer == world.producer1
    assert (product.season_start_month, product.season_end_month) == (9, 11)
    assert product.slug == "huai-rou-he-tao"  # made from the Chinese name
    variants = {v.name_zh_hans: v for v in ProductVariant.objects.filter(product=product)}
    assert variants["500克袋装"].unit_price == Decimal("30.00")
    assert variants["2.5千克礼盒"].unit_price == Decimal("128.00")
    skus = [v.sku for v in variants.values()]
    assert all(skus) and len(set(skus)) == 2  # made up, distinct
    image = ProductImage.objects.get(product=product)
    assert image.alt_text_zh_hans == "核桃" and image.small  # renditions made


def test_a_second_product_of_the_same_name_gets_its_own_address(world):
    ProductFactory(producer=world.producer1, slug="huai-rou-he-tao")
    client = signed_in(world.producer1_user)
    data = new_product(world)
    data["images-TOTAL_FORMS"] = 0
    response = client.post(f"{V}/product/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Product.objects.filter(slug="huai-rou-he-tao-2").exists()


def test_a_bad_price_is_a_400_and_nothing_is_written(world):
    client = signed_in(world.producer1_user)
    before = (Product.objects.count(), ProductVariant.objects.count(), ProductImage.objects.count())
    response = client.post(
        f"{V}/product/add/", new_product(world, **{"variants-1-unit_price": "-3"})
    )
    assert response.status_code == 400
    after = (Product.objects.count(), ProductVariant.objects.count(), ProductImage.objects.count())
    assert after == before


def test_the_form_shows_the_essentials_and_folds_the_rest(world):
    html = signed_in(world.producer1_user).get(f"{V}/product/add/").content.decode()
    essentials, _, folded = html.partition("<details")
    for name in (
        "name_zh_hans",
        "category",
        "origin_area",
        "season_start_month",
        "summary_zh_hans",
    ):
        assert f'name="{name}"' in essentials
    for name in ("slug", "name_en", "description_zh_hans", "shelf_life_days", "producer"):
        assert f'name="{name}"' in folded and f'name="{name}"' not in essentials
    # two empty variant rows (name, price, weight) and one picture row, ready to fill
    assert 'name="variants-1-unit_price"' in html and 'name="images-0-image"' in html
    assert 'name="variants-0-position"' not in html  # the district's, not the producer's
