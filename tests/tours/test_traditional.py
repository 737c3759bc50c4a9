"""A booking made in Traditional Chinese is answered in Traditional Chinese:
its e-mail and its calendar file."""

import pytest
from django.core import mail

from core import hant

pytestmark = pytest.mark.django_db


def test_the_confirmation_email_of_a_traditional_booking_is_in_traditional(
    departure, customer, book, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(departure, customer, language="zh-hant")
    # then
    assert booking.language == "zh-hant"
    [message] = mail.outbox
    assert "前門+雁棲湖" in message.body
    assert hant.still_simplified(message.subject + message.body) == set()


def test_the_calendar_file_on_a_traditional_page_is_in_traditional(
    client, departure, customer, book
):
    # given
    booking = book(departure, customer, language="zh-hant")
    client.force_login(customer)
    # when
    response = client.get(f"/zh-hant/tours/bookings/{booking.code}.ics")
    # then
    assert response.status_code == 200
    text = response.content.decode()
    assert "前門+雁棲湖" in text
    assert hant.still_simplified(text) == set()
