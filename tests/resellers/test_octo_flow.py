"""The OCTO supplier API as a reseller drives it: products, calendar,
availability, reserve, extend, confirm, cancel; holds that expire; the
reseller's UUID as an idempotency key; one reseller never sees another's
bookings; OCTO bookings are ordinary bookings (manifest, check-in)."""

import datetime as dt

import pytest
from django.utils import timezone

from resellers import services
from resellers.models import ResellerBooking
from tours import selectors as tour_selectors
from tours import services as tours
from tours.models import Booking

from .conftest import Octo, availability_id, make_reseller, reservation

pytestmark = pytest.mark.django_db


def test_full_flow_products_calendar_availability_reserve_extend_confirm_cancel(
    octo, reseller, trip
):
    route, departure = trip
    # products: the route, one option, a unit per fare, prices in fen with the commission off
    products = octo.get("/products/").json()
    product = next(p for p in products if p["id"] == route.slug)
    option = product["options"][0]
    assert option["id"] == "DEFAULT"
    assert {u["id"]: u["type"] for u in option["units"]} == {"adult": "ADULT", "child": "CHILD"}
    adult = next(u for u in option["units"] if u["id"] == "adult")
    assert adult["pricingFrom"][0] == {
        "original": 16800,
        "retail": 16800,
        "net": 15120,  # 10% commission
        "currency": "CNY",
        "currencyPrecision": 2,
        "includedTaxes": [],
    }
    assert octo.responses[-1]["Octo-Capabilities"] == "octo/pricing"
    assert octo.get(f"/products/{route.slug}").json()["id"] == route.slug

    # calendar: one day per date asked, the departure's day available with its 6 seats
    start = departure.date - dt.timedelta(days=1)
    days = octo.post(
        "/availability/calendar",
        {
            "productId": route.slug,
            "optionId": "DEFAULT",
            "localDateStart": start.isoformat(),
            "localDateEnd": departure.date.isoformat(),
            "units": [{"id": "adult", "quantity": 2}],
        },
    ).json()
    assert [d["status"] for d in days] == ["CLOSED", "AVAILABLE"]
    assert days[1]["vacancies"] == 6 and days[1]["available"] is True

    # availability: the departure by its local start time
    slots = octo.post(
        "/availability",
        {
            "productId": route.slug,
            "optionId": "DEFAULT",
            "localDateStart": departure.date.isoformat(),
            "localDateEnd": departure.date.isoformat(),
            "units": [{"id": "adult", "quantity": 1}, {"id": "child", "quantity": 1}],
        },
    ).json()
    assert [s["id"] for s in slots] == [availability_id(departure)]
    assert slots[0]["pricing"]["retail"] == 16800 + 6000

    # reserve 2 adults and a child for 15 minutes: ON_HOLD, seats counted
    body = reservation(route, departure, ("adult", "adult", "child"), expirationMinutes=15)
    held = octo.post("/bookings", body).json()
    assert held["status"] == "ON_HOLD"
    expires = dt.datetime.fromisoformat(held["utcExpiresAt"])
    assert dt.timedelta(minutes=14) < expires - timezone.now() <= dt.timedelta(minutes=15)
    assert tour_selectors.seats_taken(departure=departure) == 3
    assert held["pricing"]["retail"] == 2 * 16800 + 6000
    assert [i["unitId"] for i in held["unitItems"]] == ["adult", "adult", "child"]

    # extend to an hour
    extended = octo.post(f"/bookings/{body['uuid']}/extend", {"expirationMinutes": 60}).json()
    assert dt.datetime.fromisoformat(extended["utcExpiresAt"]) - expires > dt.timedelta(minutes=44)

    # confirm with the lead traveller: CONFIRMED, a QR voucher, the contact on the booking
    confirmed = octo.post(
        f"/bookings/{body['uuid']}/confirm",
        {
            "resellerReference": "VOUCHER-1",
            "contact": {"fullName": "王芳", "phoneNumber": "13912345678"},
        },
    ).json()
    assert confirmed["status"] == "CONFIRMED"
    assert confirmed["voucher"]["deliveryOptions"][0]["deliveryFormat"] == "QRCODE"
    booking = Booking.objects.get(code=confirmed["id"])
    assert (booking.status, booking.contact_name, booking.contact_phone) == (
        "confirmed",
        "王芳",
        "13912345678",
    )
    assert booking.customer == reseller[0].user
    # found by the reseller's reference
    assert [b["uuid"] for b in octo.get("/bookings", resellerReference="VOUCHER-1").json()] == [
        body["uuid"]
    ]

    # cancel: CANCELLED with a full refund, the seats free again
    cancelled = octo.post(f"/bookings/{body['uuid']}/cancel", {"reason": "plans changed"}).json()
    assert cancelled["status"] == "CANCELLED"
    assert cancelled["cancellation"]["refund"] == "FULL"
    assert cancelled["cancellation"]["reason"] == "plans changed"
    assert tour_selectors.seats_taken(departure=departure) == 0
    # cancelling again answers the same booking
    assert octo.post(f"/bookings/{body['uuid']}/cancel").json()["status"] == "CANCELLED"


