"""Public pages in both languages: list, route, booking without JavaScript,
the customer's booking page, calendar file and /account/."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import UserFactory
from tours import services
from tours.models import Booking, Departure, WaitlistEntry

from .factories import AttractionFactory, DepartureFactory, RouteFactory, RouteStopFactory
from .helpers import count_queries, make_routes

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, customer):
    client.force_login(customer)
    return client


@pytest.fixture
def english():
    """reverse() gives /en/ URLs and the pages answer in English, as these tests assert."""
    with translation.override("en"):
        yield


def traveller_form(travellers, *, contact_name="王芳", contact_phone="13800000000") -> dict:
    """The booking and waitlist forms' data: [(name, type)] one a seat, and a contact."""
    data = {
        "t-TOTAL_FORMS": str(len(travellers)),
        "t-INITIAL_FORMS": "0",
        "t-MIN_NUM_FORMS": "1",
        "t-MAX_NUM_FORMS": "10",
        "contact_name": contact_name,
        "contact_phone": contact_phone,
    }
    for i, (name, kind) in enumerate(travellers):
        data[f"t-{i}-name"] = name
        data[f"t-{i}-type"] = kind
    return data


def post_booking(client, departure, travellers, *, extra=None, **contact):
    data = {**traveller_form(travellers, **contact), **(extra or {})}
    url = reverse("tours:book", args=[departure.route.slug, departure.pk])
    return client.post(url, data)


def post_waitlist(client, departure, travellers, **contact):
    url = reverse("tours:waitlist_join", args=[departure.route.slug, departure.pk])
    return client.post(url, traveller_form(travellers, **contact))


# --- List -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "title"), [("", "前门+雁栖湖"), ("/en", "Qianmen + Yanqi Lake")]
)
def test_list_in_both_languages(client, departure, prefix, title):
    response = client.get(f"{prefix}/tours/")
    assert response.status_code == 200
    html = response.content.decode()
    assert title in html
    assert departure.date.isoformat() in html  # next departure


def test_list_filters(client, route, departure):
    other = RouteFactory(slug="wall", title="长城一日", title_en="Great Wall day", duration_days=2)
    RouteStopFactory(
        route=other, order=1, attraction=AttractionFactory(name="慕田峪长城", name_en="Mutianyu")
    )
    DepartureFactory(route=other, date=timezone.localdate() + dt.timedelta(days=30))

    def titles(query, prefix=""):
        response = client.get(f"{prefix}/tours/?{query}")
        assert response.status_code == 200
        return [r.slug for r in response.context["routes"]]

    assert titles("q=雁栖") == ["qianmen-yanqi"]
    assert titles("q=mutianyu", "/en") == ["wall"]  # stop names, English
    assert titles("q=great+wall") == ["wall"]  # English titles from the Chinese page too
    assert titles("duration=2") == ["wall"]
    assert set(titles("district=dongcheng")) == {"qianmen-yanqi"}
    assert set(titles("district=huairou")) == {"qianmen-yanqi", "wall"}
    near = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    assert titles(f"date_from={near}") == ["wall"]
    assert titles(f"date_to={near}") == ["qianmen-yanqi"]


@pytest.mark.parametrize(
    "query",
    [
        "date_from=yesterday",
        "duration=abc",
        "district=mars",
        "date_from=2030-01-02&date_to=2030-01-01",
    ],
)
def test_bad_filters_are_a_400_with_the_message(client, route, query):
    response = client.get(f"/tours/?{query}")
    assert response.status_code == 400
    assert b'class="errors"' in response.content


def test_route_list_query_count_does_not_grow(client, django_assert_max_num_queries):
    make_routes(5)
    few = count_queries(lambda: client.get("/tours/"))
    make_routes(45, stops=6, departures=8)
    many = count_queries(lambda: client.get("/tours/"))
    assert few == many
    # the count, routes, stops, pictures... and the search's exists() (a word of
    # letters that, had it found nothing, might have been a typo: core.search)
    with django_assert_max_num_queries(7):
        client.get("/en/tours/?q=Route&district=huairou")


