import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from .factories import (
    AttractionFactory,
    DepartureFactory,
    DeparturePriceFactory,
    DongchengAttractionFactory,
    RouteFactory,
    RouteStopFactory,
)


def make_routes(n: int, *, stops: int = 3, departures: int = 4, operator=None) -> list:
    """``n`` published routes, each with stops in both districts and priced departures."""
    routes = []
    for _ in range(n):
        kwargs = {"operator": operator} if operator else {}
        route = RouteFactory(**kwargs)
        for order in range(1, stops + 1):
            attraction = DongchengAttractionFactory() if order == 1 else AttractionFactory()
            RouteStopFactory(route=route, order=order, day=1 + (order > 2), attraction=attraction)
        for days in range(departures):
            departure = DepartureFactory(
                route=route, date=timezone.localdate() + dt.timedelta(days=3 + days)
            )
            DeparturePriceFactory(departure=departure)
        routes.append(route)
    return routes


def count_queries(func) -> int:
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)
