"""The booking's .ics for a mobile app: the API token in the Authorization
header (Token or Bearer) opens it, as the session does for the web; a signed
link for that one booking (the API's calendar_url) opens it with no
credentials, for the phone's calendar app. A token in the query string is
never accepted; a bad token is a 401, not the web sign-in page."""

import pytest
from rest_framework.test import APIClient

from tests.factories import UserFactory, api_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(departure, customer, book):
    return book(departure, customer)


def ics_path(booking) -> str:
    return f"/tours/bookings/{booking.code}.ics"


def assert_calendar(response, booking):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR") and f"UID:tour-booking-{booking.code}@" in body
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("keyword", ["Token", "Bearer"])
def test_the_api_token_in_the_header_opens_the_calendar_file(client, booking, customer, keyword):
    key = api_token(customer)
    response = client.get(ics_path(booking), HTTP_AUTHORIZATION=f"{keyword} {key}")
    assert_calendar(response, booking)


def test_the_web_session_still_opens_it_and_a_browser_without_one_is_sent_to_sign_in(
    client, booking, customer
):
    anonymous = client.get(ics_path(booking))
    assert anonymous.status_code == 302 and "/account/login/" in anonymous["Location"]
    client.force_login(customer)
    assert_calendar(client.get(ics_path(booking)), booking)


def test_a_bad_token_is_a_401_in_the_api_format_not_the_sign_in_page(client, booking):
    response = client.get(ics_path(booking), HTTP_AUTHORIZATION="Token not-a-key")
    assert response.status_code == 401
    assert response.json()["code"] == "token_invalid"
    assert response["WWW-Authenticate"]
    other_scheme = client.get(ics_path(booking), HTTP_AUTHORIZATION="Basic Ym9iOnB3")
    assert other_scheme.status_code == 401


def test_someone_elses_token_finds_nothing(client, booking):
    stranger = UserFactory(username="eve", phone="13900000077")
    response = client.get(ics_path(booking), HTTP_AUTHORIZATION=f"Token {api_token(stranger)}")
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["token", "key", "auth_token", "access_token"])
def test_a_token_in_the_query_string_is_not_accepted(client, booking, customer, name):
    response = client.get(ics_path(booking), {name: api_token(customer)})
    assert response.status_code == 302  # the sign-in page, as for anyone without proof


def test_the_api_hands_out_both_links_and_each_works_as_described(booking, customer):
    api = APIClient()
    key = api_token(customer)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    data = api.get(f"/api/v1/bookings/{booking.pk}/").json()
    # the ics_url with the app's own header
    app = APIClient()
    assert app.get(data["ics_url"]).status_code == 302
    app.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert_calendar(app.get(data["ics_url"]), booking)
    # the calendar_url alone, as a calendar app fetches it
    assert data["calendar_url"].startswith(data["ics_url"] + "?sig=")
    assert_calendar(APIClient().get(data["calendar_url"]), booking)


def test_a_signature_opens_only_its_own_booking(client, departure, booking, customer, book):
    from tours.links import calendar_url

    other = book(departure, UserFactory(username="ann", phone="13900000078"))
    signed = calendar_url(booking.code)
    sig = signed.split("?sig=")[1]
    assert_calendar(client.get(ics_path(booking), {"sig": sig}), booking)
    # the same signature on another booking's file, or a changed one: 404
    assert client.get(ics_path(other), {"sig": sig}).status_code == 404
    assert client.get(ics_path(booking), {"sig": sig[:-1] + "x"}).status_code == 404
    assert client.get(ics_path(booking), {"sig": ""}).status_code == 404
