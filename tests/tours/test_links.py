"""Absolute links (core.links.absolute_url): in development (DEBUG on) a link
handed out in answer to a request points at the host and port the request
came to; in production, and wherever there is no request (the e-mail
worker), at SITE_URL. The booking's QR content in the API is exactly what
its web page encodes."""

import re

import pytest
from django.core import mail
from rest_framework.test import APIClient

from core import qr
from tours import services

pytestmark = pytest.mark.django_db

SITE = "https://tours.example.org"
DEV_HOST = "localhost:8123"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def booked(client, departure) -> dict:
    response = client.post(
        "/api/v1/bookings/",
        {
            "departure": departure.pk,
            "seats": 1,
            "contact_name": "王芳",
            "contact_phone": "13800000000",
        },
        format="json",
        HTTP_HOST=DEV_HOST,
    )
    assert response.status_code == 201, response.content
    return response.json()


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_in_development_api_links_use_the_request_host_and_port(settings, customer, departure):
    # given development settings
    settings.DEBUG = True
    # when a booking is made through localhost:8123
    data = booked(api_for(customer), departure)
    # then its links point there, not at SITE_URL's default port
    assert data["ics_url"] == f"http://{DEV_HOST}/tours/bookings/{data['code']}.ics"
    assert data["qr_text"] == (
        f"http://{DEV_HOST}/vendor/tours/booking/check-in/?code={data['code']}"
    )


def test_in_production_api_links_use_site_url_whatever_the_host(settings, customer, departure):
    # given production (DEBUG off): the Host header is the client's to choose
    settings.DEBUG = False
    # when
    data = booked(api_for(customer), departure)
    # then the canonical address is handed out
    assert data["ics_url"] == f"{SITE}/tours/bookings/{data['code']}.ics"
    assert data["qr_text"] == f"{SITE}/vendor/tours/booking/check-in/?code={data['code']}"


def test_the_calendar_file_links_follow_the_same_rule(settings, client, customer, departure):
    # given a booking, and development settings
    settings.DEBUG = True
    booking = services.booking_create(
        customer=customer,
        departure_id=departure.pk,
        seats=1,
        contact_name="王芳",
        contact_phone="13800000000",
    )
    client.force_login(customer)
    # when the .ics is downloaded through localhost:8123
    ics = client.get(f"/tours/bookings/{booking.code}.ics", HTTP_HOST=DEV_HOST)
    # then its links point there (unfolded: lines are folded at 75 octets)
    text = ics.content.decode().replace("\r\n ", "")
    assert f"URL:http://{DEV_HOST}{departure.route.get_absolute_url()}" in text
    assert f"http://{DEV_HOST}/tours/bookings/{booking.code}/" in text
    # but the event's UID stays the canonical one, so a re-import replaces it
    assert f"UID:tour-booking-{booking.code}@tours.example.org" in text
    # and in production SITE_URL
    settings.DEBUG = False
    text = client.get(f"/tours/bookings/{booking.code}.ics", HTTP_HOST=DEV_HOST).content.decode()
    assert f"URL:{SITE}{departure.route.get_absolute_url()}" in text.replace("\r\n ", "")


def test_e_mails_always_link_to_site_url(
    settings, customer, departure, mailoutbox, django_capture_on_commit_callbacks
):
    # given development settings (the worker has no request whatever DEBUG says)
    settings.DEBUG = True
    # when a booking's confirmation is sent
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_create(
            customer=customer,
            departure_id=departure.pk,
            seats=1,
            contact_name="王芳",
            contact_phone="13800000000",
        )
    # then its links are SITE_URL's
    (message,) = [m for m in mailoutbox if booking.code in m.subject]
    assert f"{SITE}/tours/bookings/{booking.code}/" in message.body
    assert "testserver" not in message.body and "127.0.0.1" not in message.body
    assert mail.outbox is mailoutbox


def _qr_modules(svg: str) -> list[str]:
    return re.findall(r'<path[^>]* d="([^"]+)"', svg)


@pytest.mark.parametrize("debug", [True, False])
def test_the_api_qr_text_is_what_the_booking_page_encodes(
    settings, client, customer, departure, debug
):
    # given a booking made through the API
    settings.DEBUG = debug
    data = booked(api_for(customer), departure)
    client.force_login(customer)
    # when its web page is shown through the same host
    page = client.get(f"/tours/bookings/{data['code']}/", HTTP_HOST=DEV_HOST).content.decode()
    (svg,) = re.findall(r'<div class="qr">(<svg.*?</svg>)', page, flags=re.S)
    # then the page's QR code holds exactly the API's qr_text
    expected = qr.svg(data["qr_text"], label="")
    assert _qr_modules(svg) == _qr_modules(expected)
