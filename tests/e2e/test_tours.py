"""The tours journey in a real (phone-sized) browser: find a route, open it,
book a seat without any outside request, and find the booking code on the
account page. axe checks each page on the way."""

import re

import pytest

from tests.e2e.conftest import sign_in
from tests.factories import UserFactory
from tests.tours.factories import (
    AttractionFactory,
    DepartureFactory,
    DeparturePriceFactory,
    DongchengAttractionFactory,
    OperatorFactory,
    RouteFactory,
    RouteStopFactory,
)

PASSWORD = "correct-horse-battery"


@pytest.fixture
def tour(transactional_db):
    route = RouteFactory(
        slug="qianmen-yanqi-lake",
        title="前门+雁栖湖",
        title_en="Qianmen + Yanqi Lake",
        summary="上午前门，下午雁栖湖。",
        operator=OperatorFactory(),
        in_report=True,
        highlights="前门大街\n雁栖湖骑行",
    )
    RouteStopFactory(
        route=route,
        order=1,
        attraction=DongchengAttractionFactory(name="前门大街", name_en="Qianmen Street"),
    )
    RouteStopFactory(
        route=route, order=2, attraction=AttractionFactory(name="雁栖湖", name_en="Yanqi Lake")
    )
    departure = DepartureFactory(route=route, capacity=12)
    DeparturePriceFactory(departure=departure)
    RouteFactory(slug="other", title="别的线路", title_en="Another route")
    return route


def test_find_book_and_see_the_code(page, tour, screenshot, axe_check):
    UserFactory(username="walker", email="walker@example.org", phone="13900000009")
    sign_in(page, "walker", PASSWORD)

    # find the route by searching for a stop
    page.goto(page.base_url + "/tours/")
    axe_check(page)
    page.fill("form.filters input[name=q]", "雁栖")
    page.click("form.filters button[type=submit]")
    # a locator does not wait for the navigation the click starts
    page.wait_for_url(re.compile(r"[?&]q="))
    links = page.locator(".route-card h2 a")
    assert links.count() == 1
    screenshot(page, "tours-list")

    # open it: itinerary, plan and departures
    links.first.click()
    page.wait_for_url(re.compile(r"/tours/qianmen-yanqi-lake/$"))
    assert page.locator(".route-map svg[role=img]").count() == 1
    assert page.locator(".itinerary .stop").count() == 2
    axe_check(page)
    screenshot(page, "tours-route")

    # book one seat without JavaScript-only controls
    page.locator(".departure a.button", has_text=re.compile("Book|预订")).first.click()
    page.fill("input[name=t-0-name]", "王小明")
    page.fill("input[name=contact_name]", "王小明")
    page.fill("input[name=contact_phone]", "13900000009")
    axe_check(page)
    page.locator(".booking-form .form-actions button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/tours/bookings/[A-Z0-9]{8}/$"))
    code = page.locator(".pickup-code").first.inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{8}", code)
    assert page.locator(".qr svg").count() == 1
    screenshot(page, "tours-booking")

    # and the code is on the account page, with its calendar link
    page.goto(page.base_url + "/account/")
    assert code in page.locator("main").inner_text()
    assert page.locator(f'a[href="/tours/bookings/{code}.ics"]').count() == 1
    axe_check(page)
    screenshot(page, "tours-account")


def test_english_route_page(page, tour, axe_check):
    page.goto(page.base_url + "/en/tours/qianmen-yanqi-lake/")
    assert "Qianmen + Yanqi Lake" in page.locator("h1").inner_text()
    axe_check(page)
