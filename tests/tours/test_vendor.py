"""The operators' panel (/vendor/) and the district staff admin (/admin/).

The two-operator matrix: each operator gets every panel URL of the tours
models right for their own objects and gets nothing of the other's: lists
hold only their rows, another's object is "doesn't exist" (the admin's
redirect) or a 404, and a write aimed at it changes nothing.
"""

import csv
import datetime as dt
import io
import re

import pytest
from django.core import mail
from django.utils import timezone

from accounts.demo import STAFF_APPS
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tours.models import Booking, Departure, Route, RouteStop

from .factories import (
    AttractionFactory,
    DepartureFactory,
    DeparturePriceFactory,
    OperatorFactory,
    RouteFactory,
)

pytestmark = pytest.mark.django_db


class Side:
    """One operator with a route, a departure, a booking and a waitlist entry."""

    def __init__(self, n: int, book, wait):
        self.org = OperatorFactory(slug=f"operator-{n}", name=f"旅行社{n}")
        self.user = MembershipFactory(
            organization=self.org, user=UserFactory(username=f"operator{n}")
        ).user
        self.route = RouteFactory(slug=f"route-of-{n}", title=f"线路{n}号", operator=self.org)
        RouteStop.objects.create(route=self.route, order=1, attraction=AttractionFactory())
        self.departure = DepartureFactory(route=self.route, capacity=3)
        DeparturePriceFactory(departure=self.departure)
        self.booking = book(
            self.departure,
            UserFactory(),
            seats=3,
            travellers=[
                {"name": f"客人{n}甲"},
                {"name": "=HYPERLINK(1)"},
                {"name": f"客人{n}丙", "type": "child"},
            ],
        )
        self.entry = wait(self.departure, UserFactory())

    def urls(self) -> dict[str, str]:
        r, d, b, e = self.route.pk, self.departure.pk, self.booking.pk, self.entry.pk
        return {
            "route_change": f"/vendor/tours/route/{r}/change/",
            "route_history": f"/vendor/tours/route/{r}/history/",
            "departure_change": f"/vendor/tours/departure/{d}/change/",
            "departure_history": f"/vendor/tours/departure/{d}/history/",
            "manifest": f"/vendor/tours/departure/{d}/manifest.csv",
            "cancel": f"/vendor/tours/departure/{d}/cancel/",
            "booking_change": f"/vendor/tours/booking/{b}/change/",
            "checkin": f"/vendor/tours/booking/check-in/?code={self.booking.code}",
            "waitlist_change": f"/vendor/tours/waitlistentry/{e}/change/",
        }


@pytest.fixture
def sides(book, wait):
    return Side(1, book, wait), Side(2, book, wait)


LISTS = [
    "/vendor/",
    "/vendor/tours/route/",
    "/vendor/tours/route/add/",
    "/vendor/tours/departure/",
    "/vendor/tours/departure/add/",
    "/vendor/tours/booking/",
    "/vendor/tours/booking/check-in/",
    "/vendor/tours/waitlistentry/",
]


@pytest.mark.parametrize("url", LISTS)
def test_each_operator_lists_only_their_own(client, sides, url):
    one, two = sides
    for me, other in ((one, two), (two, one)):
        client.force_login(me.user)
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert other.route.title not in html
        assert other.booking.code not in html
        assert (
            other.booking.contact_name not in html
            or me.booking.contact_name == other.booking.contact_name
        )
    if url in ("/vendor/tours/route/", "/vendor/tours/departure/", "/vendor/tours/booking/"):
        client.force_login(one.user)
        assert one.route.title in client.get(url).content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "route_change",
        "route_history",
        "departure_change",
        "departure_history",
        "manifest",
        "cancel",
        "booking_change",
        "checkin",
        "waitlist_change",
    ],
)
def test_the_two_operator_matrix(client, sides, name):
    one, two = sides
    for me, other in ((one, two), (two, one)):
        client.force_login(me.user)
        own = client.get(me.urls()[name])
        assert own.status_code == 200, (name, own.status_code)
        theirs = client.get(other.urls()[name])
        # the admin answers "doesn't exist" (a redirect to the index) or a 404
        assert theirs.status_code in (302, 404), (name, theirs.status_code)
        if theirs.status_code == 302:
            assert theirs["Location"] == "/vendor/"
        # nothing of theirs shows (the check-in page only echoes the code typed in)
        for secret in other.booking.travellers.values_list("name", flat=True):
            assert secret.encode() not in theirs.content, (name, secret)