def test_a_hold_that_expires_frees_its_seats_and_cannot_be_confirmed(octo, trip):
    route, departure = trip
    body = reservation(route, departure, ("adult",) * 6)
    assert octo.post("/bookings", body).json()["status"] == "ON_HOLD"
    # sold out while held
    assert octo.post("/bookings", reservation(route, departure)).json()["error"] == (
        "UNPROCESSABLE_ENTITY"
    )
    slot = octo.post(
        "/availability",
        {
            "productId": route.slug,
            "optionId": "DEFAULT",
            "availabilityIds": [availability_id(departure)],
        },
    ).json()[0]
    assert (slot["status"], slot["vacancies"], slot["available"]) == ("SOLD_OUT", 0, False)

    # the deadline passes
    Booking.objects.filter(reseller_booking__uuid=body["uuid"]).update(
        hold_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert octo.get(f"/bookings/{body['uuid']}").json()["status"] == "EXPIRED"
    slot = octo.post(
        "/availability",
        {
            "productId": route.slug,
            "optionId": "DEFAULT",
            "availabilityIds": [availability_id(departure)],
        },
    ).json()[0]
    assert (slot["status"], slot["vacancies"]) == ("AVAILABLE", 6)
    refused = octo.post(f"/bookings/{body['uuid']}/confirm", {"contact": {"fullName": "A"}})
    assert refused.status_code == 400 and refused.json()["error"] == "UNPROCESSABLE_ENTITY"
    assert octo.post(f"/bookings/{body['uuid']}/extend").json()["error"] == "UNPROCESSABLE_ENTITY"
    # the lapse sweep records it; another reseller's customer can book the seats
    tours.lapse_expired_holds()
    assert Booking.objects.get(reseller_booking__uuid=body["uuid"]).status == "lapsed"
    assert octo.post("/bookings", reservation(route, departure)).json()["status"] == "ON_HOLD"


def test_the_resellers_uuid_makes_a_reservation_once(octo, trip):
    route, departure = trip
    body = reservation(route, departure)
    first = octo.post("/bookings", body).json()
    again = octo.post("/bookings", body).json()
    assert first["id"] == again["id"]
    assert ResellerBooking.objects.count() == 1
    assert tour_selectors.seats_taken(departure=departure) == 2


def test_one_reseller_never_sees_anothers_bookings(octo, trip):
    route, departure = trip
    body = reservation(route, departure, resellerReference="SHARED-REF")
    octo.post("/bookings", body)
    other = Octo(make_reseller("trip-b")[1])
    answer = other.get(f"/bookings/{body['uuid']}")
    assert answer.status_code == 400 and answer.json()["error"] == "INVALID_BOOKING_UUID"
    assert other.get("/bookings", resellerReference="SHARED-REF").json() == []
    assert other.post(f"/bookings/{body['uuid']}/cancel").json()["error"] == "INVALID_BOOKING_UUID"
    # the same UUID is the other reseller's own booking, not this one
    assert (
        other.post("/bookings", body).json()["id"]
        != octo.get(f"/bookings/{body['uuid']}").json()["id"]
    )


def test_keys_errors_and_bad_input(reseller, trip):
    route, departure = trip
    assert Octo("wrong").get("/products").status_code == 401
    assert Octo("wrong").get("/products").json()["error"] == "UNAUTHORIZED"
    key = reseller[0].keys.get()
    services.key_revoke(key=key)
    assert Octo(reseller[1]).get("/products").status_code == 401
    octo = Octo(services.key_issue(reseller=reseller[0]).key)
    cases = [
        ({"productId": "nope", "optionId": "DEFAULT"}, "INVALID_PRODUCT_ID", "productId"),
        ({"productId": route.slug, "optionId": "X"}, "INVALID_OPTION_ID", "optionId"),
        (reservation(route, departure, ("infant",)), "INVALID_UNIT_ID", "unitId"),
        (reservation(route, departure, ("senior",)), "INVALID_UNIT_ID", "unitId"),  # no fare
        (
            {**reservation(route, departure), "availabilityId": "2020-01-01T08:00:00+08:00"},
            "INVALID_AVAILABILITY_ID",
            "availabilityId",
        ),
        (
            {**reservation(route, departure), "availabilityId": "soon"},
            "INVALID_AVAILABILITY_ID",
            "availabilityId",
        ),
        ({**reservation(route, departure), "unitItems": []}, "BAD_REQUEST", None),
        ({**reservation(route, departure), "uuid": "x"}, "BAD_REQUEST", None),
        ({**reservation(route, departure), "expirationMinutes": 0}, "BAD_REQUEST", None),
        (reservation(route, departure, ("adult",) * 11), "UNPROCESSABLE_ENTITY", None),
    ]
    for body, error, field in cases:
        answer = octo.post("/bookings", body)
        assert answer.status_code == 400, (body, answer.content)
        assert answer.json()["error"] == error, (body, answer.json())
        assert answer.json()["errorMessage"]
        if field:
            assert field in answer.json()
    assert ResellerBooking.objects.count() == 0 and Booking.objects.count() == 0
    garbage = octo.client.post("/api/octo/bookings", "{", content_type="application/json")
    assert garbage.status_code == 400 and garbage.json()["error"] == "BAD_REQUEST"
    assert (
        octo.post(
            "/availability",
            {
                "productId": route.slug,
                "optionId": "DEFAULT",
                "localDateStart": "2026-13-01",
                "localDateEnd": "x",
            },
        ).json()["error"]
        == "BAD_REQUEST"
    )


def test_octo_bookings_are_ordinary_bookings(octo, trip):
    """On the manifest, checked in at the bus door (then REDEEMED), e-mailed
    like any booking."""
    route, departure = trip
    body = reservation(route, departure)
    octo.post("/bookings", body)
    confirmed = octo.post(
        f"/bookings/{body['uuid']}/confirm",
        {"contact": {"fullName": "李雷", "phoneNumber": "13900001111"}},
    ).json()
    booking = Booking.objects.get(code=confirmed["id"])
    assert booking in tour_selectors.manifest(departure=departure)
    # the day of the departure comes
    type(departure).objects.filter(pk=departure.pk).update(date=timezone.localdate())
    tours.booking_check_in(booking=booking, by=None)
    redeemed = octo.get(f"/bookings/{body['uuid']}").json()
    assert redeemed["status"] == "REDEEMED" and redeemed["utcRedeemedAt"]
    assert all(item["status"] == "REDEEMED" for item in redeemed["unitItems"])


def test_patch_updates_reference_and_contact(octo, trip):
    route, departure = trip
    body = reservation(route, departure)
    octo.post("/bookings", body)
    updated = octo.patch(
        f"/bookings/{body['uuid']}",
        {
            "resellerReference": "NEW",
            "notes": "vegetarian",
            "contact": {"firstName": "Lei", "lastName": "Li"},
        },
    ).json()
    assert (updated["resellerReference"], updated["notes"]) == ("NEW", "vegetarian")
    assert updated["contact"]["firstName"] == "Lei"
    assert Booking.objects.get(code=updated["id"]).contact_name == "Lei Li"
    moved = octo.patch(f"/bookings/{body['uuid']}", {"availabilityId": "x"})
    assert moved.json()["error"] == "UNPROCESSABLE_ENTITY"


def test_sales_report_and_csv_in_the_panel(client, reseller, trip):
    from organizations.models import Membership
    from tests.factories import UserFactory

    route, departure = trip
    octo = Octo(reseller[1])
    for _ in range(2):
        body = reservation(route, departure)
        octo.post("/bookings", body)
        octo.post(f"/bookings/{body['uuid']}/confirm", {"contact": {"fullName": "王芳"}})
    octo.post("/bookings", reservation(route, departure))  # held: not sold yet
    member = UserFactory(username="trip-a-staff")
    Membership.objects.create(user=member, organization=reseller[0].organization, role="manager")
    client.force_login(member)
    page = client.get("/vendor/resellers/resellerbooking/report/")
    assert page.status_code == 200
    csv_text = client.get("/vendor/resellers/resellerbooking/report/?format=csv").content.decode(
        "utf-8-sig"
    )
    lines = csv_text.strip().splitlines()
    assert len(lines) == 2  # header + one month
    cells = lines[1].split(",")
    # 2 bookings, 4 seats, 4 × 168 retail, 10% commission
    assert cells[2:] == ["2", "4", "672.00", "67.20", "604.80"]
    # another reseller's member sees none of it
    other, _key = make_reseller("trip-b")
    outsider = UserFactory(username="trip-b-staff")
    Membership.objects.create(user=outsider, organization=other.organization, role="manager")
    client.force_login(outsider)
    csv_text = client.get("/vendor/resellers/resellerbooking/report/?format=csv").content.decode(
        "utf-8-sig"
    )
    assert len(csv_text.strip().splitlines()) == 1
    assert client.get("/vendor/resellers/resellerbooking/").status_code == 200
    assert (
        str(departure.route.title)
        not in client.get("/vendor/resellers/resellerbooking/").content.decode()
    )


def test_lists_cost_the_same_queries_for_few_and_many(octo, trip):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.tours.factories import DepartureFactory, RouteFactory

    route, departure = trip

    def count(path, **params):
        with CaptureQueriesContext(connection) as queries:
            assert octo.get(path, **params).status_code == 200
        return len(queries)

    def bookings(n):
        for _ in range(n):
            body = reservation(route, departure, ("adult",), resellerReference="MANY")
            octo.post("/bookings", body)

    octo.get("/supplier")  # the key's first use of the run records it (an UPDATE)
    few_products = count("/products/")
    bookings(1)
    few_bookings = count("/bookings", resellerReference="MANY")
    for n in range(4):
        other = RouteFactory(slug=f"more-{n}")
        for day in range(3):
            DepartureFactory(
                route=other, date=departure.date + __import__("datetime").timedelta(days=day)
            )
    bookings(4)
    assert count("/products/") == few_products
    assert count("/bookings", resellerReference="MANY") == few_bookings
