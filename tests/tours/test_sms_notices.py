"""Booking notices by text message, to the contact phone given with the
booking, in the language the customer booked in: everything when the customer
has no e-mail address; seats held for a deadline and a cancelled departure
even when they have one. Through the services, the queued task and core.sms."""

import pytest

from core import sms
from tests.factories import UserFactory
from tours import services

pytestmark = pytest.mark.django_db


def test_a_customer_without_e_mail_gets_the_booking_by_text_in_english(
    departure, book, smsoutbox, mailoutbox, django_capture_on_commit_callbacks
):
    customer = UserFactory(username="nomail", email="", phone="13900000021")
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(departure, customer, contact_phone="139 0000 0022", language="en")
    (message,) = smsoutbox
    # the booking's own contact phone, in English, one segment
    assert message.to == "13900000022" and message.kind == "booking_confirmed"
    assert message.body == (
        f"Booking {booking.code} confirmed: Qianmen + Yanqi Lake, "
        f"{departure.date:%m-%d} {departure.start_time:%H:%M}."
    )
    assert sms.segments(message.body) == 1
    assert mailoutbox == []


def test_with_e_mail_a_cancelled_departure_still_comes_by_text_too(
    departure, book, customer, smsoutbox, mailoutbox, django_capture_on_commit_callbacks
):
    # given a customer with e-mail (the conftest's bob) who booked in Chinese
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(departure, customer, contact_phone="13900000023")
    assert smsoutbox == [] and len(mailoutbox) == 1
    # when the operator cancels the departure
    with django_capture_on_commit_callbacks(execute=True):
        services.departure_cancel(departure=departure, by=None, reason="暴雨")
    # then an e-mail with the reason, and a text in Chinese
    assert len(mailoutbox) == 2
    (message,) = smsoutbox
    assert message.kind == "booking_departure_cancelled" and message.to == "13900000023"
    assert f"预订{booking.code}随之取消" in message.body
    assert sms.segments(message.body) == 1


def test_a_landline_contact_with_no_e_mail_reaches_nobody_and_the_task_says_so(
    departure, book, smsoutbox, mailoutbox, django_capture_on_commit_callbacks, caplog
):
    customer = UserFactory(username="landline", email="", phone="")
    with django_capture_on_commit_callbacks(execute=True):
        book(departure, customer, contact_phone="010-65120000")
    assert smsoutbox == [] and mailoutbox == []
    assert "not sent" in caplog.text