def test_writes_aimed_at_another_operator_change_nothing(client, sides):
    one, two = sides
    client.force_login(one.user)
    # cancel their departure
    response = client.post(two.urls()["cancel"], {"reason": "hijack"})
    assert response.status_code == 404
    # check in their booking
    response = client.post(
        "/vendor/tours/booking/check-in/", {"code": two.booking.code, "action": "check_in"}
    )
    assert response.status_code == 404
    # edit their route
    response = client.post(two.urls()["route_change"], {"title_zh_hans": "x"})
    assert response.status_code == 302 and response["Location"] == "/vendor/"
    # close their departure through a list action
    response = client.post(
        "/vendor/tours/departure/",
        {"action": "close_booking", "_selected_action": [two.departure.pk]},
    )
    two.departure.refresh_from_db()
    two.booking.refresh_from_db()
    two.route.refresh_from_db()
    assert two.departure.status == "scheduled" and two.booking.status == "confirmed"
    assert two.route.title == "线路2号"
    # a departure on their route, through the add form
    response = client.post(
        "/vendor/tours/departure/add/",
        {
            "route": two.route.pk,
            "date": "2030-01-01",
            "start_time": "08:00",
            "capacity": 5,
            "cutoff_hours": 12,
            "prices-TOTAL_FORMS": 0,
            "prices-INITIAL_FORMS": 0,
            "bookings-TOTAL_FORMS": 0,
            "bookings-INITIAL_FORMS": 0,
            "waitlist-TOTAL_FORMS": 0,
            "waitlist-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200  # the form is shown again with the error
    assert "route" in response.context["adminform"].form.errors
    assert not Departure.objects.filter(date=dt.date(2030, 1, 1)).exists()


def test_nobody_else_gets_in(client, sides):
    client.force_login(UserFactory())  # a customer
    assert client.get("/vendor/tours/booking/").status_code == 302
    producer = MembershipFactory(
        organization=OrganizationFactory()
    ).user  # a producer, not an operator
    client.force_login(producer)
    assert client.get("/vendor/tours/booking/").status_code == 403
    assert client.get(sides[0].urls()["manifest"]).status_code == 403
    assert client.get("/vendor/tours/booking/check-in/").status_code == 403


def test_operator_adds_a_route_with_stops_and_a_departure_with_prices(client, sides):
    one, _two = sides
    client.force_login(one.user)
    stop = {"order": 1, "day": 1, "time": "09:00", "stay_minutes": 60}
    response = _add_route(
        client,
        one,
        stop,
        slug="new-route",
        title_zh_hans="新线路",
        title_en="New route",
        base_price="120.00",
        is_published="on",
    )
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else ""
    )
    route = Route.objects.get(slug="new-route")
    assert route.operator == one.org and route.stops.count() == 1 and not route.is_demo
    response = client.post(
        "/vendor/tours/departure/add/",
        {
            "route": route.pk,
            "date": (timezone.localdate() + dt.timedelta(days=5)).isoformat(),
            "start_time": "08:00",
            "capacity": 12,
            "cutoff_hours": 12,
            **NO_DEPARTURE_INLINES,
            "prices-TOTAL_FORMS": 1,
            "prices-0-traveller_type": "senior",
            "prices-0-amount": "80.00",
        },
    )
    assert response.status_code == 302, _errors(response)
    departure = route.departures.get()
    assert departure.status == "scheduled" and departure.prices.get().traveller_type == "senior"
    assert departure.events.get().actor == one.user


def _add_route(client, side, stop, **fields):
    """The vendor's "add route" form for ``side``'s operator, with one stop at
    a new attraction (``stop``: order, day, time…)."""
    data = {
        "operator": side.org.pk,
        "summary_zh_hans": "摘要",
        "duration_days": 1,
        "min_travellers": 1,  # the form shows the defaults
        "max_travellers": 10,
        "stops-TOTAL_FORMS": 1,
        "stops-INITIAL_FORMS": 0,
        "stops-0-attraction": AttractionFactory().pk,
        **{f"stops-0-{name}": value for name, value in stop.items()},
        **fields,
    }
    return client.post("/vendor/tours/route/add/", data)


# The departure form's inlines (prices, bookings, waitlist), all empty.
NO_DEPARTURE_INLINES = {
    f"{prefix}-{count}": 0
    for prefix in ("prices", "bookings", "waitlist")
    for count in ("TOTAL_FORMS", "INITIAL_FORMS")
}


def _errors(response):
    if not response.context or "adminform" not in response.context:
        return response.status_code
    return response.context["adminform"].form.errors, [
        (f.formset.prefix, f.formset.errors, f.formset.non_form_errors())
        for f in response.context["inline_admin_formsets"]
    ]


def _change_departure(client, side, **changes):
    d = side.departure
    data = {
        "route": d.route_id,
        "date": d.date.isoformat(),
        "start_time": d.start_time.strftime("%H:%M"),
        "capacity": d.capacity,
        "cutoff_hours": d.cutoff_hours,
        **NO_DEPARTURE_INLINES,
        **changes,
    }
    return client.post(side.urls()["departure_change"], data)


def test_capacity_below_the_seats_booked_is_a_form_error(client, sides):
    one, _ = sides
    client.force_login(one.user)
    response = _change_departure(client, one, capacity=2)
    assert response.status_code == 200
    assert "capacity" in response.context["adminform"].form.errors
    one.departure.refresh_from_db()
    assert one.departure.capacity == 3
    # more capacity offers the seats to the waitlist
    response = _change_departure(client, one, capacity=4)
    assert response.status_code == 302, _errors(response)
    one.entry.refresh_from_db()
    assert one.entry.status == "offered"


def test_departure_list_shows_seats_and_waitlist(client, sides):
    one, _ = sides
    client.force_login(one.user)
    response = client.get("/vendor/tours/departure/")
    row = next(r for r in response.context["cl"].result_list if r.pk == one.departure.pk)
    assert (row.seats_taken, row.seats_left, row.waitlist_count) == (3, 0, 1)


def test_manifest_csv(client, sides):
    one, _ = sides
    client.force_login(one.user)
    response = client.get(one.urls()["manifest"])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f"manifest-{one.route.slug}-" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][0] == "Booking code" or rows[0][0] == "预订码" or rows[0][0]
    assert len(rows) == 1 + 3  # one row per traveller
    assert [r[2] for r in rows[1:]] == ["客人1甲", "'=HYPERLINK(1)", "客人1丙"]
    assert {r[0] for r in rows[1:]} == {one.booking.code}
    assert rows[1][5] == "王芳" and rows[1][6] == "13800000000"


