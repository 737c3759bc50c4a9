"""Institutional purchase shares: the progress rule, scoping (a unit sees only
its own figures), the yearly filing CSV, the API and the dashboard figure."""

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone, translation

from core import figures
from marketplace.models import BulkOrder, PurchaseShare
from marketplace.selectors.shares import (
    elapsed_fraction,
    institutional_share_figures,
    progress_of,
    share_progress,
)
from tests.factories import UserFactory

from .factories import BusinessBuyerFactory

pytestmark = pytest.mark.django_db
D = Decimal
YEAR = timezone.localdate().year


def at(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=timezone.get_current_timezone())


def bulk(world, buyer, total, status="settled", settled=None, delivery=None):
    return BulkOrder.objects.create(
        buyer=buyer,
        producer=world.producer1,
        requested_by=world.buyer_user,
        requested_delivery_date=date(YEAR, 1, 2),
        delivery_date=delivery or date(YEAR, 1, 2),
        status=status,
        total=D(total),
        settled_at=at(settled) if settled else None,
    )


@pytest.mark.parametrize(
    ("target", "counted", "elapsed", "reached", "pace", "behind"),
    [
        (D("1000"), D("500"), D("0.5"), D("0.5"), D("1"), False),  # exactly on pace
        (D("1000"), D("400"), D("0.5"), D("0.4"), D("0.8"), True),  # behind
        (D("1000"), D("0"), D("0.25"), D("0"), D("0"), True),
        (D("1000"), D("1200"), D("1"), D("1.2"), D("1.2"), False),  # past year, exceeded
        (D("1000"), D("900"), D("1"), D("0.9"), D("0.9"), True),  # past year, missed
        (D("1000"), D("0"), D("0"), D("0"), None, False),  # 1 January: no pace yet
        (None, D("300"), D("0.5"), None, None, False),  # no canteen: no target
        (D("0"), D("300"), D("0.5"), None, None, False),  # zero target
    ],
)
def test_progress_rule(target, counted, elapsed, reached, pace, behind):
    assert progress_of(target=target, counted=counted, elapsed=elapsed) == (reached, pace, behind)


def test_elapsed_fraction():
    assert elapsed_fraction(2026, date(2026, 1, 1)) == 0
    assert elapsed_fraction(2026, date(2026, 7, 2)) == D(182) / D(365)
    assert elapsed_fraction(2025, date(2026, 3, 1)) == 1
    assert elapsed_fraction(2027, date(2026, 3, 1)) == 0


def test_counted_only_settled_in_the_year_pending_apart(world):
    share = PurchaseShare.objects.create(buyer=world.buyer, year=YEAR, food_budget=D("100000"))
    bulk(world, world.buyer, "3000.00", settled=date(YEAR, 1, 10))
    bulk(world, world.buyer, "999.00", settled=date(YEAR - 1, 12, 30))  # last year's
    bulk(world, world.buyer, "250.00", status="confirmed", delivery=date(YEAR, 12, 30))
    bulk(world, world.buyer, "77.00", status="requested")  # neither
    other = BusinessBuyerFactory().organization
    bulk(world, other, "5000.00", settled=date(YEAR, 1, 10))  # another unit's
    [row] = share_progress(YEAR, today=date(YEAR, 7, 2))
    assert row.share == share
    assert row.target == D("10000.00")
    assert row.counted == D("3000.00")
    assert row.pending == D("250.00")
    assert row.reached == D("0.3")
    assert row.behind  # 3000 < 10000 × 182/365


def test_no_canteen_listed_without_target(world):
    PurchaseShare.objects.create(buyer=world.buyer, year=YEAR, has_canteen=False)
    [row] = share_progress(YEAR)
    assert row.target is None and row.reached is None and not row.behind


def test_constraints():
    buyer = BusinessBuyerFactory().organization
    PurchaseShare.objects.create(buyer=buyer, year=YEAR)
    with pytest.raises(IntegrityError), transaction.atomic():
        PurchaseShare.objects.create(buyer=buyer, year=YEAR)
    with pytest.raises(IntegrityError), transaction.atomic():
        PurchaseShare.objects.create(buyer=buyer, year=YEAR + 1, share_rate=D("1.5"))


