import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from tours import demo, selectors
from tours.models import Attraction, Booking, Departure, Route, WaitlistEntry

pytestmark = pytest.mark.django_db


def test_demo_loads_the_report_routes_and_is_idempotent(client):
    summary = demo.load()
    assert "3 routes" in summary
    counts = [m.objects.count() for m in (Attraction, Route, Departure, Booking, WaitlistEntry)]
    demo.load()
    assert [
        m.objects.count() for m in (Attraction, Route, Departure, Booking, WaitlistEntry)
    ] == counts

    # the report's places are real (not demo) with facts.md coordinates
    temple = Attraction.objects.get(name_zh_hans="天坛")
    assert (str(temple.latitude), str(temple.longitude), temple.is_demo) == (
        "39.882000",
        "116.407000",
        False,
    )
    for name in ("前门大街", "雁栖湖", "红螺寺", "慕田峪长城"):
        assert not Attraction.objects.get(name_zh_hans=name).is_demo
    # the two report routes come first and are real; the third route is demo
    featured = [r.title_zh_hans for r in selectors.featured_routes()]
    assert featured[:2] == ["前门+雁栖湖", "天坛+红螺寺+慕田峪"]
    assert Route.objects.filter(is_demo=True).count() == 1
    assert all(r.price_is_demo for r in Route.objects.all())
    # departures over the next 8 weeks, all demo, never over capacity
    today = timezone.localdate()
    dates = Departure.objects.values_list("date", flat=True)
    assert min(dates) > today and max(dates) <= today + dt.timedelta(weeks=8)
    assert not Departure.objects.filter(is_demo=False).exists()
    for departure in selectors.with_seats(Departure.objects.all()):
        assert departure.seats_taken <= departure.capacity
    assert (
        selectors.with_seats(
            Departure.objects.filter(route__slug="temple-of-heaven-hongluo-mutianyu")
        )
        .filter(seats_left=0)
        .exists()
    )
    assert WaitlistEntry.objects.filter(status="waiting").count() == 2
    # two operators, each with their own route, signed in through the panel
    client.force_login(
        Route.objects.get(slug="hutongs-temples-qinglong-gorge").operator.members.get()
    )
    html = client.get("/vendor/tours/route/").content.decode()
    assert "南锣鼓巷" in html and "前门+雁栖湖" not in html
    assert client.get("/tours/temple-of-heaven-hongluo-mutianyu/").status_code == 200


def test_lapse_holds_command(departure, book, wait):
    from tests.factories import UserFactory
    from tours import services

    holder = UserFactory()
    booking = book(departure, holder, seats=10)
    entry = wait(departure, UserFactory())
    services.booking_cancel(booking=booking, by=holder)
    entry.refresh_from_db()
    Booking.objects.filter(pk=entry.booking.pk).update(
        hold_expires_at=timezone.now() - dt.timedelta(minutes=5)
    )
    from io import StringIO

    out = StringIO()
    call_command("lapse_holds", stdout=out)
    assert out.getvalue().strip() == "1 holds lapsed, 0 new offers made"


def test_the_demo_trip_brings_produce_home():
    from marketplace import demo as marketplace_demo
    from tours.models import BookingProduce

    # given the marketplace's demo and the tours' (as load_demo runs them)
    marketplace_demo.load()
    summary = demo.load()
    assert "1 new booking with produce" in summary
    # the 天坛+红螺寺+慕田峪 route shows Huairou chestnuts to bring home
    route = selectors.route_detail(slug="temple-of-heaven-hongluo-mutianyu")
    names = [p.name_zh_hans for p in selectors.route_bring_home(route)]
    assert "怀柔板栗" in names
    # with the Hongluo counter on the way, the Dongcheng ones on return
    legs = [c.leg for c in selectors.trip_counters(route)]
    assert legs[0] == "on_the_way" and "on_return" in legs
    # one demo booking brings 2 bags home, collected on the way
    link = BookingProduce.objects.select_related("order", "booking").get()
    assert link.leg == "on_the_way" and link.order.status == "placed"
    assert link.order.pickup_deadline >= link.booking.departure.starts_at
    # a second load adds nothing
    assert "0 new booking with produce" in demo.load()
    assert BookingProduce.objects.count() == 1
