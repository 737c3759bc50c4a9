"""Reads: seats, route lists, the home page and account contracts, cross-sell."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import UserFactory
from tours import selectors, services
from tours.models import Booking, Departure

from .factories import AttractionFactory, DepartureFactory, RouteFactory, RouteStopFactory
from .helpers import count_queries

pytestmark = pytest.mark.django_db


def test_seats_count_seated_bookings_and_unexpired_holds_only(departure, book, wait):
    kept = book(departure, UserFactory(), seats=2)
    gone = book(departure, UserFactory(), seats=3)
    services.booking_cancel(booking=gone, by=None)
    Booking.objects.filter(pk=kept.pk).update(status=Booking.Status.NO_SHOW)
    holder = UserFactory()
    big = book(departure, holder, seats=8)
    entry = wait(departure, UserFactory(), seats=4)
    services.booking_cancel(booking=big, by=holder)  # 8 free: the 4-seat entry is offered (held)
    entry.refresh_from_db()
    annotated = selectors.with_seats(Departure.objects.filter(pk=departure.pk)).get()
    assert (annotated.seats_taken, annotated.seats_left) == (6, 4)
    assert selectors.seats_taken(departure=departure) == 6
    # an expired hold stops counting at read time, before any tidying
    Booking.objects.filter(pk=entry.booking.pk).update(
        hold_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    annotated = selectors.with_seats(Departure.objects.filter(pk=departure.pk)).get()
    assert (annotated.seats_taken, annotated.seats_left) == (2, 8)


def test_seat_counts_read_what_booking_checks_in_one_query(departure, book, hold, wait):
    """The seats taken, one customer's booked and waiting seats, and whether
    anything is to tidy, as the separate counts would give them."""
    me, other = UserFactory(), UserFactory()
    now = timezone.now()

    def counts():
        found = []
        assert (
            count_queries(
                lambda: found.append(
                    selectors.seat_counts(departure=departure, customer=me, now=now)
                )
            )
            == 1
        )
        return found[0]

    assert counts() == selectors.SeatCounts(0, 0, 0, expired_holds=False, waiting=False)
    book(departure, me, seats=2)
    book(departure, other, seats=3)
    cancelled = book(departure, me, seats=1)
    services.booking_cancel(booking=cancelled, by=me)
    assert counts() == selectors.SeatCounts(5, 2, 0, expired_holds=False, waiting=False)
    held = hold(departure, me, seats=2)
    assert counts().taken == 7 and counts().mine == 4
    Departure.objects.filter(pk=departure.pk).update(capacity=7)
    wait(departure, other, seats=1)
    assert counts() == selectors.SeatCounts(7, 4, 0, expired_holds=False, waiting=True)
    Booking.objects.filter(pk=held.pk).update(hold_expires_at=now - dt.timedelta(seconds=1))
    # the expired hold stops counting at once, and is there to lapse
    assert counts() == selectors.SeatCounts(5, 2, 0, expired_holds=True, waiting=True)
    assert counts().taken == selectors.seats_taken(departure=departure, now=now)


def test_featured_routes_put_the_report_routes_first_with_their_pictures_in_two_queries(route):
    RouteFactory(slug="second", featured_rank=2, in_report=True)
    RouteFactory(slug="first", featured_rank=1, in_report=True)
    RouteFactory(slug="hidden", featured_rank=0, is_published=False)
    routes = []

    def read():
        routes.extend(selectors.featured_routes())
        return [(r.title, r.summary, r.get_absolute_url(), r.is_demo, r.image_list) for r in routes]

    assert count_queries(read) == 2  # the routes, then all their pictures
    assert [r.slug for r in routes][:2] == ["first", "second"]
    assert "hidden" not in [r.slug for r in routes]
    assert routes[0].get_absolute_url() == "/tours/first/"
    assert routes[0].title and routes[0].summary


def test_bookings_for_customer_newest_first(customer, departure, book):
    older = book(departure, customer)
    Booking.objects.filter(pk=older.pk).update(created_at=timezone.now() - dt.timedelta(days=1))
    newer = book(departure, customer)
    book(departure, UserFactory())
    assert list(selectors.bookings_for_customer(user=customer)) == [newer, older]
    from django.contrib.auth.models import AnonymousUser

    assert list(selectors.bookings_for_customer(user=AnonymousUser())) == []


def test_route_list_annotations(route, departure):
    later = DepartureFactory(route=route, date=departure.date + dt.timedelta(days=3))
    DepartureFactory(route=route, date=timezone.localdate() - dt.timedelta(days=2))  # past
    listed = selectors.route_list().get(pk=route.pk)
    assert listed.next_departure == departure.date
    assert selectors.route_list(date_from=later.date).get().next_departure == later.date
    assert not selectors.route_list(date_from=later.date + dt.timedelta(days=1)).exists()


def test_waitlist_position(departure, book, wait):
    book(departure, UserFactory(), seats=10)
    entries = [wait(departure, UserFactory()) for _ in range(3)]
    assert [selectors.waitlist_position(e) for e in entries] == [1, 2, 3]


def test_stops_by_day_are_numbered_across_days():
    route = RouteFactory(duration_days=2)
    RouteStopFactory(route=route, order=1, day=1)
    RouteStopFactory(route=route, order=5, day=2)
    RouteStopFactory(route=route, order=3, day=1)
    days = selectors.route_stops_by_day(selectors.route_detail(slug=route.slug))
    assert [(day, [s.number for s in stops]) for day, stops in days] == [(1, [1, 2]), (2, [3])]


# --- Cross-sell --------------------------------------------------------------------------------------


def test_route_page_lists_products_made_near_its_huairou_stops(client):
    from tests.marketplace.factories import ProducerFactory, ProductFactory, VillageFactory

    # given a route stopping at Hongluo Temple and Mutianyu, chestnuts from a
    # village between them and trout from a village far away
    route = RouteFactory(slug="hongluo-mutianyu")
    RouteStopFactory(
        route=route,
        order=1,
        attraction=AttractionFactory(latitude=Decimal("40.378"), longitude=Decimal("116.627")),
    )
    RouteStopFactory(
        route=route,
        order=2,
        attraction=AttractionFactory(latitude=Decimal("40.432"), longitude=Decimal("116.570")),
    )
    near = VillageFactory(latitude=Decimal("40.400"), longitude=Decimal("116.600"))
    far = VillageFactory(latitude=Decimal("39.500"), longitude=Decimal("115.500"))
    chestnuts = ProductFactory(
        name="怀柔板栗", name_en="Huairou chestnuts", producer=ProducerFactory(area=near)
    )
    trout = ProductFactory(name="远方虹鳟", name_en="Far trout", producer=ProducerFactory(area=far))
    # when the route page is read
    route = selectors.route_detail(slug=route.slug)
    products = selectors.route_nearby_products(route)
    # then the nearby product is offered, the far one is not
    assert chestnuts in products and trout not in products
    html = client.get("/en/tours/hongluo-mutianyu/").content.decode()
    assert "Huairou chestnuts" in html and f"/en/products/{chestnuts.slug}/" in html
    assert "Far trout" not in html


def test_no_huairou_stop_no_cross_sell(route):
    only_city = RouteFactory()
    from .factories import DongchengAttractionFactory

    RouteStopFactory(route=only_city, attraction=DongchengAttractionFactory())
    assert selectors.route_nearby_products(selectors.route_detail(slug=only_city.slug)) == []
