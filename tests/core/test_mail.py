"""core.mail: every app's e-mail in one shape."""

import datetime
import datetime as dt
import logging

import pytest
from django.core import mail
from django.utils import translation

from core.mail import not_sent, send
from tours.tasks import BOOKING_KINDS

# The msgids the tours subjects had when they were Python strings: the
# templates must keep them, so the catalogue's translations still apply.
BOOKING_SUBJECTS = {
    "confirmed": "Your booking %(code)s is confirmed",
    "offer": "Seats are free for you: confirm booking %(code)s",
    "lapsed": "The seats offered to you (%(code)s) have gone to the next person",
    "cancelled": "Your booking %(code)s was cancelled",
    "departure_cancelled": "Departure cancelled: your booking %(code)s",
    "rescheduled": "Your booking %(code)s now departs on %(date)s",
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("kind", BOOKING_KINDS)
def test_a_subject_template_says_what_the_catalogue_says_in_the_customers_language(kind, language):
    # when
    sent = send(
        subject=f"tours/email/booking_{kind}_subject.txt",
        body="tours/email/booking.txt",
        context=lambda: {
            "booking": {"code": "K7P3XW2A"},
            "departure": {"date": datetime.date(2026, 12, 10)},
            "kind": kind,
        },
        to=["a@example.org"],
        language=language,
    )
    # then
    assert sent is True
    with translation.override(language):
        expected = translation.gettext(BOOKING_SUBJECTS[kind]) % {
            "code": "K7P3XW2A",
            "date": "2026-12-10",
        }
    assert mail.outbox[0].subject == expected
    assert mail.outbox[0].to == ["a@example.org"]


def test_the_context_is_built_in_the_customers_language():
    # given
    seen = []

    def context():
        seen.append(translation.get_language())
        return {"booking": {"code": "K7P3XW2A"}}

    # when
    send(
        subject="tours/email/booking_confirmed_subject.txt",
        body="tours/email/booking.txt",
        context=context,
        to=["a@example.org"],
        language="en",
    )
    # then: links reversed in there get the /en/ prefix
    assert seen == ["en"]


def test_nobody_to_write_to_sends_nothing():
    # when
    sent = send(
        subject="tours/email/booking_confirmed_subject.txt",
        body="tours/email/booking.txt",
        context=dict,
        to=["", ""],
        language="en",
    )
    # then
    assert sent is False and mail.outbox == []


def test_a_waitlist_subject_keeps_the_date_as_it_was(db):
    # when
    send(
        subject="tours/email/waitlist_departure_cancelled_subject.txt",
        body="tours/email/waitlist.txt",
        context=lambda: {
            "route": {"title": "Mutianyu"},
            "departure": {"date": dt.date(2026, 5, 1)},
        },
        to=["a@example.org"],
        language="en",
    )
    # then
    assert mail.outbox[0].subject == "Departure cancelled: Mutianyu on 2026-05-01"


def test_not_sent_logs_why_and_answers_false(caplog):
    # when
    with caplog.at_level(logging.WARNING, logger="core.mail"):
        answer = not_sent("booking", booking=7, kind="nonsense")
    # then
    assert answer is False
    assert caplog.records[0].message == "booking e-mail not sent"
    assert caplog.records[0].fields == {"booking": 7, "kind": "nonsense"}
