"""/api/v1/ tours endpoints: lists with filters, details, bookings with
Idempotency-Key, the waitlist, errors in the one format, query counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import UserFactory
from tours import services
from tours.models import Booking, BookingEvent, Departure, WaitlistEntry

from .factories import AttractionFactory, DepartureFactory, RouteFactory, RouteStopFactory
from .helpers import count_queries, make_routes

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(customer):
    client = APIClient()
    client.force_authenticate(customer)
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")  # the messages asserted below are English
    return client


def body(departure, **extra):
    return {
        "departure": departure.pk,
        "seats": 1,
        "contact_name": "王芳",
        "contact_phone": "13800000000",
        **extra,
    }


# --- Routes and departures ---------------------------------------------------------------------


def test_routes_list_and_filters(api_client, route, departure):
    other = RouteFactory(slug="wall", title="长城", title_en="Great Wall", duration_days=2)
    RouteStopFactory(
        route=other, order=1, attraction=AttractionFactory(name="慕田峪", name_en="Mutianyu")
    )
    data = api_client.get("/api/v1/routes/").json()
    assert data["count"] == 2 and set(data) == {"count", "next", "previous", "results"}
    first = next(r for r in data["results"] if r["slug"] == "qianmen-yanqi")
    assert first["title"] == "前门+雁栖湖"
    assert [s["district"] for s in first["stops"]] == ["dongcheng", "huairou"]
    assert first["next_departure"] == departure.date.isoformat()
    assert first["web_url"].endswith("/tours/qianmen-yanqi/")

    def slugs(query, **headers):
        return [
            r["slug"]
            for r in api_client.get(f"/api/v1/routes/?{query}", **headers).json()["results"]
        ]

    assert slugs("duration=2") == ["wall"]
    assert slugs("district=dongcheng") == ["qianmen-yanqi"]
    assert slugs("q=mutianyu") == ["wall"]
    assert slugs("q=雁栖") == ["qianmen-yanqi"]
    english = api_client.get("/api/v1/routes/?q=wall", HTTP_ACCEPT_LANGUAGE="en").json()["results"][
        0
    ]
    assert english["title"] == "Great Wall"


@pytest.mark.parametrize("query", ["duration=x", "duration=0", "date_from=tomorrow"])
def test_bad_route_filters_are_a_400(api_client, route, query):
    response = api_client.get(f"/api/v1/routes/?{query}")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and response.json()["errors"]


def test_route_detail_with_stops(api_client, route):
    data = api_client.get("/api/v1/routes/qianmen-yanqi/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert data["title"] == "Qianmen + Yanqi Lake"
    assert [(s["order"], s["attraction"]["name"]) for s in data["stops"]] == [
        (1, "Qianmen Street"),
        (2, "Yanqi Lake"),
    ]
    stop = data["stops"][1]
    assert (
        stop["attraction"]["latitude"] == pytest.approx(40.405)
        and stop["attraction"]["district"] == "huairou"
    )
    assert data["departures_url"].endswith("/api/v1/departures/?route=qianmen-yanqi")
    missing = api_client.get("/api/v1/routes/nope/")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_departures_with_seats_left(api_client, route, departure, book):
    book(departure, UserFactory(), seats=3)
    later = DepartureFactory(
        route=route, date=departure.date + dt.timedelta(days=20), status=Departure.Status.CANCELLED
    )
    DepartureFactory(
        route=route, date=timezone.localdate() - dt.timedelta(days=1)
    )  # past: not listed
    elsewhere = DepartureFactory(date=departure.date)  # another route
    data = api_client.get("/api/v1/departures/?route=qianmen-yanqi").json()
    assert [d["id"] for d in data["results"]] == [departure.pk, later.pk]
    first = data["results"][0]
    assert first["seats_left"] == 7 and first["capacity"] == 10 and first["bookable"] is True
    assert [(p["traveller_type"], p["amount"]) for p in first["prices"]] == [
        ("adult", "100.00"),
        ("child", "60.00"),
    ]
    assert data["results"][1]["status"] == "cancelled" and data["results"][1]["bookable"] is False
    until = (departure.date + dt.timedelta(days=1)).isoformat()
    until_ids = [
        d["id"] for d in api_client.get(f"/api/v1/departures/?date_to={until}").json()["results"]
    ]
    assert until_ids == [departure.pk, elsewhere.pk]
    assert api_client.get("/api/v1/departures/?date_from=x").status_code == 400


def test_list_and_detail_query_counts_do_not_grow(api_client):
    routes = make_routes(5)
    few = {
        "routes": count_queries(lambda: api_client.get("/api/v1/routes/")),
        "detail": count_queries(lambda: api_client.get(f"/api/v1/routes/{routes[0].slug}/")),
        "departures": count_queries(lambda: api_client.get("/api/v1/departures/")),
    }
    more = make_routes(45, stops=8, departures=10)
    many = {
        "routes": count_queries(lambda: api_client.get("/api/v1/routes/?page_size=100")),
        "detail": count_queries(lambda: api_client.get(f"/api/v1/routes/{more[0].slug}/")),
        "departures": count_queries(lambda: api_client.get("/api/v1/departures/?page_size=100")),
    }
    assert few == many
    # detail: route, stops, their pictures, the route's pictures, departures, prices
    assert many["departures"] <= 3 and many["routes"] <= 3 and many["detail"] <= 6


# --- Bookings ------------------------------------------------------------------------------------------


def test_book_and_list_mine(api, customer, departure):
    response = api.post(
        "/api/v1/bookings/",
        body(departure, seats=2, travellers=[{"name": "王芳"}, {"name": "小明", "type": "child"}]),
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "confirmed" and data["seats"] == 2 and data["total_price"] == "160.00"
    assert data["travellers"] == [
        {"name": "王芳", "type": "adult", "price": "100.00"},
        {"name": "小明", "type": "child", "price": "60.00"},
    ]
    assert data["ics_url"].endswith(f"/tours/bookings/{data['code']}.ics")
    mine = api.get("/api/v1/bookings/").json()
    assert mine["count"] == 1 and mine["results"][0]["code"] == data["code"]
    # The answer is built from the rows just written, not read back: it is
    # what reading the booking afterwards gives.
    assert api.get(f"/api/v1/bookings/{data['id']}/").json() == data


# POST /api/v1/bookings/ counted in a test transaction (BEGIN and COMMIT show
# as a SAVEPOINT and its RELEASE; the e-mail's task is queued on commit, which
# a test transaction never reaches): SAVEPOINT; the departure locked (its row
# alone); its route and its fares (from the shared cache in production, so
# two queries only on a miss, whatever the number of travellers); the seats
# taken, the customer's and whether anything is to tidy (one statement); the
# code checked free; the booking; its travellers (one insert); the audit
# event; RELEASE. Nothing is read back.
BOOKING_QUERIES = 10
BOOKING_QUERIES_CACHED = BOOKING_QUERIES - 2
# Refused after counting (full): SAVEPOINT, the lock, the route, the fares,
# the count, ROLLBACK TO and RELEASE, nothing written.
REFUSED_BOOKING_QUERIES = 7


@pytest.mark.parametrize("seats", [1, 3])  # three bookings: 9 seats, under the cap of 10
def test_booking_costs_a_fixed_number_of_queries(api, departure, seats, settings):
    travellers = [{"name": f"旅客{n}"} for n in range(seats)]

    def book():
        with CaptureQueriesContext(connection) as queries:
            response = api.post(
                "/api/v1/bookings/",
                body(departure, seats=seats, travellers=travellers),
                format="json",
            )
        assert response.status_code == 201, response.json()
        assert len(response.json()["travellers"]) == seats
        return [q["sql"][:80] for q in queries.captured_queries]

    assert len(queries := book()) == BOOKING_QUERIES, queries
    # With the shared cache on (production), the route and fares come from it.
    settings.PERSONAL_CACHE_SECONDS = 300
    book()
    assert len(queries := book()) == BOOKING_QUERIES_CACHED, queries


def test_the_route_and_fares_of_a_booking_follow_an_edit_at_once(
    api, departure, settings, django_capture_on_commit_callbacks
):
    """From the shared cache, but an operator's new price (the departure's
    form, which bumps the editorial scope) is charged from the next booking."""
    from tours.models import DeparturePrice, TravellerType

    settings.PERSONAL_CACHE_SECONDS = 300
    child = [{"name": "小明", "type": "child"}]
    first = api.post("/api/v1/bookings/", body(departure, travellers=child), format="json")
    assert first.status_code == 201 and first.json()["total_price"] == "60.00"
    with django_capture_on_commit_callbacks(execute=True):
        DeparturePrice.objects.filter(
            departure=departure, traveller_type=TravellerType.CHILD
        ).update(amount="55.00")
        services.content_changed()  # what the departure's admin form calls after saving
    again = api.post("/api/v1/bookings/", body(departure, travellers=child), format="json")
    assert again.status_code == 201 and again.json()["total_price"] == "55.00"


def test_tidying_runs_only_when_there_is_something_to_tidy(
    api, customer, departure, book, hold, wait
):
    """A lapsed hold is passed on to the waitlist before a newcomer books: the
    booking that finds one tidies (more queries) and the seat goes to the
    person waiting, then the next booking is back to the plain count."""
    departure.capacity = 2
    departure.save()
    holder, waiting = UserFactory(), UserFactory()
    held = hold(departure, holder)
    book(departure, UserFactory())
    wait(departure, waiting)
    # The hold runs out and a seat is added: two free, one for each.
    Booking.objects.filter(pk=held.pk).update(
        hold_expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    Departure.objects.filter(pk=departure.pk).update(capacity=3)
    with CaptureQueriesContext(connection) as queries:
        response = api.post("/api/v1/bookings/", body(departure), format="json")
    assert response.status_code == 201, response.json()
    assert len(queries) > BOOKING_QUERIES
    held.refresh_from_db()
    assert held.status == Booking.Status.LAPSED
    offer = WaitlistEntry.objects.get(customer=waiting).booking
    assert offer.status == Booking.Status.HELD
    with CaptureQueriesContext(connection) as queries:
        response = api.post("/api/v1/bookings/", body(departure), format="json")
    assert response.status_code == 409 and response.json()["code"] == "full"
    assert len(queries) == REFUSED_BOOKING_QUERIES, [
        q["sql"][:60] for q in queries.captured_queries
    ]


def test_bookings_need_a_token(api_client, departure):
    assert api_client.get("/api/v1/bookings/").status_code == 401
    assert api_client.post("/api/v1/bookings/", body(departure), format="json").status_code == 401


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"seats": 0}, 400, "invalid"),
        ({"seats": -2}, 400, "invalid"),
        ({"seats": 11}, 400, "invalid"),
        ({"seats": "many"}, 400, "invalid"),
        ({"departure": 999999}, 400, "unknown_departure"),
        ({"departure": "abc"}, 400, "invalid"),
        ({"contact_phone": "x"}, 400, "invalid_contact"),
        ({"seats": 2, "travellers": [{"name": "A"}]}, 400, "invalid_travellers"),
        ({"travellers": [{"name": "A", "type": "dog"}]}, 400, "invalid"),
        ({"travellers": [{"name": "A", "type": "senior"}]}, 400, "traveller_type_not_offered"),
    ],
)
def test_bad_booking_input(api, departure, payload, status, code):
    response = api.post("/api/v1/bookings/", {**body(departure), **payload}, format="json")
    assert response.status_code == status
    assert response.json()["code"] == code and response.json()["detail"]
    assert Booking.objects.count() == 0 and BookingEvent.objects.count() == 0


def test_missing_fields_and_malformed_json(api, departure):
    response = api.post("/api/v1/bookings/", {}, format="json")
    assert response.status_code == 400 and set(response.json()["errors"]) >= {
        "departure",
        "seats",
        "contact_name",
    }
    response = api.post(
        "/api/v1/bookings/", '{"departure": 1, "seats":', content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["code"] == "parse_error"
    assert Booking.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": Departure.Status.CLOSED}, "closed"),
        ({"status": Departure.Status.CANCELLED}, "cancelled"),
        ({"date": "past"}, "already left"),
        ({"date": "cutoff"}, "Booking closed"),
    ],
)
def test_unbookable_departures_are_a_409(api, departure, change, message):
    if change.get("date") == "past":
        change = {"date": timezone.localdate() - dt.timedelta(days=1)}
    elif change.get("date") == "cutoff":
        start = timezone.localtime() + dt.timedelta(hours=3)
        change = {"date": start.date(), "start_time": start.time()}
    Departure.objects.filter(pk=departure.pk).update(**change)
    response = api.post("/api/v1/bookings/", body(departure), format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "not_bookable" and message in response.json()["detail"]


def test_full_is_a_409_and_the_waitlist_is_separate(api, customer, departure, book):
    book(departure, UserFactory(), seats=10)
    response = api.post("/api/v1/bookings/", body(departure), format="json")
    assert response.status_code == 409 and response.json()["code"] == "full"
    joined = api.post(
        f"/api/v1/departures/{departure.pk}/waitlist/", body(departure, seats=2), format="json"
    )
    assert joined.status_code == 201
    entry = joined.json()
    assert (
        entry["status"] == "waiting"
        and entry["seats"] == 2
        and entry["departure"]["id"] == departure.pk
    )
    # no booking offered yet: null, and the schema says it may be (schemathesis found it didn't)
    assert entry["booking"] is None
    schema = api.get("/api/schema/", {"format": "json"}).json()
    assert (
        schema["components"]["schemas"]["WaitlistEntry"]["properties"]["booking"]["nullable"]
        is True
    )
    again = api.post(f"/api/v1/departures/{departure.pk}/waitlist/", body(departure), format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_waiting"
    assert api.get("/api/v1/waitlist/").json()["results"][0]["id"] == entry["id"]
    left = api.post(f"/api/v1/waitlist/{entry['id']}/leave/")
    assert left.status_code == 200 and left.json()["status"] == "cancelled"


def test_waitlist_errors(api, departure):
    response = api.post(
        f"/api/v1/departures/{departure.pk}/waitlist/", body(departure), format="json"
    )
    assert response.status_code == 409 and response.json()["code"] == "seats_available"
    assert (
        api.post("/api/v1/departures/999999/waitlist/", body(departure), format="json").status_code
        == 404
    )
    assert (
        api.post(
            f"/api/v1/departures/{departure.pk}/waitlist/", {"seats": 0}, format="json"
        ).status_code
        == 400
    )
    assert WaitlistEntry.objects.count() == 0


def test_waitlist_offer_confirmed_through_the_api(api, customer, departure, book, wait):
    holder = UserFactory()
    booking = book(departure, holder, seats=10)
    wait(departure, customer)
    services.booking_cancel(booking=booking, by=holder)
    held = api.get("/api/v1/bookings/").json()["results"][0]
    assert held["status"] == "held" and held["hold_expires_at"]
    confirmed = api.post(f"/api/v1/bookings/{held['id']}/confirm/")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    again = api.post(f"/api/v1/bookings/{held['id']}/confirm/")
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"


def test_cancel(api, customer, departure, book):
    booking = book(departure, customer)
    response = api.post(f"/api/v1/bookings/{booking.pk}/cancel/")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    again = api.post(f"/api/v1/bookings/{booking.pk}/cancel/")
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"
    assert api.get(f"/api/v1/bookings/{booking.pk}/cancel/").status_code == 405


def test_one_customer_never_sees_another_customers_bookings(api, customer, departure, book, wait):
    mine = book(departure, customer)
    theirs = book(departure, UserFactory())
    assert [b["id"] for b in api.get("/api/v1/bookings/").json()["results"]] == [mine.pk]
    assert api.get(f"/api/v1/bookings/{theirs.pk}/").status_code == 404
    assert api.post(f"/api/v1/bookings/{theirs.pk}/cancel/").status_code == 404
    assert api.post(f"/api/v1/bookings/{theirs.pk}/confirm/").status_code == 404
    book(departure, UserFactory(), seats=8)
    other_entry = wait(departure, UserFactory())
    assert api.get("/api/v1/waitlist/").json()["count"] == 0
    assert api.post(f"/api/v1/waitlist/{other_entry.pk}/leave/").status_code == 404
    theirs.refresh_from_db()
    other_entry.refresh_from_db()
    assert theirs.status == "confirmed" and other_entry.status == "waiting"


# --- Idempotency ------------------------------------------------------------------------------------


def test_same_key_same_booking(api, departure):
    first = api.post(
        "/api/v1/bookings/", body(departure), format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    second = api.post(
        "/api/v1/bookings/", body(departure), format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Booking.objects.count() == 1


def test_same_key_other_body_is_a_409(api, departure):
    api.post("/api/v1/bookings/", body(departure), format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    response = api.post(
        "/api/v1/bookings/", body(departure, seats=2), format="json", HTTP_IDEMPOTENCY_KEY="k-2"
    )
    assert response.status_code == 409 and response.json()["code"] == "idempotency_key_reused"
    assert Booking.objects.count() == 1


def test_a_refused_booking_keeps_no_key_so_it_can_be_retried(api, departure, book):
    book(departure, UserFactory(), seats=10)
    refused = api.post(
        "/api/v1/bookings/", body(departure), format="json", HTTP_IDEMPOTENCY_KEY="k-3"
    )
    assert refused.status_code == 409
    Departure.objects.filter(pk=departure.pk).update(capacity=11)
    retried = api.post(
        "/api/v1/bookings/", body(departure), format="json", HTTP_IDEMPOTENCY_KEY="k-3"
    )
    assert retried.status_code == 201


def test_schema_documents_the_endpoints(api_client):
    schema = api_client.get("/api/schema/?format=json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/routes/",
        "/api/v1/routes/{slug}/",
        "/api/v1/departures/",
        "/api/v1/bookings/",
        "/api/v1/bookings/{id}/",
        "/api/v1/bookings/{id}/cancel/",
        "/api/v1/departures/{id}/waitlist/",
    ):
        assert path in paths, path
    post = paths["/api/v1/bookings/"]["post"]
    assert {"201", "400", "409"} <= set(post["responses"])
    params = {p["name"] for p in paths["/api/v1/departures/"]["get"]["parameters"]}
    assert {"route", "date_from", "date_to"} <= params