def test_check_in_by_code_and_record_payment(client, sides):
    one, _ = sides
    Departure.objects.filter(pk=one.departure.pk).update(
        date=timezone.localdate(), start_time=dt.time(23, 59)
    )
    client.force_login(one.user)
    url = "/vendor/tours/booking/check-in/"
    page = client.get(url, {"code": one.booking.code.lower()})
    assert page.status_code == 200 and "客人1甲" in page.content.decode()
    assert client.get(url, {"code": "NOPE2345"}).status_code == 404
    # too early for a no-show: the message, a 409, nothing changed
    response = client.post(url, {"code": one.booking.code, "action": "no_show"})
    assert response.status_code == 409
    response = client.post(
        url, {"code": one.booking.code, "action": "pay", "method": "cash", "timing": "on_the_day"}
    )
    assert response.status_code == 302
    response = client.post(url, {"code": one.booking.code, "action": "check_in"})
    assert response.status_code == 302
    one.booking.refresh_from_db()
    assert one.booking.status == "checked_in" and one.booking.payment_timing == "on_the_day"
    events = list(one.booking.events.values_list("to_status", "actor"))
    assert events[-2:] == [("paid", one.user.pk), ("checked_in", one.user.pk)]
    assert client.post(url, {"code": one.booking.code, "action": "bogus"}).status_code == 400


def test_the_check_in_desk_has_no_default_payment_method(client, sides):
    # given the check-in page of a confirmed booking
    one, _ = sides
    client.force_login(one.user)
    url = "/vendor/tours/booking/check-in/"
    html = client.get(url, {"code": one.booking.code}).content.decode()
    # then the payment select starts on an empty choice, not on cash
    select = re.search(r'<select name="method"[^>]*>(.*?)</select>', html, re.S).group(1)
    first = re.search(r"<option[^>]*>", select).group(0)
    assert 'value=""' in first
    assert "selected" not in select.replace(first, "")
    # when the operator records a payment without choosing the method
    response = client.post(
        url, {"code": one.booking.code, "action": "pay", "method": "", "timing": "on_the_day"}
    )
    # then the form comes back with its error and nothing is recorded
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    one.booking.refresh_from_db()
    assert (one.booking.status, one.booking.payment_method, one.booking.paid_at) == (
        "confirmed",
        "",
        None,
    )


