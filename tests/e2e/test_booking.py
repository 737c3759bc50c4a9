"""The booking form in a real browser, with and without JavaScript: changing
the number of travellers keeps every name and type typed, the price breakdown
and total are shown before booking (at once with JavaScript, through
"Recalculate" without), and a booking moves to another date from its page.
Phone (390 px) and desktop (1280 px), Chinese and English; axe on each page."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from tests.e2e.conftest import sign_in, wider_than_the_screen
from tests.factories import UserFactory
from tests.tours.factories import (
    DepartureFactory,
    DeparturePriceFactory,
    DongchengAttractionFactory,
    RouteFactory,
    RouteStopFactory,
)
from tours import services
from tours.models import Booking

PASSWORD = "correct-horse-battery"


@pytest.fixture
def trip(transactional_db):
    route = RouteFactory(slug="qianmen-day", title="前门一日", title_en="A day at Qianmen")
    RouteStopFactory(route=route, order=1, attraction=DongchengAttractionFactory())
    first = DepartureFactory(route=route, capacity=12)
    later = DepartureFactory(route=route, capacity=12, date=first.date + dt.timedelta(days=7))
    for departure in (first, later):
        DeparturePriceFactory(departure=departure, traveller_type="child", amount="60.00")
        DeparturePriceFactory(departure=departure, traveller_type="student", amount="50.00")
    user = UserFactory(username="walker", first_name="游客", phone="13900000009")
    return route, first, later, user


def _guarded(browser, live_server, **options):
    """A page like the ``page`` fixture's (no outside request), with options."""
    context = browser.new_context(**options)
    page = context.new_page()
    outside: list[str] = []

    def guard(route):
        if route.request.url.startswith(live_server.url) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.base_url = live_server.url
    return context, page, outside


def _breakdown(page) -> list[str]:
    rows = page.locator(".breakdown tbody tr:not([hidden])")
    return [" ".join(rows.nth(i).inner_text().split()) for i in range(rows.count())]


def _total(page) -> str:
    return page.locator(".booking-total .total").inner_text().strip()


def test_with_javascript_the_form_follows_the_number_at_once(page, trip, screenshot, axe_check):
    route, first, _later, _user = trip
    sign_in(page, "walker", PASSWORD)
    page.goto(f"{page.base_url}/tours/{route.slug}/departures/{first.pk}/book/")
    assert page.locator("button[name=recalculate]").is_hidden()  # JavaScript does it
    assert _total(page) == "¥100.00"
    page.fill("input[name=t-0-name]", "王小明")
    page.select_option("select[name=seats]", "3")
    assert page.locator("fieldset[data-traveller]:visible").count() == 3
    page.fill("input[name=t-1-name]", "小红")
    page.select_option("select[name=t-1-type]", "child")
    page.fill("input[name=t-2-name]", "李同学")
    page.select_option("select[name=t-2-type]", "student")
    assert _breakdown(page) == [
        "成人 1 × ¥100.00 ¥100.00",
        "儿童 1 × ¥60.00 ¥60.00",
        "学生 1 × ¥50.00 ¥50.00",
    ]
    assert _total(page) == "¥210.00"
    # fewer, then more again: nobody typed is lost, nobody reset to the account's name
    page.select_option("select[name=seats]", "1")
    assert _total(page) == "¥100.00"
    page.select_option("select[name=seats]", "3")
    assert page.input_value("input[name=t-0-name]") == "王小明"
    assert page.input_value("input[name=t-1-name]") == "小红"
    assert page.input_value("select[name=t-1-type]") == "child"
    assert _total(page) == "¥210.00"
    page.fill("input[name=contact_phone]", "13900000009")
    assert not wider_than_the_screen(page)
    axe_check(page)
    screenshot(page, "tours-book-js-390")
    page.locator(".booking-form .form-actions button[type=submit]").click()
    page.wait_for_url(re.compile(r"/tours/bookings/[A-Z0-9]{8}/$"))
    booking = Booking.objects.get()
    assert [(t.name, t.traveller_type) for t in booking.travellers.all()] == [
        ("王小明", "adult"),
        ("小红", "child"),
        ("李同学", "student"),
    ]
    assert booking.total_price == Decimal("210.00")


