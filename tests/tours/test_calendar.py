"""The route page's departure calendar: month grids Monday first, seats left
and "almost full" per departure, closed ones shown as closed, one query
whatever the number of departures, and an accessible table on the page."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from tests.factories import UserFactory
from tours import selectors
from tours.models import Departure, is_almost_full

from .factories import DepartureFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("left", "capacity", "almost"),
    [
        (0, 10, False),
        (1, 10, True),
        (5, 10, True),
        (6, 10, False),
        (5, 40, True),
        (8, 40, True),
        (9, 40, False),
        (20, 100, True),
        (21, 100, False),
    ],
)
def test_almost_full_is_a_fifth_or_five_seats(left, capacity, almost):
    assert is_almost_full(left, capacity) is almost


def test_the_grid_marks_each_departures_seats(route, book):
    today = timezone.localdate()
    soon = today + dt.timedelta(days=3)
    open_ = DepartureFactory(route=route, date=soon, capacity=30)
    almost = DepartureFactory(route=route, date=soon, start_time=dt.time(14, 0), capacity=10)
    book(almost, UserFactory(), seats=6)
    full = DepartureFactory(route=route, date=soon + dt.timedelta(days=1), capacity=2)
    book(full, UserFactory(), seats=2)
    closed = DepartureFactory(
        route=route, date=soon + dt.timedelta(days=2), status=Departure.Status.CLOSED
    )
    DepartureFactory(route=route, date=soon, start_time=dt.time(16, 0), status="cancelled")
    grids = selectors.departure_calendar(route=route)
    days = {
        day.date: [
            (item.departure.pk, item.state, item.departure.seats_left) for item in day.departures
        ]
        for grid in grids
        for week in grid.weeks
        for day in week
        if day is not None and day.departures
    }
    assert days[soon] == [(open_.pk, "open", 30), (almost.pk, "almost_full", 4)]
    assert days[full.date] == [(full.pk, "full", 0)]
    assert days[closed.date] == [(closed.pk, "closed", 10)]
    assert len(days) == 3  # the cancelled one is left out
    first = grids[0]
    assert first.first == today.replace(day=1) and first.weekdays[0].weekday() == 0
    assert all(len(week) == 7 for week in first.weeks)
    month_days = [d.date for week in first.weeks for d in week if d is not None]
    assert month_days[0].day == 1 and {d.month for d in month_days} == {today.month}


def test_no_departures_no_calendar(route):
    assert selectors.departure_calendar(route=route) == []
    DepartureFactory(route=route, date=timezone.localdate() + dt.timedelta(days=200))
    assert selectors.departure_calendar(route=route) == []  # beyond the three months


def test_one_query_whatever_the_departures(route, django_assert_num_queries):
    with django_assert_num_queries(1):
        selectors.departure_calendar(route=route)
    for days in range(1, 40, 2):
        DepartureFactory(route=route, date=timezone.localdate() + dt.timedelta(days=days))
    with django_assert_num_queries(1):
        grids = selectors.departure_calendar(route=route)
    assert sum(len(d.departures) for g in grids for w in g.weeks for d in w if d) == 20


def test_the_route_page_shows_an_accessible_calendar(client, route, book):
    departure = DepartureFactory(route=route, capacity=10)
    book(departure, UserFactory(), seats=8)
    with translation.override("en"):
        html = client.get(route.get_absolute_url()).content.decode()
    assert '<table class="calendar">' in html and "<caption>" in html
    assert '<th scope="col"><abbr title="Monday">Mon</abbr></th>' in html
    assert "2 left" in html and "almost full" in html
    assert f"/departures/{departure.pk}/book/" in html
