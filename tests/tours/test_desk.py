"""The task-focused check-in desk (/vendor/desk/check-in/, issue 14): today's
and tomorrow's manifest scoped to the operator, check-in with the explicit
payment choice, the audited undo, the offline queue applied exactly once."""

import datetime as dt
import json
import uuid

import pytest
from django.utils import timezone

from core.errors import DomainError
from core.models import OfflineAction
from tests.factories import MembershipFactory, UserFactory
from tours.models import Booking, BookingEvent, Departure
from tours.services import desk as desk_services

from .test_vendor import Side

pytestmark = pytest.mark.django_db
DESK = "/vendor/desk/check-in/"


@pytest.fixture
def today(book, wait):
    """Two operators, each with a departure later today and one booking of three."""
    sides = Side(1, book, wait), Side(2, book, wait)
    for side in sides:
        Departure.objects.filter(pk=side.departure.pk).update(
            date=timezone.localdate(), start_time=dt.time(23, 59)
        )
    return sides


def action(code, *, payment="", minutes_ago=0, nonce=None):
    return {
        "nonce": str(nonce or uuid.uuid4()),
        "kind": "check_in",
        "code": code,
        "scanned_at": (timezone.now() - dt.timedelta(minutes=minutes_ago)).isoformat(),
        "payment_method": payment,
    }


def sync(client, *actions):
    return client.post(
        DESK + "sync", json.dumps({"actions": list(actions)}), content_type="application/json"
    )


def test_the_manifest_is_the_operators_own(client, today):
    one, two = today
    client.force_login(one.user)
    # the page and its copy of today's manifest
    page = client.get(DESK)
    assert page.status_code == 200 and page["Permissions-Policy"] == "camera=(self)"
    items = client.get(DESK + "snapshot").json()["data"]["items"]
    assert [item["code"] for item in items] == [one.booking.code]
    assert items[0]["lines"][0]["name"] == "客人1甲"
    assert items[0]["paid"] is False
    # the other operator's booking is not found, not checked in
    assert client.get(DESK + "find", {"code": two.booking.code}).status_code == 404
    result = sync(client, action(two.booking.code, payment="cash")).json()["results"][0]
    assert (result["result"], result["conflict"]) == ("conflict", "not_found")
    assert Booking.objects.get(pk=two.booking.pk).status == "confirmed"


def test_an_unpaid_booking_needs_the_payment_choice(client, today):
    one, _ = today
    client.force_login(one.user)
    result = sync(client, action(one.booking.code)).json()["results"][0]
    assert (result["result"], result["conflict"]) == ("conflict", "payment_method_required")
    # paid on the spot: the payment and the check-in, both audited
    answer = sync(client, action(one.booking.code, payment="wechat")).json()
    assert answer["results"][0]["result"] == "applied"
    assert answer["items"][0]["status"] == "checked_in" and answer["items"][0]["paid"]
    booking = Booking.objects.get(pk=one.booking.pk)
    assert (booking.payment_method, booking.payment_timing) == ("wechat", "on_the_day")


def test_pay_later_checks_in_unpaid(client, today):
    one, _ = today
    client.force_login(one.user)
    assert (
        sync(client, action(one.booking.code, payment="later")).json()["results"][0]["result"]
        == "applied"
    )
    booking = Booking.objects.get(pk=one.booking.pk)
    assert booking.status == "checked_in" and booking.paid_at is None


def test_undo_a_check_in_within_the_window(client, today, settings):
    one, _ = today
    client.force_login(one.user)
    sync(client, action(one.booking.code, payment="cash"))
    # a colleague (not a manager) may not undo it
    colleague = MembershipFactory(
        organization=one.org, user=UserFactory(username="colleague"), role="staff"
    ).user
    booking = Booking.objects.get(pk=one.booking.pk)
    with pytest.raises(DomainError) as refused:
        desk_services.booking_undo_check_in(booking=booking, by=colleague)
    assert (refused.value.code, refused.value.status_code) == ("not_allowed", 403)
    # the clerk may: back to paid, audited
    response = client.post(
        DESK + "undo", json.dumps({"code": one.booking.code}), "application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["item"]["status"] == "paid"
    last = BookingEvent.objects.filter(booking=one.booking).order_by("-pk").first()
    assert (last.from_status, last.to_status, last.actor) == ("checked_in", "paid", one.user)
    # once the window has passed, no more
    sync(client, action(one.booking.code))
    BookingEvent.objects.filter(booking=one.booking, to_status="checked_in").update(
        at=timezone.now() - dt.timedelta(minutes=settings.DESK_UNDO_MINUTES + 1)
    )
    response = client.post(
        DESK + "undo", json.dumps({"code": one.booking.code}), "application/json"
    )
    assert response.status_code == 409


def test_a_second_device_and_a_cancellation_are_conflicts(client, today):
    one, _ = today
    client.force_login(one.user)
    # given the booking checked in at another device
    other = action(one.booking.code, payment="cash", minutes_ago=3)
    assert sync(client, other).json()["results"][0]["result"] == "applied"
    # when this device's offline check-in arrives, twice
    mine = action(one.booking.code, payment="cash", minutes_ago=2)
    first = sync(client, mine).json()["results"][0]
    second = sync(client, mine).json()["results"][0]
    # then it is a conflict, recorded once
    assert (first["result"], first["conflict"]) == ("conflict", "already_checked_in")
    assert second["result"] == "duplicate"
    assert OfflineAction.objects.filter(nonce=mine["nonce"]).count() == 1
    assert [c["code"] for c in client.get(DESK + "conflicts").json()["conflicts"]] == [
        one.booking.code
    ]


def test_the_manifest_is_three_queries_whatever_its_length(today, book, django_assert_num_queries):
    from tours.desk import check_in_desk

    one, _ = today
    Departure.objects.filter(pk=one.departure.pk).update(cutoff_hours=0, capacity=10)
    for _ in range(2):
        book(one.departure, UserFactory(), seats=1)
    user = one.user
    user._organization_kinds = {one.org.pk: one.org.kind}
    with django_assert_num_queries(3):  # the operator ids, the bookings, their travellers
        items = check_in_desk.items(user, timezone.now())
    assert len(items) == 3
