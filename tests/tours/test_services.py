"""Services: booking, the waitlist, departures. Every failure leaves nothing
written; every change is audited."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone, translation

from core import codes
from core.errors import DomainError
from core.transitions import Actor
from tests.factories import UserFactory
from tours import errors, selectors, services
from tours.models import Booking, BookingEvent, BookingTraveller, Departure, WaitlistEntry

from .factories import DepartureFactory

pytestmark = pytest.mark.django_db


def counts():
    return (
        Booking.objects.count(),
        BookingTraveller.objects.count(),
        WaitlistEntry.objects.count(),
        BookingEvent.objects.count(),
    )


def starting_in(hours: float, **kwargs) -> dict:
    start = timezone.localtime(timezone.now() + dt.timedelta(hours=hours))
    return {"date": start.date(), "start_time": start.time().replace(microsecond=0), **kwargs}


# --- Booking ---------------------------------------------------------------------------------


def test_booking_confirmed_with_prices_copied_and_audited(departure, customer, book):
    # given a departure with an adult (route base) and a child price
    # when booking two travellers
    booking = book(
        departure,
        customer,
        seats=2,
        travellers=[{"name": "王芳", "type": "adult"}, {"name": "小明", "type": "child"}],
        language="en",
    )
    # then the booking is confirmed, priced per traveller and audited
    assert booking.status == Booking.Status.CONFIRMED
    assert len(booking.code) == 8 and set(booking.code) <= set(codes.ALPHABET)
    assert booking.total_price == Decimal("160.00")
    assert [(t.name, t.traveller_type, t.price) for t in booking.travellers.all()] == [
        ("王芳", "adult", Decimal("100.00")),
        ("小明", "child", Decimal("60.00")),
    ]
    assert booking.language == "en"
    event = booking.events.get()
    assert (event.actor, event.from_status, event.to_status, event.reason) == (
        customer,
        "",
        "confirmed",
        "booked",
    )
    assert selectors.seats_taken(departure=departure) == 2


def test_price_changes_later_do_not_change_a_booking(departure, customer, book):
    booking = book(departure, customer, seats=1)
    departure.route.base_price = Decimal("999.00")
    departure.route.save()
    booking.refresh_from_db()
    assert booking.total_price == Decimal("100.00")


def test_without_travellers_every_seat_is_an_unnamed_adult(departure, customer, book):
    booking = book(departure, customer, seats=3)
    assert [(t.name, t.traveller_type) for t in booking.travellers.all()] == [("", "adult")] * 3
    assert booking.total_price == Decimal("300.00")


def test_confirmation_email_in_the_booking_language(
    departure, customer, book, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(departure, customer, language="en")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["bob@example.org"]
    assert booking.code in mail.outbox[0].subject and "confirmed" in mail.outbox[0].subject
    assert "Qianmen + Yanqi Lake" in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_the_worker_sends_the_confirmation(
    departure, customer, book, settings
):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    booking = book(departure, customer, language="en")
    assert DBTaskResult.objects.get().task_path == "tours.tasks.send_booking_email"
    assert mail.outbox == []
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert [m.subject for m in mail.outbox] == [f"Your booking {booking.code} is confirmed"]


@pytest.mark.parametrize("seats", [0, -1, 11, "x", None, 2.5])
def test_bad_seat_counts_are_refused_and_nothing_is_written(departure, customer, book, seats):
    before = counts()
    with pytest.raises(errors.InvalidSeats):
        book(departure, customer, seats=seats)
    assert counts() == before


def test_more_seats_than_left_is_full_with_how_many_are_left(departure, customer, book):
    book(departure, UserFactory(), seats=8)
    before = counts()
    with pytest.raises(errors.DepartureFull) as info:
        book(departure, customer, seats=3)
    assert info.value.status_code == 409 and info.value.code == "full"
    assert "2" in str(info.value.message)
    assert counts() == before


def test_full_departure(departure, customer, book):
    book(departure, UserFactory(), seats=10)
    with pytest.raises(errors.DepartureFull):
        book(departure, customer, seats=1)


@pytest.mark.parametrize(
    ("factory_kwargs", "message"),
    [
        ({"date_offset": -1}, "already left"),
        ({"hours": 2}, "closed 12 hours"),
        ({"status": Departure.Status.CLOSED}, "closed"),
        ({"status": Departure.Status.CANCELLED}, "cancelled"),
    ],
)
def test_departures_that_cannot_be_booked(route, customer, book, factory_kwargs, message):
    if "date_offset" in factory_kwargs:
        departure = DepartureFactory(route=route, date=timezone.localdate() + dt.timedelta(days=-1))
    elif "hours" in factory_kwargs:
        departure = DepartureFactory(route=route, **starting_in(factory_kwargs["hours"]))
    else:
        departure = DepartureFactory(route=route, status=factory_kwargs["status"])
    before = counts()
    with translation.override("en"), pytest.raises(errors.DepartureNotBookable) as info:
        book(departure, customer)
    assert message in str(info.value.message)
    assert info.value.status_code == 409
    assert counts() == before


def test_unpublished_route_and_unknown_departure(departure, customer, book):
    with pytest.raises(errors.DepartureNotFound):
        services.booking_create(
            customer=customer,
            departure_id=999999,
            seats=1,
            contact_name="A",
            contact_phone="13800000000",
        )
    with pytest.raises(errors.DepartureNotFound):
        services.booking_create(
            customer=customer,
            departure_id="abc",
            seats=1,
            contact_name="A",
            contact_phone="13800000000",
        )
    departure.route.is_published = False
    departure.route.save()
    with pytest.raises(errors.DepartureNotFound):
        book(departure, customer)
    assert Booking.objects.count() == 0


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"contact_name": "  "}, "invalid_contact"),
        ({"contact_phone": "12"}, "invalid_contact"),
        ({"contact_phone": "call me"}, "invalid_contact"),
        ({"travellers": [{"name": "A", "type": "adult"}]}, "invalid_travellers"),
        ({"travellers": [{"name": "A", "type": "alien"}, {"name": "B"}]}, "invalid_travellers"),
        ({"travellers": ["A", "B"]}, "invalid_travellers"),
        (
            {"travellers": [{"name": "A", "type": "senior"}, {"name": "B"}]},
            "traveller_type_not_offered",
        ),
    ],
)
def test_bad_contact_or_travellers(departure, customer, book, extra, code):
    before = counts()
    with pytest.raises(DomainError) as info:
        book(departure, customer, seats=2, **extra)
    assert info.value.code == code and info.value.status_code == 400
    assert counts() == before


def test_customer_cancels_and_seats_come_back(departure, customer, book):
    booking = book(departure, customer, seats=4)
    services.booking_cancel(booking=booking, by=customer)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert booking.cancel_reason == "cancelled by the customer"
    assert selectors.seats_taken(departure=departure) == 0
    assert list(booking.events.values_list("from_status", "to_status")) == [
        ("", "confirmed"),
        ("confirmed", "cancelled"),
    ]
    with pytest.raises(errors.InvalidTransition):
        services.booking_cancel(booking=booking, by=customer)


def test_customer_cannot_cancel_after_the_start_but_the_operator_can(route, customer, book):
    departure = DepartureFactory(route=route, **starting_in(24 + 1))
    booking = book(departure, customer)
    Departure.objects.filter(pk=departure.pk).update(
        date=timezone.localdate() - dt.timedelta(days=1)
    )
    with pytest.raises(errors.InvalidTransition):
        services.booking_cancel(booking=booking, by=customer)
    services.booking_cancel(booking=booking, by=None, by_operator=True, reason="bus broke down")
    booking.refresh_from_db()
    assert booking.status == "cancelled" and booking.cancel_reason == "bus broke down"


def test_transition_table_refuses_everything_else(departure, customer, book):
    booking = book(departure, customer)
    with pytest.raises(errors.InvalidTransition):
        services.booking_transition(booking=booking, to=Booking.Status.LAPSED, actor=Actor.OPERATOR)
    with pytest.raises(errors.InvalidTransition):
        services.booking_transition(booking=booking, to=Booking.Status.HELD, actor=Actor.OPERATOR)
    services.booking_transition(
        booking=booking, to=Booking.Status.CHECKED_IN, reason="test", actor=Actor.OPERATOR
    )
    # checked in is final but for the desk's undo (back to confirmed or paid)
    undo = {Booking.Status.CONFIRMED, Booking.Status.PAID}
    for status in set(Booking.Status.values) - undo:
        with pytest.raises(errors.InvalidTransition):
            services.booking_transition(booking=booking, to=status, actor=Actor.OPERATOR)


# --- Payment, check-in, no-show ------------------------------------------------------------------


def test_payment_in_advance_then_check_in_on_the_day(route, customer, book):
    departure = DepartureFactory(route=route, **starting_in(14))
    booking = book(departure, customer, seats=2)
    services.booking_record_payment(booking=booking, by=None, method="wechat", timing="advance")
    booking.refresh_from_db()
    assert booking.status == "paid" and booking.payment_timing == "advance" and booking.paid_at
    with pytest.raises(errors.InvalidTransition):
        services.booking_record_payment(booking=booking, by=None, method="cash", timing="advance")
    if timezone.localdate() < departure.date:
        with pytest.raises(errors.TooEarly):
            services.booking_check_in(booking=booking, by=None)
        Departure.objects.filter(pk=departure.pk).update(date=timezone.localdate())
    services.booking_check_in(booking=booking, by=None)
    booking.refresh_from_db()
    assert booking.status == "checked_in"
    assert list(booking.events.values_list("to_status", flat=True)) == [
        "confirmed",
        "paid",
        "checked_in",
    ]


def test_payment_on_the_day_after_check_in_is_audited_without_a_status_change(
    departure, customer, book
):
    booking = book(departure, customer)
    Departure.objects.filter(pk=departure.pk).update(date=timezone.localdate())
    services.booking_check_in(booking=booking, by=customer)
    services.booking_record_payment(
        booking=booking, by=customer, method="cash", timing="on_the_day"
    )
    booking.refresh_from_db()
    assert booking.status == "checked_in" and booking.payment_timing == "on_the_day"
    last = booking.events.last()
    assert (last.from_status, last.to_status) == ("checked_in", "checked_in")
    assert "cash" in last.reason


@pytest.mark.parametrize(("method", "timing"), [("bitcoin", "advance"), ("cash", "later")])
def test_bad_payment_input(departure, customer, book, method, timing):
    booking = book(departure, customer)
    with pytest.raises(DomainError):
        services.booking_record_payment(booking=booking, by=None, method=method, timing=timing)
    booking.refresh_from_db()
    assert booking.paid_at is None


def test_no_show_only_after_the_start_and_late_arrival_can_still_check_in(
    departure, customer, book
):
    booking = book(departure, customer)
    with pytest.raises(errors.TooEarly):
        services.booking_mark_no_show(booking=booking, by=None)
    Departure.objects.filter(pk=departure.pk).update(
        date=timezone.localdate() - dt.timedelta(days=1)
    )
    services.booking_mark_no_show(booking=booking, by=None)
    services.booking_check_in(booking=booking, by=None)
    booking.refresh_from_db()
    assert booking.status == "checked_in"


def test_operator_finds_booking_by_code_only_on_own_routes(departure, customer, book, operator):
    from tests.factories import MembershipFactory

    booking = book(departure, customer)
    staff = MembershipFactory(organization=operator).user
    stranger = MembershipFactory().user
    assert (
        services.booking_by_code_for_operator(
            code=f" {booking.code.lower()[:4]} {booking.code.lower()[4:]}", user=staff
        )
        == booking
    )
    with pytest.raises(errors.BookingNotFound):
        services.booking_by_code_for_operator(code=booking.code, user=stranger)


# --- Waitlist ---------------------------------------------------------------------------------------


def test_join_only_when_full_and_only_once(departure, customer, book, wait):
    with pytest.raises(errors.SeatsAvailable):
        wait(departure, customer, seats=2)
    book(departure, UserFactory(), seats=9)
    wait(departure, customer, seats=2)  # 1 left, 2 wanted: may wait
    with pytest.raises(errors.AlreadyWaiting):
        wait(departure, customer, seats=1 + 1)
    assert WaitlistEntry.objects.filter(status="waiting").count() == 1


def test_waitlist_is_closed_with_the_departure(departure, customer, wait):
    Departure.objects.filter(pk=departure.pk).update(status=Departure.Status.CLOSED)
    with pytest.raises(errors.DepartureNotBookable):
        wait(departure, customer)


def test_cancellation_offers_seats_in_order_to_the_first_that_fits(
    departure, book, wait, django_capture_on_commit_callbacks
):
    # given a full departure and three people waiting: 3 seats, then 2, then 1
    holder = UserFactory(email="holder@example.org")
    big = book(departure, holder, seats=2)
    book(departure, UserFactory(), seats=8)
    first, second, third = (UserFactory(email=f"w{i}@example.org") for i in range(3))
    e1 = wait(departure, first, seats=3)
    e2 = wait(departure, second, seats=2)
    e3 = wait(departure, third, seats=1)
    # when the 2-seat booking is cancelled
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=big, by=holder)
    # then the first entry that fits (the second, 2 seats) is offered them, in order
    for entry in (e1, e2, e3):
        entry.refresh_from_db()
    assert (e1.status, e2.status, e3.status) == ("waiting", "offered", "waiting")
    held = e2.booking
    assert held.status == "held" and held.seats == 2 and held.customer == second
    expected = timezone.now() + dt.timedelta(hours=24)
    assert abs((held.hold_expires_at - expected).total_seconds()) < 60
    assert selectors.seats_taken(departure=departure) == 10
    assert [m.to for m in mail.outbox] == [["w1@example.org"]]
    assert held.code in mail.outbox[0].subject
    # and the offer is audited, for the booking and the entry
    assert list(held.events.values_list("from_status", "to_status")) == [
        ("", "held"),
        ("waiting", "offered"),
    ]


def test_freed_seats_go_to_several_entries_in_order(departure, book, wait):
    holder = UserFactory()
    big = book(departure, holder, seats=5)
    book(departure, UserFactory(), seats=5)
    entries = [wait(departure, UserFactory(), seats=n) for n in (2, 2, 2)]
    services.booking_cancel(booking=big, by=holder)
    statuses = [WaitlistEntry.objects.get(pk=e.pk).status for e in entries]
    assert statuses == ["offered", "offered", "waiting"]  # 5 seats: 2 + 2, the third does not fit


def test_hold_deadline_never_after_the_cut_off(route, book, wait):
    departure = DepartureFactory(route=route, capacity=1, **starting_in(20))
    holder = UserFactory()
    booking = book(departure, holder)
    entry = wait(departure, UserFactory())
    services.booking_cancel(booking=booking, by=holder)
    entry.refresh_from_db()
    assert entry.booking.hold_expires_at == departure.booking_closes_at


def test_confirm_a_held_offer(departure, book, wait):
    holder, waiting = UserFactory(), UserFactory()
    booking = book(departure, holder, seats=10)
    entry = wait(departure, waiting, seats=1)
    services.booking_cancel(booking=booking, by=holder)
    entry.refresh_from_db()
    held = services.booking_confirm(booking=entry.booking, by=waiting)
    assert held.status == "confirmed"
    with pytest.raises(errors.InvalidTransition):
        services.booking_confirm(booking=held, by=waiting)


def test_unconfirmed_hold_lapses_and_the_next_is_offered(
    departure, book, wait, django_capture_on_commit_callbacks
):
    # given a held offer for the first person waiting and a second person behind
    holder, first, second = (
        UserFactory(),
        UserFactory(email="first@example.org"),
        UserFactory(email="second@example.org"),
    )
    booking = book(departure, holder, seats=1)
    book(departure, UserFactory(), seats=9)
    e1 = wait(departure, first, seats=1)
    e2 = wait(departure, second, seats=1)
    services.booking_cancel(booking=booking, by=holder)
    e1.refresh_from_db()
    e2.refresh_from_db()
    assert (e1.status, e2.status) == ("offered", "waiting")
    held = e1.booking
    # when its deadline passes (time travel: move the deadline, no sleeping)
    Booking.objects.filter(pk=held.pk).update(
        hold_expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    # then its seat stops counting at once, before any tidying
    assert selectors.seats_taken(departure=departure) == 9
    with pytest.raises(errors.HoldExpired):
        services.booking_confirm(booking=held, by=first)
    # and lapse_holds records it and offers the seat to the next person waiting
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.lapse_expired_holds() == (1, 1)
    held.refresh_from_db()
    e1.refresh_from_db()
    e2.refresh_from_db()
    assert held.status == "lapsed" and e1.status == "lapsed"
    assert e2.status == "offered" and e2.booking.status == "held"
    assert sorted(m.to[0] for m in mail.outbox) == ["first@example.org", "second@example.org"]
    assert services.lapse_expired_holds() == (0, 0)


def test_a_newcomer_cannot_take_seats_of_an_expired_hold_before_the_waitlist(departure, book, wait):
    holder, first, second, newcomer = (UserFactory() for _ in range(4))
    booking = book(departure, holder, seats=10)
    e1 = wait(departure, first, seats=10)
    e2 = wait(departure, second, seats=10)
    services.booking_cancel(booking=booking, by=holder)
    e1.refresh_from_db()
    Booking.objects.filter(pk=e1.booking.pk).update(
        hold_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    # the expired hold is passed on to the next person waiting first, so the
    # newcomer finds the departure full (and the tidying is rolled back with the refusal)
    with pytest.raises(errors.DepartureFull):
        book(departure, newcomer)
    e2.refresh_from_db()
    assert e2.status == "waiting"  # rolled back with the refusal; lapse_holds does it for real
    services.lapse_expired_holds()
    e2.refresh_from_db()
    assert e2.status == "offered"


def test_leave_the_waitlist(departure, customer, book, wait):
    book(departure, UserFactory(), seats=10)
    entry = wait(departure, customer)
    services.waitlist_leave(entry=entry, by=customer)
    entry.refresh_from_db()
    assert entry.status == "cancelled"
    with pytest.raises(errors.InvalidTransition):
        services.waitlist_leave(entry=entry, by=customer)
    wait(departure, customer)  # may join again


# --- Departures -------------------------------------------------------------------------------------


def test_operator_cancels_a_departure_and_everyone_is_told(
    departure, book, wait, django_capture_on_commit_callbacks
):
    customers = [UserFactory(email=f"c{i}@example.org") for i in range(3)]
    bookings = [book(departure, c, seats=n) for c, n in zip(customers, (4, 4, 2), strict=True)]
    waiting = UserFactory(email="waiting@example.org")
    entry = wait(departure, waiting)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        count = services.departure_cancel(
            departure=departure, by=None, reason="大雪封路 Heavy snow"
        )
    assert count == 3
    departure.refresh_from_db()
    assert departure.status == "cancelled" and departure.cancel_reason == "大雪封路 Heavy snow"
    for b in bookings:
        b.refresh_from_db()
        assert b.status == "cancelled" and b.cancel_reason == "大雪封路 Heavy snow"
    entry.refresh_from_db()
    assert entry.status == "cancelled"
    assert sorted(m.to[0] for m in mail.outbox) == [
        "c0@example.org",
        "c1@example.org",
        "c2@example.org",
        "waiting@example.org",
    ]
    assert all("大雪封路 Heavy snow" in m.body for m in mail.outbox)
    assert BookingEvent.objects.filter(
        departure=departure, booking=None, waitlist_entry=None, to_status="cancelled"
    ).exists()


def test_cancel_a_departure_needs_a_reason_and_only_once(departure):
    with pytest.raises(DomainError):
        services.departure_cancel(departure=departure, by=None, reason="  ")
    services.departure_cancel(departure=departure, by=None, reason="weather")
    with pytest.raises(errors.InvalidTransition):
        services.departure_cancel(departure=departure, by=None, reason="again")


def test_a_departure_that_left_cannot_be_cancelled(route):
    departure = DepartureFactory(route=route, date=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(errors.InvalidTransition):
        services.departure_cancel(departure=departure, by=None, reason="late")


def test_close_and_reopen(departure, customer, book):
    services.departure_set_status(departure=departure, status=Departure.Status.CLOSED, by=None)
    with pytest.raises(errors.DepartureNotBookable):
        book(departure, customer)
    services.departure_set_status(departure=departure, status=Departure.Status.SCHEDULED, by=None)
    book(departure, customer)
    assert list(
        BookingEvent.objects.filter(booking=None).values_list("from_status", "to_status")
    ) == [
        ("scheduled", "closed"),
        ("closed", "scheduled"),
    ]
    cancelled = services.departure_set_status(
        departure=departure, status=Departure.Status.CANCELLED, by=None, reason="x"
    )
    assert cancelled.status == Departure.Status.CANCELLED
    with pytest.raises(errors.InvalidTransition):
        services.departure_set_status(
            departure=departure, status=Departure.Status.SCHEDULED, by=None
        )


def test_capacity_cannot_drop_below_the_seats_booked_and_a_rise_offers_the_waitlist(
    departure, book, wait
):
    book(departure, UserFactory(), seats=10)
    entry = wait(departure, UserFactory(), seats=2)
    departure.capacity = 9
    with pytest.raises(errors.CapacityBelowBooked):
        services.departure_save(departure=departure, by=None)
    departure.refresh_from_db()
    assert departure.capacity == 10
    departure.capacity = 12
    services.departure_save(departure=departure, by=None)
    entry.refresh_from_db()
    assert entry.status == "offered"


def test_departure_save_cannot_change_the_status(departure):
    departure.status = Departure.Status.CANCELLED
    services.departure_save(departure=departure, by=None)
    departure.refresh_from_db()
    assert departure.status == Departure.Status.SCHEDULED


def test_new_departure_is_audited(route):
    departure = services.departure_save(
        departure=Departure(
            route=route, date=timezone.localdate(), start_time=dt.time(9), capacity=5
        ),
        by=None,
    )
    assert departure.events.get().reason == "departure created"


def test_services_bump_the_public_cache(
    departure, customer, book, django_capture_on_commit_callbacks
):
    from core import cache

    before = cache.versions("tours")
    with django_capture_on_commit_callbacks(execute=True):
        book(departure, customer)
    assert cache.versions("tours") != before


def test_operator_cancelling_one_booking_tells_the_customer(
    departure, customer, book, django_capture_on_commit_callbacks
):
    booking = book(departure, customer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=booking, by=None, by_operator=True, reason="车辆故障")
    assert len(mail.outbox) == 1 and "车辆故障" in mail.outbox[0].body


def test_no_email_address_no_email(departure, book, django_capture_on_commit_callbacks):
    from tours.tasks import send_booking_email

    silent = UserFactory(email="")
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(departure, silent)
    assert mail.outbox == []
    assert send_booking_email.call(booking_id=booking.pk, kind="nonsense") is False
    assert send_booking_email.call(booking_id=0, kind="confirmed") is False