def test_without_javascript_recalculate_keeps_what_was_typed(
    browser, live_server, trip, screenshot, axe_check
):
    route, first, _later, _user = trip
    context, page, outside = _guarded(
        browser, live_server, java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    try:
        sign_in(page, "walker", PASSWORD)
        page.goto(f"{page.base_url}/en/tours/{route.slug}/departures/{first.pk}/book/")
        page.fill("input[name=t-0-name]", "Wang Xiaoming")
        page.select_option("select[name=seats]", "2")
        page.click("button[name=recalculate]")
        page.wait_for_load_state()
        assert page.locator("fieldset[data-traveller]").count() == 2
        assert page.input_value("input[name=t-0-name]") == "Wang Xiaoming"
        assert _breakdown(page) == ["Adult 2 × ¥100.00 ¥200.00"] and _total(page) == "¥200.00"
        page.fill("input[name=t-1-name]", "Xiaohong")
        page.select_option("select[name=t-1-type]", "child")
        page.click("button[name=recalculate]")
        page.wait_for_load_state()
        assert page.input_value("input[name=t-1-name]") == "Xiaohong"
        assert _breakdown(page) == ["Adult 1 × ¥100.00 ¥100.00", "Child 1 × ¥60.00 ¥60.00"]
        assert _total(page) == "¥160.00"
        screenshot(page, "tours-book-nojs-1280-en")
        page.locator(".booking-form .form-actions button[type=submit]").click()
        page.wait_for_url(re.compile(r"/tours/bookings/[A-Z0-9]{8}/$"))
        booking = Booking.objects.get()
        assert booking.total_price == Decimal("160.00")
        assert [t.name for t in booking.travellers.all()] == ["Wang Xiaoming", "Xiaohong"]
    finally:
        context.close()
    assert not outside, outside


@pytest.mark.parametrize(("prefix", "width"), [("", 390), ("/en", 1280)])
def test_move_a_booking_to_another_date(
    browser, live_server, trip, screenshot, axe_check, prefix, width
):
    route, first, later, user = trip
    booking = services.booking_create(
        customer=user,
        departure_id=first.pk,
        seats=2,
        contact_name="王小明",
        contact_phone="13900000009",
        travellers=[{"name": "王小明", "type": "adult"}, {"name": "小红", "type": "child"}],
    )
    context, page, outside = _guarded(
        browser, live_server, viewport={"width": width, "height": 900}
    )
    try:
        sign_in(page, "walker", PASSWORD)
        # the route page's calendar shows both dates with their seats left
        page.goto(f"{page.base_url}{prefix}/tours/{route.slug}/")
        calendar = page.locator("table.calendar")
        assert calendar.count() >= 1
        assert page.locator("table.calendar a.cal-dep").count() == 2
        assert not wider_than_the_screen(page)
        axe_check(page)
        screenshot(page, f"tours-calendar-{width}")
        # the booking's page links to the move
        page.goto(f"{page.base_url}{prefix}/tours/bookings/{booking.code}/")
        page.locator(f'a[href$="/tours/bookings/{booking.code}/reschedule/"]').click()
        page.wait_for_url(re.compile(r"/reschedule/$"))
        page.check(f"input[name=departure][value='{later.pk}']")
        assert not wider_than_the_screen(page)
        axe_check(page)
        screenshot(page, f"tours-reschedule-{width}")
        page.locator(".reschedule-form button[type=submit]").click()
        page.wait_for_url(re.compile(rf"/tours/bookings/{booking.code}/$"))
        assert later.date.strftime("%Y-%m-%d") in page.locator("main").inner_text()
    finally:
        context.close()
    assert not outside, outside
    booking.refresh_from_db()
    assert booking.departure_id == later.pk and booking.total_price == Decimal("160.00")
