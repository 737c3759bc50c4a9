"""The panel's CSV downloads are in the reader's language, Traditional
included: the headers, the statuses and the content names (producers,
villages, units) read from the active language's column."""

import csv
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from accounts.models import User
from core import hant
from organizations.models import Organization
from tests.organizations.test_panel_traditional import typed_by_people
from tours.models import Booking

pytestmark = pytest.mark.django_db


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))


def _simplified_left(rows: list[list[str]], people: list[str]) -> set[str]:
    text = "\n".join(" ".join(row) for row in rows)
    for typed in people:
        text = text.replace(typed, " ")
    return hant.still_simplified(text)


def _client(username: str, language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def _sales(client: Client, site: str, group_by: str) -> list[list[str]]:
    today = timezone.localdate()
    return _rows(
        client.get(
            f"/{site}/marketplace/salesreport/",
            {
                "date_from": today.replace(year=today.year - 1).isoformat(),
                "date_to": today.isoformat(),
                "group_by": group_by,
                "format": "csv",
            },
        )
    )


def test_the_sales_report_csv_in_traditional(demo):
    # given a producer whose browser prefers Traditional
    client = _client("producer1", "zh-TW,zh;q=0.9")
    producer = Organization.objects.get(memberships__user__username="producer1")
    # when
    rows = _sales(client, "vendor", "producer")
    # then: Traditional headers and the producer's Traditional name
    assert rows[0] == ["分組", "訂單數", "件數", "金額（元）"]
    assert producer.name_zh_hant in [row[0] for row in rows[1:]]
    assert producer.name_zh_hans not in [row[0] for row in rows[1:]]
    assert _simplified_left(rows, typed_by_people()) == set()


def test_the_sales_report_csv_by_village_and_counter_for_district_staff(demo):
    client = _client("district", "zh-Hant")
    people = typed_by_people()
    for group_by in ("village", "counter"):
        rows = _sales(client, "admin", group_by)
        assert len(rows) > 1, group_by
        assert _simplified_left(rows, people) == set(), group_by


def test_the_same_csv_in_simplified_and_english(demo):
    producer = Organization.objects.get(memberships__user__username="producer1")
    simplified = _sales(_client("producer1", "zh-CN"), "vendor", "producer")
    assert producer.name_zh_hans in [row[0] for row in simplified[1:]]
    # the staff sites are Chinese: an English browser reads them in Simplified
    english = _sales(_client("producer1", "en-US"), "vendor", "producer")
    assert english == simplified


def test_the_manifest_csv_in_traditional(demo):
    # given an operator's departure with bookings
    booking = Booking.objects.filter(
        departure__route__operator__memberships__user__username="operator1"
    ).first()
    client = _client("operator1", "zh-HK")
    # when
    rows = _rows(client.get(f"/vendor/tours/departure/{booking.departure_id}/manifest.csv"))
    # then: headers and statuses in Traditional; names as the travellers gave them
    assert rows[0][0] == "預訂碼"
    assert _simplified_left(rows, typed_by_people()) == set()
    simplified = _rows(
        _client("operator1", "zh-CN").get(
            f"/vendor/tours/departure/{booking.departure_id}/manifest.csv"
        )
    )
    assert rows[0] != simplified[0]  # the headers follow the language


def test_the_purchase_share_filing_csv_in_traditional(demo):
    # given district staff reading the yearly filing with a Traditional browser
    client = _client("district", "zh-TW")
    year = timezone.localdate().year
    # when
    rows = _rows(client.get("/admin/marketplace/purchaseshare/", {"year": year, "format": "csv"}))
    # then: the units' Traditional names, the headers and yes/no in Traditional
    assert len(rows) > 1
    units = {o.name_zh_hant for o in Organization.objects.filter(purchase_shares__year=year)}
    assert units and units <= {row[0] for row in rows[1:]}
    assert _simplified_left(rows, typed_by_people()) == set()
