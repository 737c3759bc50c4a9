"""One trip, produce included: the route page's bring-home products, produce
added to a booking (an ordinary marketplace order, linked), cancelling both,
and the manifest's "who collects what"."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from core.cache import scopes_for_path
from marketplace.models import Order, Stock
from marketplace.services import order_transition
from organizations.models import Area
from tests.factories import AreaFactory, DistrictFactory, MembershipFactory, UserFactory, api_token
from tests.marketplace.factories import (
    CentreFactory,
    CentreOrgFactory,
    CounterFactory,
    ProducerFactory,
    ProductFactory,
    VariantFactory,
    VillageFactory,
    counter_staff,
    receive,
)
from tours import errors, selectors, services
from tours.models import Booking, BookingProduce

from .factories import AttractionFactory, DepartureFactory, RouteFactory, RouteStopFactory
from .helpers import count_queries
from .test_views import traveller_form


@pytest.fixture
def farm(route):
    """Near the route's Huairou stop (雁栖湖, 40.405 N 116.675 E): chestnuts
    from a village 6 km away; far away: trout from a village 150 km off; a
    counter on the way (Huairou, 1 km from the stop), one on return
    (Dongcheng) and a Huairou counter far from every stop."""
    near = VillageFactory(latitude=Decimal("40.400"), longitude=Decimal("116.600"))
    far = VillageFactory(latitude=Decimal("39.500"), longitude=Decimal("115.500"))
    producer = ProducerFactory(area=near)
    chestnuts = ProductFactory(name="怀柔板栗", name_en="Huairou chestnuts", producer=producer)
    bag = VariantFactory(product=chestnuts, unit_price=Decimal("25.00"))
    trout = ProductFactory(name="远方虹鳟", name_en="Far trout", producer=ProducerFactory(area=far))
    trout_bag = VariantFactory(product=trout)
    huairou = DistrictFactory()
    way = CounterFactory(
        centre=CentreFactory(
            organization=CentreOrgFactory(district=huairou),
            latitude=Decimal("40.410"),
            longitude=Decimal("116.670"),
        ),
        name_en="Lake gate counter",
    )
    back = CounterFactory(name_en="Dongcheng counter")
    remote = CounterFactory(
        centre=CentreFactory(
            organization=CentreOrgFactory(district=huairou),
            latitude=Decimal("40.900"),
            longitude=Decimal("116.000"),
        )
    )
    for counter in (way, back, remote):
        counter.producers.add(producer, trout.producer)
        receive(counter, bag, 5)
        receive(counter, trout_bag, 5)
    return {
        "chestnuts": chestnuts,
        "bag": bag,
        "trout": trout,
        "trout_bag": trout_bag,
        "way": way,
        "back": back,
        "remote": remote,
    }


def _stock(counter, variant) -> Stock:
    return Stock.objects.get(counter=counter, variant=variant)


# --- The rule ---------------------------------------------------------------------------


def test_bring_home_lists_products_made_near_a_stop_and_none_far_away(route, farm):
    route = selectors.route_detail(slug=route.slug)
    products = selectors.route_bring_home(route)
    assert products == [farm["chestnuts"]]
    assert products[0].near_stop.name == "雁栖湖" and 6 <= products[0].distance_km <= 7


def test_a_product_of_the_same_town_as_a_stop_is_listed_however_far(route, farm):
    # given a stop in a town, and a product from a village of that town
    # without coordinates of its own, the town's centre 30 km from the stop
    town = AreaFactory(
        district=DistrictFactory(),
        kind=Area.Kind.TOWN,
        name="远镇",
        latitude=Decimal("40.700"),
        longitude=Decimal("116.700"),
    )
    stop = route.stops.get(order=2).attraction
    stop.area = town
    stop.save()
    village = VillageFactory(parent=town, latitude=None, longitude=None)
    honey = ProductFactory(name="蜂蜜", producer=ProducerFactory(area=village))
    products = selectors.route_bring_home(selectors.route_detail(slug=route.slug))
    # then it is listed (the town rule), after the nearby one: its point is
    # its town's, 33 km from the stop, beyond the 10 km of the distance rule
    assert products == [farm["chestnuts"], honey]
    assert products[1].distance_km > selectors.BRING_HOME_KM and products[1].near_stop == stop


def test_a_route_in_dongcheng_only_brings_nothing_home(farm):
    from .factories import DongchengAttractionFactory

    only_city = RouteFactory()
    RouteStopFactory(route=only_city, attraction=DongchengAttractionFactory())
    assert selectors.route_bring_home(selectors.route_detail(slug=only_city.slug)) == []


def test_the_pickup_counters_are_on_the_way_or_on_return(route, farm):
    counters = selectors.trip_counters(selectors.route_with_stops(route_id=route.pk))
    legs = {c.pk: c.leg for c in counters}
    assert legs == {farm["way"].pk: "on_the_way", farm["back"].pk: "on_return"}
    assert counters[0] == farm["way"]  # on the way first


def test_the_route_page_shows_bring_home_and_is_cached_with_the_marketplace(client, route, farm):
    html = client.get("/en/tours/qianmen-yanqi/").content.decode()
    assert "Bring home" in html and "Huairou chestnuts" in html and "Far trout" not in html
    # the page cache keys the route page on the marketplace too: a product
    # change (which bumps "marketplace") shows at once
    assert "marketplace" in scopes_for_path("/tours/qianmen-yanqi/")
    assert "marketplace" in scopes_for_path("/en/tours/qianmen-yanqi/")


def test_the_route_page_query_count_is_constant_in_products_and_stops(client, db):
    def route_with(stops: int, products: int):
        route = RouteFactory()
        for order in range(1, stops + 1):
            RouteStopFactory(
                route=route,
                order=order,
                attraction=AttractionFactory(
                    latitude=Decimal("40.40") + Decimal(order) / 100, longitude=Decimal("116.60")
                ),
            )
        for _i in range(products):
            VariantFactory(product=ProductFactory(producer=ProducerFactory()))
        DepartureFactory(route=route)
        return route

    small = route_with(1, 1)
    few = count_queries(lambda: client.get(small.get_absolute_url()))
    big = route_with(6, 8)
    many = count_queries(lambda: client.get(big.get_absolute_url()))
    assert len(selectors.route_bring_home(selectors.route_detail(slug=big.slug))) == 6
    assert few == many


# --- Booking with produce ---------------------------------------------------------------


def _api(client, user):
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
    return client


@pytest.fixture
def api(customer):
    from rest_framework.test import APIClient

    return _api(APIClient(), customer)


def _body(departure, **extra):
    return {
        "departure": departure.pk,
        "seats": 2,
        "contact_name": "王芳",
        "contact_phone": "13800000000",
        **extra,
    }


def test_api_books_seats_and_produce_in_one(api, departure, farm, customer):
    response = api.post(
        "/api/v1/bookings/",
        _body(
            departure,
            produce=[{"variant": farm["bag"].pk, "quantity": 2}],
            pickup_counter=farm["way"].pk,
        ),
        format="json",
    )
    assert response.status_code == 201, response.json()
    produce = response.json()["produce_order"]
    assert produce["status"] == "placed" and produce["leg"] == "on_the_way"
    assert len(produce["pickup_code"]) == 6 and produce["counter"] == farm["way"].pk
    assert produce["lines"] == [
        {
            "variant": farm["bag"].pk,
            "product_name": "怀柔板栗",
            "variant_name": "500克袋装",
            "quantity": 2,
            "unit_price": "25.00",
        }
    ]
    assert produce["total"] == "50.00"
    # an ordinary order, its stock held in the ledger
    order = Order.objects.get(pk=produce["id"])
    assert order.customer == customer and order.trip.booking.code == response.json()["code"]
    assert _stock(farm["way"], farm["bag"]).held == 2
    # the pickup deadline fits the trip: PICKUP_DAYS from the departure
    assert order.pickup_deadline >= departure.starts_at
    # the detail shows it too: the answer is what reading the booking gives
    assert api.get(f"/api/v1/bookings/{response.json()['id']}/").json() == response.json()


def test_api_booking_without_produce_has_no_order(api, departure):
    response = api.post("/api/v1/bookings/", _body(departure), format="json")
    assert response.status_code == 201 and response.json()["produce_order"] is None


@pytest.mark.parametrize(
    ("extra", "field_or_code"),
    [
        ({"produce": [{"variant": 1, "quantity": 1}]}, "pickup_counter"),
        ({"produce": [{"variant": 1, "quantity": 0}], "pickup_counter": 1}, "produce"),
        ({"produce": [{"variant": "x", "quantity": 1}], "pickup_counter": 1}, "produce"),
        ({"produce": "chestnuts", "pickup_counter": 1}, "produce"),
    ],
)
def test_api_refuses_bad_produce_with_a_400(api, departure, farm, extra, field_or_code):
    response = api.post("/api/v1/bookings/", _body(departure, **extra), format="json")
    assert response.status_code == 400
    assert field_or_code in response.json()["errors"]
    assert not Booking.objects.exists()


def test_api_refuses_produce_from_far_away_and_a_counter_off_the_route(api, departure, farm):
    far = api.post(
        "/api/v1/bookings/",
        _body(
            departure,
            produce=[{"variant": farm["trout_bag"].pk, "quantity": 1}],
            pickup_counter=farm["back"].pk,
        ),
        format="json",
    )
    assert far.status_code == 400 and far.json()["code"] == "produce_not_near_route"
    assert "远方虹鳟" in far.json()["detail"]
    remote = api.post(
        "/api/v1/bookings/",
        _body(
            departure,
            produce=[{"variant": farm["bag"].pk, "quantity": 1}],
            pickup_counter=farm["remote"].pk,
        ),
        format="json",
    )
    assert remote.status_code == 400 and remote.json()["code"] == "invalid_pickup_counter"
    assert not Booking.objects.exists() and not Order.objects.exists()


def test_out_of_stock_produce_books_nothing(api, departure, farm):
    # given 5 bags at the counter and a departure with 10 seats
    left = selectors.bookable_departure(
        route_slug="qianmen-yanqi", departure_id=departure.pk
    ).seats_left
    # when a booking asks for 6 bags
    response = api.post(
        "/api/v1/bookings/",
        _body(
            departure,
            produce=[{"variant": farm["bag"].pk, "quantity": 6}],
            pickup_counter=farm["way"].pk,
        ),
        format="json",
    )
    # then a 409 names the product, and nothing is written
    assert response.status_code == 409 and response.json()["code"] == "insufficient_stock"
    assert "怀柔板栗" in response.json()["detail"] or "500克" in response.json()["detail"]
    assert not Booking.objects.exists() and not Order.objects.exists()
    assert not BookingProduce.objects.exists()
    assert _stock(farm["way"], farm["bag"]).held == 0
    after = selectors.bookable_departure(route_slug="qianmen-yanqi", departure_id=departure.pk)
    assert after.seats_left == left


@pytest.fixture
def signed_in(client, customer):
    client.force_login(customer)
    return client


def _book_url(departure):
    return reverse("tours:book", args=["qianmen-yanqi", departure.pk])


def test_the_booking_form_offers_the_produce_and_the_counters(signed_in, departure, farm):
    html = signed_in.get(_book_url(departure)).content.decode()
    assert f'name="produce-{farm["bag"].pk}"' in html
    assert f'name="produce-{farm["trout_bag"].pk}"' not in html
    assert f'name="pickup_counter" value="{farm["way"].pk}" checked' in html
    assert f'name="pickup_counter" value="{farm["back"].pk}"' in html
    assert f'name="pickup_counter" value="{farm["remote"].pk}"' not in html


def test_the_web_form_books_with_produce_and_links_both_pages(signed_in, departure, farm):
    data = {
        **traveller_form([("王芳", "adult")]),
        f"produce-{farm['bag'].pk}": "3",
        "pickup_counter": str(farm["back"].pk),
    }
    response = signed_in.post(_book_url(departure), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    booking = Booking.objects.get()
    order = booking.produce_order
    assert order.counter == farm["back"] and booking.produce.leg == "on_return"
    assert [(line.variant_id, line.quantity) for line in order.lines.all()] == [(farm["bag"].pk, 3)]
    # the booking page links the order, the order page the booking
    page = signed_in.get(response["Location"]).content.decode()
    assert order.get_absolute_url() in page and order.pickup_code_display in page
    order_page = signed_in.get(order.get_absolute_url()).content.decode()
    assert reverse("tours:booking", kwargs={"code": booking.code}) in order_page


def test_the_web_form_shows_out_of_stock_produce_as_an_error_and_books_nothing(
    signed_in, departure, farm
):
    data = {
        **traveller_form([("王芳", "adult")]),
        f"produce-{farm['bag'].pk}": "9",
        "pickup_counter": str(farm["way"].pk),
    }
    response = signed_in.post(_book_url(departure), data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "form-errors" in html and "500克袋装" in html
    assert 'value="9"' in html  # what was typed is kept
    assert not Booking.objects.exists() and not Order.objects.exists()


def test_the_web_form_refuses_a_quantity_that_is_not_a_number(signed_in, departure, farm):
    data = {
        **traveller_form([("王芳", "adult")]),
        f"produce-{farm['bag'].pk}": "two",
        "pickup_counter": str(farm["way"].pk),
    }
    assert signed_in.post(_book_url(departure), data).status_code == 400
    assert not Booking.objects.exists()


# --- Cancelling -------------------------------------------------------------------------


@pytest.fixture
def booked(departure, farm, customer):
    return services.booking_create(
        customer=customer,
        departure_id=departure.pk,
        seats=1,
        contact_name="王芳",
        contact_phone="13800000000",
        produce=[{"variant": farm["bag"].pk, "quantity": 2}],
        pickup_counter=farm["way"].pk,
    )


def test_the_cancel_page_asks_about_the_order(signed_in, booked):
    html = signed_in.get(reverse("tours:booking_cancel", args=[booked.code])).content.decode()
    assert 'name="cancel_order" value="yes" checked' in html


def test_cancelling_the_booking_with_its_order_releases_the_hold(signed_in, booked, farm):
    url = reverse("tours:booking_cancel", args=[booked.code])
    response = signed_in.post(url, {"confirm": "yes", "cancel_order": "yes"})
    assert response.status_code == 302
    booked.refresh_from_db()
    order = booked.produce_order
    order.refresh_from_db()
    assert booked.status == "cancelled" and order.status == "cancelled"
    assert _stock(farm["way"], farm["bag"]).held == 0


def test_cancelling_the_booking_alone_keeps_the_order(signed_in, booked, farm):
    url = reverse("tours:booking_cancel", args=[booked.code])
    signed_in.post(url, {"confirm": "yes"})
    booked.refresh_from_db()
    assert booked.status == "cancelled" and booked.produce_order.status == "placed"
    assert _stock(farm["way"], farm["bag"]).held == 2


def test_api_cancel_with_cancel_order(api, booked, farm):
    response = api.post(
        f"/api/v1/bookings/{booked.pk}/cancel/", {"cancel_order": True}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["produce_order"]["status"] == "cancelled"
    assert _stock(farm["way"], farm["bag"]).held == 0


def test_an_order_being_prepared_is_not_cancelled_and_neither_is_the_booking(booked, farm):
    staff = counter_staff(farm["way"], "lake-staff")
    order_transition(order=booked.produce_order, to="ready", by=staff)
    with pytest.raises(errors.DomainError):
        services.booking_cancel(booking=booked, by=booked.customer, cancel_order=True)
    booked.refresh_from_db()
    assert booked.status == "confirmed"


def test_cancelling_the_order_alone_leaves_the_booking(booked):
    order_transition(order=booked.produce_order, to="cancelled", by=booked.customer)
    booked.refresh_from_db()
    assert booked.status == "confirmed" and booked.produce_order.status == "cancelled"


def _book_produce(departure, farm, username, counter):
    return services.booking_create(
        customer=UserFactory(username=username, email=f"{username}@example.org"),
        departure_id=departure.pk,
        seats=1,
        contact_name=username,
        contact_phone="13800000000",
        produce=[{"variant": farm["bag"].pk, "quantity": 1}],
        pickup_counter=counter.pk,
    )


def test_an_operator_cancelling_the_departure_cancels_produce_on_the_way_only(
    departure, farm, route, mailoutbox, django_capture_on_commit_callbacks
):
    way = _book_produce(departure, farm, "way-traveller", farm["way"])
    back = _book_produce(departure, farm, "back-traveller", farm["back"])
    prepared = _book_produce(departure, farm, "prepared-traveller", farm["way"])
    staff = counter_staff(farm["way"], "lake-counter")
    order_transition(order=prepared.produce_order, to="ready", by=staff)
    operator = MembershipFactory(organization=route.operator, user=UserFactory()).user
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        cancelled_count = services.departure_cancel(
            departure=departure, by=operator, reason="Road closed"
        )
    assert cancelled_count == 3

    statuses = {
        b.contact_name: Order.objects.get(pk=b.produce_order.pk).status
        for b in (way, back, prepared)
    }
    assert statuses == {
        "way-traveller": "cancelled",  # the counter on the way can't be reached
        "back-traveller": "placed",  # a Dongcheng counter still can
        "prepared-traveller": "ready",  # the counter's staff decide
    }
    # Only the cancelled order's hold went back: two bags still held.
    assert _stock(farm["way"], farm["bag"]).held == 1
    assert _stock(farm["back"], farm["bag"]).held == 1
    cancelled = Order.objects.get(pk=way.produce_order.pk)
    event = cancelled.events.order_by("-pk").first()
    assert event.by is None and "tour operator" in event.reason
    # The departure's cancellation to everyone; the order's to its customer alone.
    sent = [m.to[0] for m in mailoutbox]
    assert sent.count("way-traveller@example.org") == 2
    assert sent.count("back-traveller@example.org") == 1


def test_an_operator_cancelling_one_booking_cancels_its_order_on_the_way(booked, farm, route):
    operator = MembershipFactory(organization=route.operator, user=UserFactory()).user
    services.booking_cancel(booking=booked, by=operator, by_operator=True, reason="Overbooked")
    assert Order.objects.get(pk=booked.produce_order.pk).status == "cancelled"
    assert _stock(farm["way"], farm["bag"]).held == 0


def test_the_system_may_cancel_a_placed_order_but_not_one_being_prepared(booked, farm):
    staff = counter_staff(farm["way"], "lake-staff-2")
    order_transition(order=booked.produce_order, to="ready", by=staff)
    with pytest.raises(errors.DomainError):
        order_transition(order=booked.produce_order, to="cancelled", by=None, reason="x")


def test_rescheduling_the_trip_moves_the_produce_deadline_with_it(booked, departure, route):
    import datetime as dt

    order = booked.produce_order
    later = DepartureFactory(route=route, date=departure.date + dt.timedelta(days=7))
    services.booking_reschedule(booking=booked, departure_id=later.pk, by=booked.customer)
    moved = Order.objects.get(pk=order.pk)
    assert moved.pickup_deadline > order.pickup_deadline + dt.timedelta(days=6)
    assert moved.pickup_deadline >= later.starts_at
    event = moved.events.order_by("-pk").first()
    assert event.from_status == event.to_status == "placed"
    assert "pickup deadline moved with the trip" in event.reason
    # Back to the first date: the deadline follows again.
    booked.refresh_from_db()
    services.booking_reschedule(booking=booked, departure_id=departure.pk, by=booked.customer)
    assert Order.objects.get(pk=order.pk).pickup_deadline == order.pickup_deadline


def test_the_check_in_desk_says_who_collects_what_in_constant_queries(departure, farm, route):
    import datetime as dt

    from django.utils import timezone

    from tours.desk import check_in_desk

    # Tomorrow's departure: on the desk's list (today's and tomorrow's).
    type(departure).objects.filter(pk=departure.pk).update(
        date=timezone.localdate() + dt.timedelta(days=1), cutoff_hours=0
    )
    first = _book_produce(departure, farm, "desk-traveller", farm["way"])
    _book_produce(departure, farm, "desk-traveller-2", farm["back"])
    operator = MembershipFactory(organization=route.operator, user=UserFactory()).user

    def items():
        operator.__dict__.pop("_organization_kinds", None)
        return check_in_desk.items(operator, timezone.now())

    few = count_queries(items)
    notes = {item["code"]: item["note"] for item in items()}
    assert first.produce_order.pickup_code_display in notes[first.code]
    assert "怀柔板栗" in notes[first.code]
    for i in range(3):
        _book_produce(departure, farm, f"desk-more-{i}", farm["way"])
    assert count_queries(items) == few
    # A collected (closed) order is no longer news at the desk.
    staff = counter_staff(farm["way"], "desk-lake")
    order_transition(order=first.produce_order, to="ready", by=staff)
    from marketplace.services import order_hand_over

    order_hand_over(order=first.produce_order, by=staff, payment_method="cash")
    assert {i["code"]: i["note"] for i in items()}[first.code] == ""


# --- The manifest -----------------------------------------------------------------------


def test_the_manifest_says_who_collects_what_in_constant_queries(
    client, departure, farm, customer, route
):
    operator = MembershipFactory(
        organization=route.operator, user=UserFactory(username="op-trip")
    ).user
    client.force_login(operator)
    url = f"/vendor/tours/departure/{departure.pk}/manifest.csv"

    def book(user, produce=True):
        return services.booking_create(
            customer=user,
            departure_id=departure.pk,
            seats=2,
            contact_name=user.username,
            contact_phone="13800000000",
            produce=[{"variant": farm["bag"].pk, "quantity": 1}] if produce else None,
            pickup_counter=farm["way"].pk if produce else None,
        )

    first = book(customer)
    book(UserFactory(username="no-produce"), produce=False)
    few = count_queries(lambda: client.get(url))
    rows = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
    header = rows[0]
    assert (
        header[-4:] == ["Produce", "Collected at", "Pickup code", "Produce status"]
        or len(header) == 13
    )
    by_code = [r for r in rows[1:] if r[0] == first.code]
    assert len(by_code) == 2  # two travellers, the produce on the first row only
    assert "怀柔板栗 500克袋装 × 1" in by_code[0][-4]
    assert first.produce_order.pickup_code_display == by_code[0][-2]
    assert by_code[1][-4:] == ["", "", "", ""]
    for i in range(3):
        book(UserFactory(username=f"more-{i}"))
    many = count_queries(lambda: client.get(url))
    assert few == many


def test_the_manifest_is_cached_until_a_booking_or_a_produce_order_changes(
    client, departure, farm, customer, route, settings, django_capture_on_commit_callbacks
):
    settings.PERSONAL_CACHE_SECONDS = 300
    operator = MembershipFactory(
        organization=route.operator, user=UserFactory(username="op-cache")
    ).user
    client.force_login(operator)
    url = f"/vendor/tours/departure/{departure.pk}/manifest.csv"

    def committed(fn, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(**kwargs)

    first = committed(
        services.booking_create,
        customer=customer,
        departure_id=departure.pk,
        seats=1,
        contact_name="Ke",
        contact_phone="13800000000",
        produce=[{"variant": farm["bag"].pk, "quantity": 1}],
        pickup_counter=farm["way"].pk,
    )
    assert client.get(url).wsgi_request._page_cache == "miss"
    again = client.get(url)
    assert again.wsgi_request._page_cache == "hit"
    assert first.code in again.content.decode("utf-8-sig")
    # A booking made since shows at once.
    second = committed(
        services.booking_create,
        customer=UserFactory(username="late"),
        departure_id=departure.pk,
        seats=1,
        contact_name="Late",
        contact_phone="13800000001",
    )
    after = client.get(url)
    assert after.wsgi_request._page_cache == "miss"
    assert second.code in after.content.decode("utf-8-sig")

    # So does the produce being collected at the counter (an order, not a booking).
    def produce_status():
        rows = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
        return next(r for r in rows if r[0] == first.code)[-1]

    before = produce_status()
    staff = counter_staff(farm["way"], "lake-desk")
    committed(order_transition, order=first.produce_order, to="ready", by=staff)
    assert produce_status() not in ("", before)
    assert client.get(url).wsgi_request._page_cache == "hit"
    # Another tour operator's staff get a 404, never this cached manifest.
    other = MembershipFactory(user=UserFactory(username="op-other")).user
    client.force_login(other)
    assert client.get(url).status_code in (403, 404)
    # And the operator's own access ends with their membership, cached or not.
    client.force_login(operator)
    assert client.get(url).status_code == 200
    committed(operator.memberships.all().delete)
    assert client.get(url).status_code in (302, 403, 404)


@pytest.mark.parametrize("value", [0, 1, "true", "yes", None])
def test_api_cancel_takes_a_json_boolean_only(api, booked, value):
    # schemathesis sent {"cancel_order": 0} and it was taken (as False).
    response = api.post(
        f"/api/v1/bookings/{booked.pk}/cancel/", {"cancel_order": value}, format="json"
    )
    assert response.status_code == 400
    assert "cancel_order" in response.json()["errors"]
    booked.refresh_from_db()
    assert booked.status == "confirmed"  # nothing cancelled