def test_queries_constant_in_units(world, django_assert_num_queries):
    for n in range(5):
        unit = BusinessBuyerFactory().organization
        PurchaseShare.objects.create(buyer=unit, year=YEAR, food_budget=D("1000"))
        bulk(world, unit, "10.00", settled=date(YEAR, 1, 3))
        with django_assert_num_queries(1):
            assert len(share_progress(YEAR)) == n + 1


@pytest.fixture
def two_units(world):
    other = BusinessBuyerFactory().organization
    other.name = "另一单位"
    other.name_en = "Other Unit"
    other.save()
    PurchaseShare.objects.create(buyer=world.buyer, year=YEAR, food_budget=D("100000"))
    PurchaseShare.objects.create(buyer=other, year=YEAR, food_budget=D("777777"))
    bulk(world, world.buyer, "1234.00", settled=date(YEAR, 1, 10))
    bulk(world, other, "8888.00", settled=date(YEAR, 1, 10))
    return other


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_vendor_sees_own_unit_only(world, two_units):
    client = signed_in(world.buyer_user)
    page = client.get("/vendor/marketplace/purchaseshare/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "1234.00" in html and "100000.00" in html
    assert "8888.00" not in html and "777777" not in html and "Other Unit" not in html
    csv = client.get("/vendor/marketplace/purchaseshare/", {"year": YEAR, "format": "csv"})
    body = csv.content.decode("utf-8-sig")
    assert "1234.00" in body and "8888.00" not in body
    # Another unit's row by its id: not there.
    theirs = PurchaseShare.objects.get(buyer=two_units)
    assert client.get(f"/vendor/marketplace/purchaseshare/{theirs.pk}/change/").status_code in (
        302,
        404,
    )
    assert client.get("/vendor/marketplace/purchaseshare/", {"year": "abc"}).status_code == 400


def test_producer_has_no_share_page(world, two_units):
    client = signed_in(world.producer1_user)
    assert client.get("/vendor/marketplace/purchaseshare/").status_code == 403


def test_admin_filing_csv(world, two_units):
    PurchaseShare.objects.create(
        buyer=BusinessBuyerFactory().organization, year=YEAR, has_canteen=False
    )
    staff = UserFactory(username="boss", is_staff=True, is_superuser=True)
    client = signed_in(staff)
    page = client.get("/admin/marketplace/purchaseshare/")
    assert page.status_code == 200
    assert "8888.00" in page.content.decode() and "1234.00" in page.content.decode()
    response = client.get("/admin/marketplace/purchaseshare/", {"year": YEAR, "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 4  # header + one row per unit
    row = next(line for line in lines if "8888.00" in line).split(",")
    assert row[1:] == [str(YEAR), "777777.00", "0.100", "77777.70", "8888.00", "11.4", "是"]
    no_canteen = next(line for line in lines if line.endswith(",否")).split(",")
    assert no_canteen[4] == "" and no_canteen[6] == ""
    # Bad input to the edit form: a 400 with the error, nothing saved.
    response = client.post(
        "/admin/marketplace/purchaseshare/add/",
        {"buyer": world.buyer.pk, "year": YEAR + 1, "food_budget": "100", "share_rate": "2"},
    )
    assert response.status_code == 400 and not PurchaseShare.objects.filter(year=YEAR + 1).exists()


def test_api_own_progress(world, two_units):
    client = signed_in(world.buyer_user)
    response = client.get("/api/v1/purchase-shares/")
    assert response.status_code == 200
    [row] = response.json()
    assert row["unit_id"] == world.buyer.pk
    assert row["counted"] == "1234.00" and row["target"] == "10000.00"
    assert client.get("/api/v1/purchase-shares/", {"year": "1900"}).status_code == 400
    assert Client().get("/api/v1/purchase-shares/").status_code in (401, 403)


def test_dashboard_figure(world, two_units):
    with translation.override("en"):
        [figure] = institutional_share_figures()
    assert figure["value"] == D("10122.00")
    assert "Institutional purchases" in figure["label"]
    assert institutional_share_figures in figures._providers
