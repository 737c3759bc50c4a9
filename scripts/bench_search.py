#!/usr/bin/env python
"""Times the site search (core.search) over 10,000 products: what the product
list does for one page (a count and the first 12 rows), the median of N runs,
with the unfiltered list as the yardstick. A bench, not a test.

    .venv/bin/python scripts/bench_search.py                      # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dh_bench \\
        .venv/bin/python scripts/bench_search.py                  # PostgreSQL

It builds a scratch test database (``test_`` + the configured name) from the
models, as the test suite does, adds the trigram index the ``*_search_text``
migration creates on PostgreSQL, and drops the database afterwards.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

PRODUCTS = int(os.environ.get("BENCH_PRODUCTS", "10000"))
RUNS = int(os.environ.get("BENCH_RUNS", "15"))
QUERIES = ["板栗", "汤河红薯", "紅梨膏", "banli", "bl", "chestnut", "板栗 500g", "没有这个"]
# Misspelt (corrected: chestnut, banli) and a word nothing is one edit from.
TYPOS = ["chesnut", "banlli", "qwertyz"]

PLACES = ["怀柔", "汤河", "渤海", "雁栖", "琉璃庙", "宝山", "喇叭沟门", "长哨营", "九渡河", "桥梓"]
ITEMS = [
    ("板栗", "chestnuts"),
    ("红薯", "sweet potatoes"),
    ("红梨膏", "red pear paste"),
    ("虹鳟鱼", "rainbow trout"),
    ("蜂蜜", "honey"),
    ("核桃", "walnuts"),
    ("小米", "millet"),
    ("豆腐", "tofu"),
    ("山楂", "hawthorn"),
    ("香菇", "mushrooms"),
]
EXTRAS = ["礼盒", "500g", "精选", "有机", "家庭装", ""]
BODY = "产自怀柔山区，当季采收，统一分级包装，在东城的消费帮扶专柜可以预订自提。"


def build() -> None:
    from marketplace.models import Category, Product
    from organizations.models import Area, District, Organization

    rng = random.Random(42)
    district = District.objects.create(code="huairou", name="怀柔区", name_en="Huairou")
    areas = [
        Area.objects.create(district=district, kind="village", name=f"{p}村", name_en=p)
        for p in PLACES
    ]
    producers = [
        Organization.objects.create(
            slug=f"producer-{i}",
            name=f"{PLACES[i % len(PLACES)]}合作社{i}",
            name_en=f"Co-op {i}",
            kind="cooperative",
            district=district,
            area=areas[i % len(areas)],
        )
        for i in range(50)
    ]
    categories = [
        Category.objects.create(slug=f"c{i}", name=f"类别{i}", name_en=f"Category {i}")
        for i in range(5)
    ]
    rows = []
    for i in range(PRODUCTS):
        (zh, en), place = rng.choice(ITEMS), rng.choice(PLACES)
        extra = rng.choice(EXTRAS)
        product = Product(
            slug=f"p{i}",
            producer=rng.choice(producers),
            category=rng.choice(categories),
            origin_area=rng.choice(areas),
            name_zh_hans=f"{place}{zh}{extra}",
            name_en=f"{place} {en}",
            summary_zh_hans=f"{place}的{zh}",
            summary_en=f"{en.capitalize()} from {place}",
            description_zh_hans=BODY,
            description_en="From the hills of Huairou, picked in season.",
            position=i,
        )
        product.refresh_search()  # bulk_create bypasses save()
        rows.append(product)
    Product.objects.bulk_create(rows, batch_size=1000)


def page(q: str | None) -> None:
    from marketplace import selectors

    products = selectors.product_list(q=q)
    products.count()
    list(products[:12])


def median_ms(q: str | None) -> float:
    page(q)  # warm up
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        page(q)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    import django
    from django.db import connection

    django.setup()
    from core import search

    old_name = connection.settings_dict["NAME"]
    connection.settings_dict.setdefault("TEST", {})["MIGRATE"] = False
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                cursor.execute(search.trigram_index_sql("marketplace_product", "product_trgm")[0])
        build()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        bare = median_ms(None)
        print(f"{connection.vendor}, {PRODUCTS} products, median of {RUNS} (count + first 12 rows)")
        print(f"{'(no query)':<14} {bare:8.1f} ms")
        start = time.perf_counter()
        vocabulary = search.Vocabulary.from_counts(search.vocabulary_counts())
        built = (time.perf_counter() - start) * 1000
        print(f"{'(vocabulary)':<14} {built:8.1f} ms  built once, {len(vocabulary.words)} words")
        for q in QUERIES + TYPOS:
            ms = median_ms(q)
            from marketplace import selectors

            found = selectors.product_list(q=q).count()
            print(f"{q:<14} {ms:8.1f} ms  ×{ms / bare:4.1f}  {found} found")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
