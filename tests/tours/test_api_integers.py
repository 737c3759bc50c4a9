"""Integer fields of a booking and a waitlist entry (seats, departure) take
JSON integers only, as the schema says: "1", 1.5 and true are a 400 naming
the field. An integral number (2.0) is the same JSON number as 2."""

import pytest
from rest_framework.test import APIClient

from tours.models import Booking, WaitlistEntry

pytestmark = pytest.mark.django_db

NOT_INTEGERS = ["1", 1.5, True, "1.0", [1], {"n": 1}]


@pytest.fixture
def api(customer):
    client = APIClient()
    client.force_authenticate(customer)
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return client


def _body(departure, **extra):
    return {
        "departure": departure,
        "seats": 1,
        "contact_name": "王芳",
        "contact_phone": "13800000000",
        **extra,
    }


def _integer_error(response, field: str) -> None:
    assert response.status_code == 400, response.content
    data = response.json()
    assert data["code"] == "invalid"
    assert field in data["errors"]
    assert "integer" in str(data["errors"][field])


@pytest.mark.parametrize("value", NOT_INTEGERS)
def test_seats_that_are_not_an_integer_are_refused(api, departure, value):
    # when
    response = api.post("/api/v1/bookings/", _body(departure.pk, seats=value), format="json")
    # then
    _integer_error(response, "seats")
    assert Booking.objects.count() == 0


@pytest.mark.parametrize("value", NOT_INTEGERS)
def test_a_departure_that_is_not_an_integer_is_refused(api, departure, value):
    # given: the departure's real id in the wrong JSON type
    if value in ("1", "1.0"):
        value = str(departure.pk) + value[1:]
    # when
    response = api.post("/api/v1/bookings/", _body(value), format="json")
    # then
    _integer_error(response, "departure")
    assert Booking.objects.count() == 0


@pytest.mark.parametrize("value", NOT_INTEGERS)
def test_waitlist_seats_that_are_not_an_integer_are_refused(api, departure, value):
    # when
    response = api.post(
        f"/api/v1/departures/{departure.pk}/waitlist/",
        _body(departure.pk, seats=value),
        format="json",
    )
    # then
    _integer_error(response, "seats")
    assert WaitlistEntry.objects.count() == 0


def test_integral_numbers_are_integers(api, departure):
    # when
    response = api.post(
        "/api/v1/bookings/",
        _body(float(departure.pk), seats=2.0),
        format="json",
    )
    # then
    assert response.status_code == 201, response.content
    assert Booking.objects.get().seats == 2