# --- Route page --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "texts"),
    [
        ("", ["前门+雁栖湖", "前门大街", "雁栖湖", "个座位"]),
        ("/en", ["Qianmen + Yanqi Lake", "Qianmen Street", "Yanqi Lake", "Departures"]),
    ],
)
def test_route_page_in_both_languages(client, departure, prefix, texts):
    response = client.get(f"{prefix}/tours/qianmen-yanqi/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in texts:
        assert text in html
    # the plan of the stops: an inline, labelled SVG with one marker per stop, no outside host
    svg = re.search(r"<svg viewBox=.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and "<title" in svg and svg.count('<g class="map-stop') == 2
    assert "http" not in svg
    assert reverse("tours:book", args=["qianmen-yanqi", departure.pk]) in html


def test_route_page_shows_seats_left_full_and_closed(client, route, departure, book):
    full = DepartureFactory(route=route, date=departure.date + dt.timedelta(days=1), capacity=2)
    book(full, UserFactory(), seats=2)
    closed = DepartureFactory(
        route=route, date=departure.date + dt.timedelta(days=2), status=Departure.Status.CLOSED
    )
    book(departure, UserFactory(), seats=3)
    html = client.get("/en/tours/qianmen-yanqi/").content.decode()
    assert "7 seats left" in html
    assert "full" in html and "Join the waitlist" in html
    assert "booking closed" in html
    assert closed.date.isoformat() in html


def test_route_page_404s(client, route):
    assert client.get("/tours/nope/").status_code == 404
    route.is_published = False
    route.save()
    assert client.get("/tours/qianmen-yanqi/").status_code == 404


def test_route_detail_query_count_does_not_grow(client):
    small = make_routes(1, stops=2, departures=2)[0]
    big = make_routes(1, stops=9, departures=30)[0]
    few = count_queries(lambda: client.get(small.get_absolute_url()))
    many = count_queries(lambda: client.get(big.get_absolute_url()))
    assert few == many
    assert few <= 8  # + the departure calendar


def test_demo_and_report_badges(client, route):
    route.in_report = True
    route.price_is_demo = True
    route.save()
    demo = RouteFactory(slug="demo-route", is_demo=True)
    html = client.get("/en/tours/").content.decode()
    assert "in the report" in html and "badge-demo" in html
    assert "badge-demo" in client.get(demo.get_absolute_url()).content.decode()


# --- Booking without JavaScript -------------------------------------------------------------------


def test_booking_needs_sign_in(client, departure):
    url = reverse("tours:book", args=["qianmen-yanqi", departure.pk])
    response = client.get(url)
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_booking_form_grows_with_the_number_of_travellers(signed_in, departure):
    url = reverse("tours:book", args=["qianmen-yanqi", departure.pk])
    html = signed_in.get(f"{url}?seats=3").content.decode()
    assert html.count('<fieldset class="traveller" data-traveller>') == 3 + 1  # + the template
    assert "13900000002" in html  # the contact phone comes from the account
    assert signed_in.get(f"{url}?seats=99").status_code == 200  # the route's fewest, not an error
    assert (
        signed_in.get(reverse("tours:book", args=["other-route", departure.pk])).status_code == 404
    )


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_book_and_see_the_code(signed_in, customer, departure, prefix):
    response = post_booking(signed_in, departure, [("王芳", "adult"), ("小明", "child")])
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("tours:booking", args=[booking.code])
    assert (
        booking.customer == customer and booking.seats == 2 and str(booking.total_price) == "160.00"
    )
    page = signed_in.get(f"{prefix}/account/")
    html = page.content.decode()
    assert booking.code in html
    assert "<svg" in html and "qr-code" in html
    assert reverse("tours:booking_ics", args=[booking.code]) in html


def test_bad_booking_input_is_a_4xx_and_writes_nothing(english, signed_in, departure, book):
    # missing name
    assert post_booking(signed_in, departure, [("", "adult")]).status_code == 400
    # a type the departure has no price for
    assert post_booking(signed_in, departure, [("A", "senior")]).status_code == 400
    # tampered form count
    too_many = [("A", "adult")] * 11
    assert post_booking(signed_in, departure, too_many).status_code == 400
    # bad phone
    assert (
        post_booking(signed_in, departure, [("A", "adult")], contact_phone="x").status_code == 400
    )
    assert Booking.objects.count() == 0
    # more seats than left
    book(departure, UserFactory(), seats=9)
    response = post_booking(signed_in, departure, [("A", "adult"), ("B", "adult")])
    assert response.status_code == 409
    assert "Only 1 seat is left" in response.content.decode() or "1" in response.content.decode()
    assert "Join the waitlist" in response.content.decode()
    assert Booking.objects.count() == 1


def test_booking_a_closed_departure_says_why(english, signed_in, departure):
    Departure.objects.filter(pk=departure.pk).update(status=Departure.Status.CANCELLED)
    response = post_booking(signed_in, departure, [("A", "adult")])
    assert response.status_code == 409
    assert "cancelled" in response.content.decode()
    assert Booking.objects.count() == 0


def test_join_the_waitlist_from_the_web(english, signed_in, customer, departure, book):
    book(departure, UserFactory(), seats=10)
    url = reverse("tours:book", args=["qianmen-yanqi", departure.pk])
    assert "Join the waitlist" in signed_in.get(url).content.decode()
    travellers = [("A", "adult"), ("B", "child")]
    response = post_waitlist(signed_in, departure, travellers, contact_name="A")
    assert response.status_code == 302
    entry = WaitlistEntry.objects.get(customer=customer)
    assert entry.seats == 2 and entry.travellers[1] == {"name": "B", "type": "child"}
    again = post_waitlist(signed_in, departure, travellers, contact_name="A")
    assert again.status_code == 409
    account = signed_in.get(reverse("account")).content.decode()
    assert "Leave the waitlist" in account
    signed_in.post(reverse("tours:waitlist_leave", args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.status == "cancelled"


def test_waitlist_join_when_seats_are_free_says_book_instead(english, signed_in, departure):
    response = post_waitlist(signed_in, departure, [("A", "adult")], contact_name="A")
    assert response.status_code == 409
    assert "book them instead" in response.content.decode()


# --- The customer's booking ----------------------------------------------------------------------------


def test_booking_page_is_private(client, signed_in, customer, departure, book):
    mine = book(departure, customer)
    other = book(departure, UserFactory())
    assert signed_in.get(reverse("tours:booking", args=[mine.code])).status_code == 200
    for name in ("tours:booking", "tours:booking_ics"):
        assert signed_in.get(reverse(name, args=[other.code])).status_code == 404
    for name in ("tours:booking_cancel", "tours:booking_confirm"):
        assert signed_in.post(reverse(name, args=[other.code])).status_code == 404
    other.refresh_from_db()
    assert other.status == "confirmed"


def test_cancel_from_the_account_page(signed_in, customer, departure, book):
    booking = book(departure, customer)
    response = signed_in.post(
        reverse("tours:booking_cancel", args=[booking.code]),
        {"next": "/account/", "confirm": "yes"},
    )
    assert response.status_code == 302 and response["Location"] == "/account/"
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    # again: a 409 with the message, not a crash
    again = signed_in.post(reverse("tours:booking_cancel", args=[booking.code]), {"confirm": "yes"})
    assert again.status_code == 409
    # an outside "next" is ignored
    other = services.booking_create(
        customer=customer,
        departure_id=departure.pk,
        seats=1,
        contact_name="A",
        contact_phone="13800000000",
    )
    response = signed_in.post(
        reverse("tours:booking_cancel", args=[other.code]),
        {"next": "https://evil.example/", "confirm": "yes"},
    )
    assert response["Location"] == reverse("tours:booking", args=[other.code])


def test_cancel_asks_to_confirm_first(signed_in, customer, departure, book, english):
    # given a confirmed booking
    booking = book(departure, customer)
    url = reverse("tours:booking_cancel", args=[booking.code])
    # when the card's button is pressed (a POST without confirm), or the page is opened
    tapped = signed_in.post(url, {"next": "/en/account/"})
    opened = signed_in.get(url)
    # then nothing changes and the question is asked, with the confirm form and a way back
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    for response in (tapped, opened):
        html = response.content.decode()
        assert response.status_code == 200
        assert f"Cancel booking {booking.code}?" in html
        assert 'name="confirm" value="yes"' in html and "Yes, cancel" in html and "Keep it" in html
    assert 'href="/en/account/"' in tapped.content.decode()
    # with the confirmation it is cancelled
    signed_in.post(url, {"confirm": "yes"})
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_held_offer_shows_deadline_and_confirm_button(signed_in, customer, departure, book, wait):
    holder = UserFactory()
    booking = book(departure, holder, seats=10)
    entry = wait(departure, customer, seats=1)
    services.booking_cancel(booking=booking, by=holder)
    entry.refresh_from_db()
    html = signed_in.get("/en/account/").content.decode()
    assert "Confirm these seats" in html and "Confirm before" in html
    assert timezone.localtime(entry.booking.hold_expires_at).strftime("%Y-%m-%d %H:%M") in html
    response = signed_in.post(reverse("tours:booking_confirm", args=[entry.booking.code]))
    assert response.status_code == 302
    entry.booking.refresh_from_db()
    assert entry.booking.status == "confirmed"


def test_expired_offer_cannot_be_confirmed(signed_in, customer, departure, book, wait):
    holder = UserFactory()
    booking = book(departure, holder, seats=10)
    entry = wait(departure, customer, seats=1)
    services.booking_cancel(booking=booking, by=holder)
    entry.refresh_from_db()
    Booking.objects.filter(pk=entry.booking.pk).update(
        hold_expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert "offer expired" in signed_in.get("/en/account/").content.decode()
    response = signed_in.post(reverse("tours:booking_confirm", args=[entry.booking.code]))
    assert response.status_code == 409


def test_calendar_file(signed_in, customer, route, departure):
    route.title_zh_hans = "前门, 雁栖湖; 一日"
    route.save()
    booking = services.booking_create(
        customer=customer,
        departure_id=departure.pk,
        seats=2,
        contact_name="A",
        contact_phone="13800000000",
    )
    response = signed_in.get(reverse("tours:booking_ics", args=[booking.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert f'filename="tour-{booking.code}.ics"' in response["Content-Disposition"]
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    unfolded = text.replace("\r\n ", "")
    lines = unfolded.split("\r\n")
    assert "BEGIN:VTIMEZONE" in lines and "TZID:Asia/Shanghai" in lines
    assert f"UID:tour-booking-{booking.code}@127.0.0.1" in lines
    assert any(re.fullmatch(r"DTSTAMP:\d{8}T\d{6}Z", line) for line in lines)
    assert f"DTSTART;TZID=Asia/Shanghai:{departure.date:%Y%m%d}T080000" in lines
    # two stops of 90 minutes from 09:00: the trip ends at 10:30
    assert f"DTEND;TZID=Asia/Shanghai:{departure.date:%Y%m%d}T103000" in lines
    assert "SUMMARY:前门\\, 雁栖湖\\; 一日" in lines
    assert "STATUS:CONFIRMED" in lines
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_home_page_lists_the_featured_routes(client, route, django_assert_max_num_queries):
    second = RouteFactory(slug="second", featured_rank=2, in_report=True)
    route.featured_rank = 1
    route.save()
    RouteFactory(slug="later")
    html = client.get("/").content.decode()
    assert (
        html.index(route.get_absolute_url())
        < html.index(second.get_absolute_url())
        < html.index("/tours/later/")
    )


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_booking_pages_in_both_languages(signed_in, customer, departure, book, prefix):
    booking = book(departure, customer)
    for path in (
        f"/tours/qianmen-yanqi/departures/{departure.pk}/book/",
        f"/tours/bookings/{booking.code}/",
    ):
        response = signed_in.get(prefix + path)
        assert response.status_code == 200, path
        assert response.content.decode().count(booking.code if "bookings" in path else "<form") >= 1
    html = signed_in.get(f"{prefix}/tours/bookings/{booking.code}/").content.decode()
    expected_lang = 'lang="en"' if prefix else 'lang="zh-Hans"'
    assert expected_lang in html


def test_account_shows_the_place_in_line(signed_in, customer, departure, book, wait):
    book(departure, UserFactory(), seats=10)
    wait(departure, UserFactory())
    wait(departure, customer, seats=2)
    html = signed_in.get("/en/account/").content.decode()
    assert "number 2 in line" in html and "No bookings yet." in html
