"""The ``*_search_text`` migrations fill the search columns of the rows already
there (and, on PostgreSQL, add the trigram indexes): a database at the schema
before them, with data, migrates forward and is searchable at once.

Like tests/organizations/test_migrations.py, it migrates a scratch database in
a child process (the suite's own database is built without migrations)."""

import pytest

from tests.migrating import ScratchDatabase

BEFORE = [
    ("organizations", "0002_zh_hant"),
    ("marketplace", "0005_zh_hant"),
    ("tours", "0004_zh_hant"),
    ("cooperation", "0005_zh_hant"),
]

SEED = """
from decimal import Decimal
District = apps.get_model("organizations", "District")
Area = apps.get_model("organizations", "Area")
Organization = apps.get_model("organizations", "Organization")
Category = apps.get_model("marketplace", "Category")
Product = apps.get_model("marketplace", "Product")
Route = apps.get_model("tours", "Route")
huairou = District.objects.create(code="huairou", name_zh_hans="怀柔区", name_en="Huairou", role="supported")
village = Area.objects.create(district=huairou, kind="village", name_zh_hans="栗香峪村", name_en="Lixiangyu")
coop = Organization.objects.create(
    district=huairou, area=village, kind="cooperative", slug="coop",
    name_zh_hans="板栗合作社", name_en="Chestnut co-op",
)
operator = Organization.objects.create(
    district=huairou, kind="tour_operator", slug="operator", name_zh_hans="旅行社", name_en="Tours",
)
food = Category.objects.create(slug="food", name_zh_hans="农产品", name_en="Produce")
Product.objects.create(
    slug="chestnut", producer=coop, category=food, name_zh_hans="怀柔板栗", name_en="Huairou chestnuts",
)
Route.objects.create(
    slug="lake", operator=operator, title_zh_hans="前门+雁栖湖", title_en="Qianmen and Yanqi Lake",
    summary_zh_hans="一日游", summary_en="A day", base_price=Decimal("100"),
)
"""

CHECK = """
import json
from django.db import connection
from marketplace import selectors as market
from tours import selectors as tours
indexes = []
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%%search_trgm'")
        indexes = sorted(row[0] for row in cursor.fetchall())
print(json.dumps({
    "banli": [p.slug for p in market.product_list(q="banli")],
    "village": [p.slug for p in market.product_list(q="栗香峪")],
    "traditional": [r.slug for r in tours.route_list(q="雁棲湖")],
    "producers": [o.slug for o in market.producer_search(q="板栗")],
    "indexes": indexes,
    "vendor": connection.vendor,
}))
"""


@pytest.mark.django_db
def test_the_migrations_fill_the_search_columns_of_existing_rows(tmp_path):
    # given: a database at the schema before the search columns, with rows in it
    db = ScratchDatabase(tmp_path)
    db.migrate_to(BEFORE)
    db.seed(SEED)

    # when
    db.migrate_forward()

    # then
    found = db.read(CHECK)
    assert found["banli"] == ["chestnut"]
    assert found["village"] == ["chestnut"]
    assert found["traditional"] == ["lake"]
    assert found["producers"] == ["coop"]
    if found["vendor"] == "postgresql":
        assert found["indexes"] == [
            "attraction_search_trgm",
            "organization_search_trgm",
            "product_search_trgm",
            "project_search_trgm",
            "route_search_trgm",
        ]
