"""The product list's sort orders and the unit prices on its cards."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from marketplace import selectors
from marketplace.models import Product
from marketplace.templatetags.marketplace_tags import best_unit_price, unit_price

from .factories import ProductFactory, VariantFactory

pytestmark = pytest.mark.django_db

OCTOBER = datetime(2026, 10, 15, 12, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def catalogue():
    # chestnuts: in season Sep–Dec; cherries: May–Jun; noodles: all year
    chestnuts = ProductFactory(slug="chestnuts", season_start_month=9, season_end_month=12)
    cherries = ProductFactory(slug="cherries", season_start_month=5, season_end_month=6)
    noodles = ProductFactory(slug="noodles")
    VariantFactory(product=chestnuts, unit_price=Decimal("25.00"))
    VariantFactory(product=chestnuts, unit_price=Decimal("118.00"), weight_grams=2500)
    VariantFactory(product=cherries, unit_price=Decimal("60.00"))
    VariantFactory(product=noodles, unit_price=Decimal("16.00"))
    # the newest product is the cherries
    Product.objects.filter(slug="chestnuts").update(created_at=timezone.now() - timedelta(days=9))
    Product.objects.filter(slug="noodles").update(created_at=timezone.now() - timedelta(days=5))
    return chestnuts, cherries, noodles


def _slugs(**filters) -> list[str]:
    return [p.slug for p in selectors.product_list(now=OCTOBER, **filters)]


def test_cheapest_first_by_the_lowest_variant_price(catalogue):
    assert _slugs(sort="price") == ["noodles", "chestnuts", "cherries"]
    assert _slugs(sort="-price") == ["cherries", "chestnuts", "noodles"]


def test_newest_first(catalogue):
    assert _slugs(sort="new") == ["cherries", "noodles", "chestnuts"]


def test_in_season_first_then_all_year_then_out_of_season(catalogue):
    assert _slugs(sort="season") == ["chestnuts", "noodles", "cherries"]


def test_a_sort_reorders_search_results_and_an_unknown_one_is_the_default(catalogue):
    default = _slugs()
    assert _slugs(sort="nonsense") == default
    assert _slugs(q="产品", sort="-price")[0] == "cherries"


def test_the_page_reads_sort_and_ignores_a_bad_value(client, catalogue):
    assert client.get("/products/?sort=price").status_code == 200
    response = client.get("/products/?sort=%3Cscript%3E")
    assert response.status_code == 200  # an invalid choice is the default order, not an error


def test_unit_prices_compare_a_bag_with_a_box(catalogue):
    chestnuts = selectors.product_list(now=OCTOBER).get(slug="chestnuts")
    bag, box = chestnuts.active_variants
    assert bag.price_per_500g == Decimal("25.00")
    assert box.price_per_500g == Decimal("23.60")  # 118 / 5
    assert "¥23.60" in best_unit_price(chestnuts)  # the best per 500 g, for the card
    assert "¥25.00" in unit_price(bag)


def test_a_variant_without_a_weight_is_priced_per_piece(catalogue):
    _chestnuts, cherries, _noodles = catalogue
    jar = VariantFactory(product=cherries, name_en="Gift box", unit_price=Decimal("88.00"))
    jar.weight_grams = None
    assert jar.price_per_500g is None
    from django.utils import translation

    with translation.override("en"):
        assert "¥88.00 per Gift box" in unit_price(jar)


def test_the_cards_show_the_unit_price_in_both_languages(client, catalogue):
    assert "每500克 ¥23.60 起" in client.get("/products/").content.decode()
    assert "from ¥23.60 per 500 g" in client.get("/en/products/").content.decode()
