"""Rescheduling through the web (works without JavaScript) and the API:
the other dates with seats left and the new total, the move itself, refusals
as 4xx with the message, someone else's booking a 404."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from tests.factories import UserFactory
from tours.models import Booking

from .factories import DepartureFactory, DeparturePriceFactory, RouteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, customer):
    client.force_login(customer)
    return client


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def later(departure):
    later = DepartureFactory(route=departure.route, date=departure.date + dt.timedelta(days=7))
    DeparturePriceFactory(departure=later, traveller_type="child", amount="50.00")
    return later


@pytest.fixture
def api(customer):
    client = APIClient()
    client.force_authenticate(customer)
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return client


def test_the_page_lists_the_other_dates_with_seats_and_new_totals(
    english, signed_in, customer, departure, later, book
):
    booking = book(departure, customer, seats=2, travellers=[{"type": "adult"}, {"type": "child"}])
    small = DepartureFactory(route=departure.route, date=departure.date + dt.timedelta(1))
    book(small, UserFactory(), seats=9)
    html = signed_in.get(reverse("tours:booking", args=[booking.code])).content.decode()
    url = reverse("tours:booking_reschedule", args=[booking.code])
    assert url in html
    html = signed_in.get(url).content.decode()
    assert f'value="{later.pk}"' in html and "new total ¥150.00" in html
    assert f'value="{small.pk}" id="departure-{small.pk}" disabled' in html  # 1 seat left
    assert f'value="{departure.pk}"' not in html  # not its own


def test_move_from_the_web(english, signed_in, customer, departure, later, book):
    booking = book(departure, customer)
    url = reverse("tours:booking_reschedule", args=[booking.code])
    response = signed_in.post(url, {"departure": later.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("tours:booking", args=[booking.code])
    booking.refresh_from_db()
    assert booking.departure_id == later.pk
    # moving to where it is, or nowhere, says why and changes nothing
    response = signed_in.post(url, {"departure": later.pk})
    assert response.status_code == 409 and "already on this departure" in response.content.decode()
    assert signed_in.post(url, {"departure": "x"}).status_code == 400
    assert signed_in.post(url, {}).status_code == 400


def test_someone_elses_booking_is_a_404(signed_in, departure, later, book):
    other = book(departure, UserFactory())
    url = reverse("tours:booking_reschedule", args=[other.code])
    assert signed_in.get(url).status_code == 404
    assert signed_in.post(url, {"departure": later.pk}).status_code == 404
    other.refresh_from_db()
    assert other.departure_id == departure.pk


def test_api_reschedule(api, customer, departure, later, book):
    booking = book(departure, customer)
    response = api.post(
        f"/api/v1/bookings/{booking.pk}/reschedule/", {"departure": later.pk}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["departure"]["id"] == later.pk
    assert response.json()["code"] == booking.code


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({}, 400, "invalid"),
        ({"departure": "1"}, 400, "invalid"),
        ({"departure": 0}, 400, "invalid"),
        ({"departure": 999999}, 400, "unknown_departure"),
    ],
)
def test_api_reschedule_bad_input(api, customer, departure, book, payload, status, code):
    booking = book(departure, customer)
    response = api.post(f"/api/v1/bookings/{booking.pk}/reschedule/", payload, format="json")
    assert response.status_code == status and response.json()["code"] == code
    assert Booking.objects.get().departure_id == departure.pk


def test_api_reschedule_refusals(api, customer, departure, later, book):
    booking = book(departure, customer)
    other_route = DepartureFactory(route=RouteFactory())
    url = f"/api/v1/bookings/{booking.pk}/reschedule/"
    response = api.post(url, {"departure": other_route.pk}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "other_route"
    book(later, UserFactory(), seats=10)
    response = api.post(url, {"departure": later.pk}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "full"
    someone = book(departure, UserFactory())
    response = api.post(
        f"/api/v1/bookings/{someone.pk}/reschedule/", {"departure": later.pk}, format="json"
    )
    assert response.status_code == 404


def test_api_limits_are_a_400(api, customer, departure):
    route = departure.route
    route.min_travellers = 2
    route.save()
    shown = api.get(f"/api/v1/routes/{route.slug}/").json()
    assert (shown["min_travellers"], shown["max_travellers"]) == (2, 10)
    response = api.post(
        "/api/v1/bookings/",
        {
            "departure": departure.pk,
            "seats": 1,
            "contact_name": "王芳",
            "contact_phone": "13800000000",
        },
        format="json",
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid_seats"
    assert "2 to 10 travellers" in response.json()["detail"]


def test_schema_documents_reschedule(api_client):
    schema = APIClient().get("/api/schema/?format=json").json()
    post = schema["paths"]["/api/v1/bookings/{id}/reschedule/"]["post"]
    assert {"200", "400", "404", "409"} <= set(post["responses"])