def test_cancel_a_departure_from_the_panel(client, sides, django_capture_on_commit_callbacks):
    one, _ = sides
    client.force_login(one.user)
    page = client.get(one.urls()["cancel"])
    assert "已预订 3 个座位" in page.content.decode()  # the panel is in Chinese
    assert client.post(one.urls()["cancel"], {"reason": ""}).status_code == 400
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(one.urls()["cancel"], {"reason": "台风预警"})
    assert response.status_code == 302
    one.booking.refresh_from_db()
    one.entry.refresh_from_db()
    assert one.booking.status == "cancelled" and one.entry.status == "cancelled"
    assert len(mail.outbox) == 2 and all("台风预警" in m.body for m in mail.outbox)
    again = client.post(one.urls()["cancel"], {"reason": "again"})
    assert again.status_code == 400


def test_close_action(client, sides):
    one, _ = sides
    client.force_login(one.user)
    client.post(
        "/vendor/tours/departure/",
        {"action": "close_booking", "_selected_action": [one.departure.pk]},
    )
    one.departure.refresh_from_db()
    assert one.departure.status == "closed"


def test_no_show_action(client, sides):
    one, _ = sides
    client.force_login(one.user)
    Departure.objects.filter(pk=one.departure.pk).update(
        date=timezone.localdate() - dt.timedelta(days=1)
    )
    client.post(
        "/vendor/tours/booking/", {"action": "mark_no_show", "_selected_action": [one.booking.pk]}
    )
    one.booking.refresh_from_db()
    assert one.booking.status == Booking.Status.NO_SHOW


def test_district_staff_see_everything_in_admin(client, sides):
    from django.contrib.auth.models import Permission

    staff = UserFactory(is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label__in=STAFF_APPS))
    client.force_login(staff)
    one, two = sides
    html = client.get("/admin/tours/booking/").content.decode()
    assert one.booking.code in html and two.booking.code in html
    for side in sides:
        d = side.departure.pk
        assert client.get(f"/admin/tours/departure/{d}/manifest.csv").status_code == 200
        assert client.get(f"/admin/tours/departure/{d}/change/").status_code == 200
        assert (
            client.get("/admin/tours/booking/check-in/", {"code": side.booking.code}).status_code
            == 200
        )
    for path in ("attraction", "route", "departure", "booking", "waitlistentry", "bookingevent"):
        assert client.get(f"/admin/tours/{path}/").status_code == 200, path
    assert client.get("/admin/tours/attraction/add/").status_code == 200
    assert client.get(f"/admin/tours/route/{one.route.pk}/change/").status_code == 200
    assert client.get(f"/admin/tours/booking/{one.booking.pk}/change/").status_code == 200
    assert client.get("/admin/tours/booking/add/").status_code == 403


def test_nothing_is_deleted_or_invented_from_the_panel(client, sides):
    one, _ = sides
    client.force_login(one.user)
    for url in (
        f"/vendor/tours/route/{one.route.pk}/delete/",
        f"/vendor/tours/departure/{one.departure.pk}/delete/",
        f"/vendor/tours/booking/{one.booking.pk}/delete/",
        f"/vendor/tours/waitlistentry/{one.entry.pk}/delete/",
        "/vendor/tours/booking/add/",
        "/vendor/tours/waitlistentry/add/",
    ):
        assert client.get(url).status_code == 403, url
    assert Route.objects.filter(pk=one.route.pk).exists()


def test_a_stop_cannot_be_on_a_day_after_the_route_ends(client, sides):
    one, _ = sides
    client.force_login(one.user)
    response = _add_route(
        client,
        one,
        {"order": 1, "day": 2},
        slug="one-day",
        title_zh_hans="一日游",
        base_price="100.00",
    )
    assert response.status_code == 200
    assert not Route.objects.filter(slug="one-day").exists()


def test_a_scanned_qr_code_url_finds_the_booking(client, sides):
    from tours.templatetags.tours_tags import check_in_url

    one, _ = sides
    client.force_login(one.user)
    url = check_in_url(one.booking.code)
    assert url.endswith(f"/vendor/tours/booking/check-in/?code={one.booking.code}")
    page = client.get("/vendor/tours/booking/check-in/", {"code": url})
    assert page.status_code == 200 and page.context["booking"] == one.booking
