"""Reads of the tours app. ``featured_routes`` and ``bookings_for_customer`` are
contracts other apps use (the home page and /account/).

Every function here does its joins and prefetches up front, so a page or an
endpoint costs the same number of queries for 5 routes as for 50, whatever the
number of stops and departures.
"""

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import cache as cache_lib
from core import figures, search
from core.db import literals, prepared_cursor
from core.figures import ImpactRow
from core.geo import bounding_box, haversine_km
from organizations.models import Area, District, Organization
from organizations.selectors import organization_ids_for

from .models import (
    Attraction,
    AttractionImage,
    Booking,
    BookingEvent,
    BookingProduce,
    Departure,
    DeparturePrice,
    Route,
    RouteImage,
    RouteStop,
    WaitlistEntry,
    is_almost_full,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class Seats(TypedDict):
    seats_taken: int
    seats_left: int


class Upcoming(TypedDict):
    next_departure: dt.date | None
    upcoming: list["DepartureWithSeats"]


if TYPE_CHECKING:
    # A departure from with_seats; a route from route_detail.
    DepartureWithSeats = WithAnnotations[Departure, Seats]
    RouteWithUpcoming = WithAnnotations[Route, Upcoming]

# How many upcoming departures a route page lists (the API pages through all).
ROUTE_PAGE_DEPARTURES = 20
HUAIROU = "huairou"


def local_today() -> dt.date:
    return timezone.localdate()


# --- Seats ----------------------------------------------------------------------


def active_bookings_q(now: dt.datetime, prefix: str = "") -> Q:
    """Bookings whose seats count: seated ones, and held offers before their
    deadline. An expired hold stops counting at once, with no worker needed."""
    return Q(**{f"{prefix}status__in": Booking.SEATED}) | Q(
        **{f"{prefix}status": Booking.Status.HELD, f"{prefix}hold_expires_at__gt": now}
    )


def seats_taken(*, departure: Departure, now: dt.datetime | None = None) -> int:
    """Seats taken on one departure (call it under the departure's row lock)."""
    now = now or timezone.now()
    total = Booking.objects.filter(active_bookings_q(now), departure=departure).aggregate(
        total=Sum("seats")
    )["total"]
    return total or 0


def route_and_fares(departure: Departure) -> tuple[Route, dict[str, Decimal]]:
    """The departure's route and its own fares ({traveller type: price}),
    for booking it: from the shared cache until a route, stop or price is
    edited (the tours admins bump the editorial scope; an operator's prices
    are an inline of the departure's form). What can change under a booking
    (capacity, status) is read with the departure's lock, not here."""

    def compute():
        route = Route.objects.get(pk=departure.route_id)
        fares = dict(
            DeparturePrice.objects.filter(departure_id=departure.pk).values_list(
                "traveller_type", "amount"
            )
        )
        return route, fares

    return cache_lib.remembered(
        f"route-and-fares:{departure.pk}",
        version_keys=cache_lib.scope_keys(("editorial",)),
        compute=compute,
        seconds=settings.PERSONAL_CACHE_SECONDS,
    )


@dataclass(frozen=True)
class SeatCounts:
    """What booking seats on a departure checks, read in one statement:
    ``taken`` seats (``seats_taken``), those of one customer (``mine``:
    booked, and ``mine_waiting`` on the waitlist), and whether the departure
    has ``expired_holds`` to lapse or entries ``waiting`` for seats."""

    taken: int
    mine: int
    mine_waiting: int
    expired_holds: bool
    waiting: bool


def seat_counts(*, departure: Departure, customer: User, now: dt.datetime) -> SeatCounts:
    """The departure's ``SeatCounts`` for ``customer``, in one statement (call
    it under the departure's row lock, in a statement of its own: one that
    took the lock would count from before it waited). Written by hand like
    ``marketplace.ledger``'s and prepared once per connection (``core.db``):
    every booking reads it, and the ORM's five subqueries for it cost more to
    compile than the six queries they replace."""
    qn = connection.ops.quote_name
    seated, held = literals(Booking.SEATED), literals([Booking.Status.HELD])
    active = f"(status IN ({seated}) OR (status = {held} AND hold_expires_at > %s))"
    at = connection.ops.adapt_datetimefield_value(now)
    sql = (
        f"SELECT b.taken, b.mine, b.expired, w.waiting, w.mine_waiting FROM "
        f"(SELECT COALESCE(SUM(CASE WHEN {active} THEN seats ELSE 0 END), 0) AS taken, "
        f"COALESCE(SUM(CASE WHEN {active} AND customer_id = %s THEN seats ELSE 0 END), 0) AS mine, "
        f"COUNT(CASE WHEN status = {held} AND hold_expires_at <= %s THEN 1 END) AS expired "
        f"FROM {qn(Booking._meta.db_table)} "
        f"WHERE departure_id = %s AND status IN ({seated}, {held})) b, "
        f"(SELECT COUNT(*) AS waiting, "
        f"COALESCE(SUM(CASE WHEN customer_id = %s THEN seats ELSE 0 END), 0) AS mine_waiting "
        f"FROM {qn(WaitlistEntry._meta.db_table)} WHERE departure_id = %s "
        f"AND status = {literals([WaitlistEntry.Status.WAITING])}) w"
    )
    params = [at, at, customer.pk, at, departure.pk, customer.pk, departure.pk]
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        taken, mine, expired, waiting, mine_waiting = cursor.fetchone()
    return SeatCounts(
        taken=int(taken),
        mine=int(mine),
        mine_waiting=int(mine_waiting),
        expired_holds=bool(expired),
        waiting=bool(waiting),
    )


def with_seats(
    queryset: QuerySet[Departure], now: dt.datetime | None = None
) -> "QuerySet[DepartureWithSeats]":
    """Annotates ``seats_taken`` and ``seats_left`` in the same query."""
    now = now or timezone.now()
    taken = (
        Booking.objects.filter(active_bookings_q(now), departure=OuterRef("pk"))
        .order_by()
        .values("departure")
        .annotate(total=Sum("seats"))
        .values("total")
    )
    return queryset.annotate(
        seats_taken=Coalesce(Subquery(taken, output_field=IntegerField()), Value(0)),
        seats_left=Greatest(F("capacity") - F("seats_taken"), Value(0)),
    )


def with_waitlist_count(queryset: QuerySet[Departure]) -> QuerySet[Departure]:
    waiting = (
        WaitlistEntry.objects.filter(departure=OuterRef("pk"), status=WaitlistEntry.Status.WAITING)
        .order_by()
        .values("departure")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        waitlist_count=Coalesce(Subquery(waiting, output_field=IntegerField()), Value(0))
    )


# --- Routes -------------------------------------------------------------------


def _stops_prefetch(*, with_images: bool = False, route_lookup: str = "stops") -> Prefetch:
    stops = RouteStop.objects.select_related("attraction__district", "attraction__area").order_by(
        "order"
    )
    if with_images:
        stops = stops.prefetch_related("attraction__images")
    return Prefetch(route_lookup, queryset=stops)


def _route_images() -> Prefetch:
    """A route's pictures (``route.image_list``), the first one on cards."""
    return Prefetch(
        "images", queryset=RouteImage.objects.order_by("position", "pk"), to_attr="image_list"
    )


def _upcoming_departures(today: dt.date, *, with_closed: bool = False) -> QuerySet[Departure]:
    statuses = [Departure.Status.SCHEDULED]
    if with_closed:  # shown on the route page as "booking closed"
        statuses.append(Departure.Status.CLOSED)
    return Departure.objects.filter(date__gte=today, status__in=statuses)


def published_routes() -> QuerySet[Route]:
    return Route.objects.filter(is_published=True)


def route_list(
    *,
    q: str = "",
    district: str = "",
    duration: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    with_images: bool = False,
) -> QuerySet[Route]:
    """Published routes matching the filters, each with its stops (for the line
    of place names), its next departure date and its lowest adult price, and
    with ``with_images`` its pictures (``route.image_list``, for the cards).

    ``district`` keeps routes with a stop in that district (by code);
    ``date_from``/``date_to`` keep routes with a scheduled departure in range;
    ``q`` is the site search (core.search) over titles, summaries,
    descriptions, highlights and the stops' attractions; best matches first.
    """
    today = local_today()
    upcoming = _upcoming_departures(today).filter(route=OuterRef("pk"))
    if date_from:
        upcoming = upcoming.filter(date__gte=date_from)
    if date_to:
        upcoming = upcoming.filter(date__lte=date_to)

    routes = (
        published_routes()
        .select_related("operator")
        .prefetch_related(_stops_prefetch(), *([_route_images()] if with_images else []))
        .annotate(
            next_departure=Subquery(upcoming.order_by("date", "start_time").values("date")[:1])
        )
    )
    if date_from or date_to:
        routes = routes.filter(Exists(upcoming))
    if district:
        routes = routes.filter(
            Exists(
                RouteStop.objects.filter(route=OuterRef("pk"), attraction__district__code=district)
            )
        )
    if duration:
        routes = routes.filter(duration_days=duration)
    q = (q or "").strip()
    if q:
        # The site search (core.search); a word may also be met by a stop.
        def at_a_stop(kind: str, term: str) -> Q:
            stops = RouteStop.objects.filter(route=OuterRef("pk")).filter(
                search.term_q(kind, term, "attraction__search_text")
            )
            return Q(Exists(stops))

        routes = search.filter_queryset(routes, q, also=at_a_stop).order_by(
            "-search_rank", *(Route._meta.ordering or ())
        )
    return routes


def district_choices() -> QuerySet[District]:
    return District.objects.order_by("pk")


def duration_choices() -> list[int]:
    """The distinct durations of published routes, for the filter form."""
    return sorted(set(published_routes().values_list("duration_days", flat=True)))


def featured_routes(limit: int = 6) -> list[Route]:
    """Routes for the home page: the report's two joint routes first, with
    their pictures. Two queries."""
    return list(
        published_routes()
        .prefetch_related(_route_images())
        .order_by(F("featured_rank").asc(nulls_last=True), "-in_report", "title")
        .only(
            "slug",
            "title_zh_hans",
            "title_en",
            "summary_zh_hans",
            "summary_en",
            "is_demo",
            "in_report",
        )[:limit]
    )


def route_detail(*, slug: str, now: dt.datetime | None = None) -> "RouteWithUpcoming":
    """A published route with its stops (attractions, areas, images) and its
    next departures annotated with seats left, prices prefetched.

    Raises Route.DoesNotExist. The departures are in ``route.upcoming``.
    """
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    departures = (
        with_seats(_upcoming_departures(today, with_closed=True), now)
        .order_by("date", "start_time")
        .prefetch_related("prices")
    )
    upcoming = (
        _upcoming_departures(today).filter(route=OuterRef("pk")).order_by("date", "start_time")
    )
    return (
        published_routes()
        .select_related("operator")
        .annotate(next_departure=Subquery(upcoming.values("date")[:1]))
        .prefetch_related(
            _stops_prefetch(with_images=True),
            _route_images(),
            Prefetch("departures", queryset=departures[:ROUTE_PAGE_DEPARTURES], to_attr="upcoming"),
        )
        .get(slug=slug)
    )


def route_stops_by_day(route: Route) -> list[tuple[int, list[RouteStop]]]:
    """[(day, [stops])] from the prefetched stops, in order. Each stop gets
    ``number``, its place in the whole route (as on the plan)."""
    days: dict[int, list[RouteStop]] = {}
    for number, stop in enumerate(route.stops.all(), start=1):
        stop.number = number
        days.setdefault(stop.day, []).append(stop)
    return sorted(days.items())


def route_stops(route: Route) -> list[RouteStop]:
    """The route's stops in order, with their attractions."""
    return list(route.stops.select_related("attraction").order_by("order"))


# --- Bring home: products made near a route's stops ------------------------------------
#
# The rule (one, documented in the README): a product is made near a route
# when its origin (its village, else the producer's area) is within
# BRING_HOME_KM of one of the route's Huairou stops, or lies in the town of
# one of them. The origin's point is the village's coordinates, else its
# town's; a stop's town is its attraction's area (or that area's town when it
# is a village). Dongcheng stops bring nothing: the counters there sell
# Huairou produce anyway.
BRING_HOME_KM = 10.0


def _town_id(area) -> int | None:
    if area is None:
        return None
    return area.parent_id if area.kind == Area.Kind.VILLAGE and area.parent_id else area.pk


def _point(area) -> tuple[float, float] | None:
    for place in (area, getattr(area, "parent", None)):
        if place is not None and place.latitude is not None and place.longitude is not None:
            return float(place.latitude), float(place.longitude)
    return None


def huairou_stops(route: Route) -> list[Attraction]:
    """The route's Huairou attractions, in order, from the prefetched stops."""
    return [s.attraction for s in route.stops.all() if s.attraction.district.code == HUAIROU]


def route_with_stops(*, route_id: int) -> Route:
    """A route with its stops, attractions, their districts and areas."""
    return Route.objects.prefetch_related(_stops_prefetch()).get(pk=route_id)


def route_bring_home(route: Route, *, limit: int | None = 6, with_variants: bool = False) -> list:
    """The products made near the route's Huairou stops (the rule above),
    nearest first, each with ``distance_km`` and ``near_stop`` (the nearest
    stop's attraction). One query whatever the number of stops and products
    (two ``with_variants``: the variants on sale, for the booking form).
    Reads the stops prefetched by ``route_detail``/``bookable_departure``."""
    from marketplace.models import Product, ProductVariant

    stops = huairou_stops(route)
    if not stops:
        return []
    prefixes = ("origin_area", "origin_area__parent", "producer__area", "producer__area__parent")
    near = Q()
    for stop in stops:
        south, north, west, east = bounding_box(
            float(stop.latitude), float(stop.longitude), BRING_HOME_KM
        )
        for prefix in prefixes:
            near |= Q(
                **{
                    f"{prefix}__latitude__range": (Decimal(str(south)), Decimal(str(north))),
                    f"{prefix}__longitude__range": (Decimal(str(west)), Decimal(str(east))),
                }
            )
    towns = {t for t in (_town_id(stop.area) for stop in stops) if t is not None}
    if towns:
        near |= Q(origin_area_id__in=towns) | Q(origin_area__parent_id__in=towns)
        near |= Q(origin_area__isnull=True) & (
            Q(producer__area_id__in=towns) | Q(producer__area__parent_id__in=towns)
        )
    candidates = (
        Product.objects.filter(is_active=True)
        .filter(near)
        .select_related("producer__area__parent", "origin_area__parent", "category")
        .order_by("-is_reported", "position", "pk")
    )
    if with_variants:
        candidates = candidates.prefetch_related(
            Prefetch(
                "variants",
                queryset=ProductVariant.objects.filter(is_active=True).order_by("position", "pk"),
                to_attr="variants_on_sale",
            )
        )
    found = []
    for product in candidates:
        origin = product.origin_area or product.producer.area
        point = _point(origin)
        town = _town_id(origin)
        best: tuple[float, float | None, Attraction] | None = None
        for stop in stops:
            distance = (
                haversine_km(float(stop.latitude), float(stop.longitude), *point) if point else None
            )
            same_town = town is not None and town == _town_id(stop.area)
            if same_town or (distance is not None and distance <= BRING_HOME_KM):
                key = distance if distance is not None else BRING_HOME_KM
                if best is None or key < best[0]:
                    best = (key, distance, stop)
        if best is None:
            continue
        # read by the templates and the booking form (not model fields)
        setattr(product, "distance_km", None if best[1] is None else round(best[1], 1))  # noqa: B010
        setattr(product, "near_stop", best[2])  # noqa: B010
        found.append((best[0], product))
    found.sort(key=lambda pair: pair[0])
    return [product for _key, product in (found if limit is None else found[:limit])]


def route_nearby_products(route: Route, *, limit: int = 6) -> list:
    """The route page's "bring home" products (``route_bring_home``)."""
    return route_bring_home(route, limit=limit)


def trip_counters(route: Route) -> list:
    """The counters a booking of ``route`` may collect its produce at, each
    with ``leg``: "on the way", an open counter of a Huairou centre within
    BRING_HOME_KM of a Huairou stop; "on return", an open counter of a centre
    outside Huairou (Dongcheng's). On the way first, then by distance from the
    nearest stop / by the centres' order. One query."""
    from marketplace.models import Counter

    stops = huairou_stops(route)
    way: list[tuple[float, Counter]] = []
    back: list[Counter] = []
    counters = Counter.objects.filter(is_active=True).select_related(
        "centre__organization__district"
    )
    for counter in counters:
        if counter.centre.organization.district.code == HUAIROU:
            point = counter.map_point
            if point is None or not stops:
                continue
            distance = min(
                haversine_km(
                    float(s.latitude), float(s.longitude), float(point[0]), float(point[1])
                )
                for s in stops
            )
            if distance <= BRING_HOME_KM:
                way.append((distance, counter))
        else:
            back.append(counter)
    way.sort(key=lambda pair: pair[0])
    for distance, counter in way:
        setattr(counter, "leg", BookingProduce.Leg.ON_THE_WAY)  # noqa: B010
        setattr(counter, "distance_km", round(distance, 1))  # noqa: B010
    for counter in back:
        setattr(counter, "leg", BookingProduce.Leg.ON_RETURN)  # noqa: B010
        setattr(counter, "distance_km", None)  # noqa: B010
    return [counter for _d, counter in way] + back


# --- Departures -------------------------------------------------------------------


def departure_list(
    *,
    route: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[Departure]:
    """Departures from ``date_from`` (default today) with ``seats_left``, their
    route and prices, for the API. Cancelled and closed ones are included so a
    client can show why a date is gone."""
    now = now or timezone.now()
    departures = Departure.objects.filter(
        route__is_published=True, date__gte=date_from or local_today()
    )
    if route:
        departures = departures.filter(route__slug=route)
    if date_to:
        departures = departures.filter(date__lte=date_to)
    return (
        with_seats(departures, now)
        .select_related("route")
        .prefetch_related("prices")
        .order_by("date", "start_time", "pk")
    )


# How far ahead the route page's departure calendar looks: this month and the next two.
CALENDAR_MONTHS = 3


@dataclass(frozen=True)
class CalendarDeparture:
    departure: "DepartureWithSeats"
    state: str  # "open", "almost_full", "full" or "closed" (no longer bookable)


@dataclass(frozen=True)
class CalendarDay:
    date: dt.date
    departures: list[CalendarDeparture]


@dataclass(frozen=True)
class CalendarMonth:
    first: dt.date
    weekdays: list[dt.date]  # the first week's seven dates, Monday first, for the headers
    weeks: list[list[CalendarDay | None]]  # None: a day of the month before or after


def departure_calendar(
    *, route: Route, now: dt.datetime | None = None, months: int = CALENDAR_MONTHS
) -> list[CalendarMonth]:
    """Month grids (Monday first) from this month on, with the route's
    scheduled and closed departures of each day, seats left and whether
    they are almost full (``models.is_almost_full``). Months after the
    last departure are left out. One query, whatever the number of
    departures."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    first = today.replace(day=1)
    year, month = first.year, first.month + months
    end = dt.date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    departures = with_seats(
        _upcoming_departures(today, with_closed=True).filter(route=route, date__lt=end), now
    ).order_by("date", "start_time", "pk")
    by_day: dict[dt.date, list[CalendarDeparture]] = {}
    for departure in departures:
        departure.route = route
        if not departure.is_bookable(now):
            state = "closed"
        elif departure.seats_left <= 0:
            state = "full"
        elif is_almost_full(departure.seats_left, departure.capacity):
            state = "almost_full"
        else:
            state = "open"
        by_day.setdefault(departure.date, []).append(CalendarDeparture(departure, state))
    if not by_day:
        return []
    last = max(by_day)
    grids = []
    weeks_of = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar
    while first <= last:
        weeks = [
            [
                CalendarDay(day, by_day.get(day, [])) if day.month == first.month else None
                for day in week
            ]
            for week in weeks_of(first.year, first.month)
        ]
        grids.append(CalendarMonth(first, weeks_of(first.year, first.month)[0], weeks))
        first = (first + dt.timedelta(days=32)).replace(day=1)
    return grids


def is_published_departure(departure_id: int) -> bool:
    """Whether there is such a departure on a published route (any status)."""
    return Departure.objects.filter(pk=departure_id, route__is_published=True).exists()


def bookable_departure(*, route_slug: str, departure_id: int, now=None) -> "DepartureWithSeats":
    """One departure of a published route with seats and prices, for the
    booking page. Raises Departure.DoesNotExist (also for another route's)."""
    return (
        with_seats(Departure.objects.filter(route__is_published=True, route__slug=route_slug), now)
        .select_related("route")
        .prefetch_related("prices", _stops_prefetch(route_lookup="route__stops"))
        .get(pk=departure_id)
    )


# --- Prices -------------------------------------------------------------------------


@dataclass(frozen=True)
class QuoteLine:
    type: str
    label: Any
    count: int
    unit_price: Decimal
    subtotal: Decimal


@dataclass(frozen=True)
class Quote:
    """What a booking of these travellers costs, by traveller type (the
    form's live total; the service copies the same fares into the booking)."""

    lines: list[QuoteLine] = field(default_factory=list)
    total: Decimal = Decimal("0")
    seats: int = 0


def booking_quote(departure: Departure, types: Iterable[str]) -> Quote:
    """The price of one seat of each of ``types`` on ``departure``, grouped by
    type in the order of TravellerType (prices prefetched: no query). A type
    the departure has no fare for is left out: the service refuses it."""
    counts = Counter(types)
    lines = []
    for value, label, price in departure.price_table():
        if counts.get(value):
            lines.append(QuoteLine(value, label, counts[value], price, price * counts[value]))
    return Quote(
        lines=lines,
        total=sum((line.subtotal for line in lines), Decimal("0")),
        seats=sum(line.count for line in lines),
    )


@dataclass(frozen=True)
class RescheduleOption:
    departure: "DepartureWithSeats"
    quote: Quote
    fits: bool  # enough seats left for the booking
    priced: bool  # a fare for each of its travellers


def reschedule_options(
    *, booking: Booking, now: dt.datetime | None = None
) -> list[RescheduleOption]:
    """The other departures of the booking's route it could move to (still
    bookable), soonest first, each with its seats left, whether the booking
    fits, and the booking's travellers at its fares. Two queries, whatever
    the number of departures (the booking's travellers prefetched)."""
    now = now or timezone.now()
    departures = (
        with_seats(
            _upcoming_departures(timezone.localtime(now).date()).filter(
                route_id=booking.departure.route_id
            ),
            now,
        )
        .exclude(pk=booking.departure_id)
        .select_related("route")
        .prefetch_related("prices")
        .order_by("date", "start_time", "pk")[:ROUTE_PAGE_DEPARTURES]
    )
    types = [t.traveller_type for t in booking.travellers.all()]
    options = []
    for departure in departures:
        if departure.is_bookable(now):
            quote = booking_quote(departure, types)
            options.append(
                RescheduleOption(
                    departure=departure,
                    quote=quote,
                    fits=departure.seats_left >= booking.seats,
                    priced=quote.seats == len(types),
                )
            )
    return options


# --- Bookings -----------------------------------------------------------------------


# A booking's produce order (BookingProduce), joined: its counter and centre
# come in the same query, its lines in one more for any number of bookings.
PRODUCE_ORDER = "produce__order__counter__centre__organization"
PRODUCE_LINES = "produce__order__lines"


def _booking_base() -> QuerySet[Booking]:
    return Booking.objects.select_related("departure__route", PRODUCE_ORDER).prefetch_related(
        "travellers", PRODUCE_LINES
    )


def bookings_for_customer(*, user: User | AnonymousUser) -> QuerySet[Booking]:
    """The customer's bookings, newest first, for /account/ and the API."""
    if not user.is_authenticated:
        return Booking.objects.none()
    return _booking_base().filter(customer=user).order_by("-created_at", "-pk")


def bookings_next_change(bookings, *, now: dt.datetime) -> list[dt.datetime]:
    """When what these bookings show changes with the clock alone: a held
    booking's offer expiring, an active booking's departure starting (no
    more cancelling)."""
    moments = []
    for booking in bookings:
        if booking.status == Booking.Status.HELD and booking.hold_expires_at:
            moments.append(booking.hold_expires_at)
        if booking.status in Booking.ACTIVE:
            moments.append(booking.departure.starts_at)
    return [m for m in moments if m > now]


def booking_for_customer(
    *, user: User | AnonymousUser, code: str | None = None, pk: int | None = None
) -> Booking:
    """One of the customer's own bookings. Raises Booking.DoesNotExist for
    anyone else's, so a guessed code or id reveals nothing."""
    lookup = {"code": code} if code is not None else {"pk": pk}
    return bookings_for_customer(user=user).get(**lookup)


def booking_by_code(*, code: str) -> Booking:
    """Any booking by its code, for a link signed for that code (the calendar
    link, tours.links.calendar_url). Raises Booking.DoesNotExist."""
    return _booking_base().get(code=code)


def waitlist_for_customer(
    *, user: User | AnonymousUser, only_waiting: bool = False
) -> QuerySet[WaitlistEntry]:
    if not user.is_authenticated:
        return WaitlistEntry.objects.none()
    entries = WaitlistEntry.objects.filter(customer=user).select_related("departure__route")
    if only_waiting:
        entries = entries.filter(status=WaitlistEntry.Status.WAITING)
    return entries.order_by("-created_at", "-pk")


def waitlist_position(entry: WaitlistEntry) -> int:
    """1 for the first person waiting on the departure."""
    return (
        WaitlistEntry.objects.filter(
            departure_id=entry.departure_id, status=WaitlistEntry.Status.WAITING
        )
        .filter(
            Q(created_at__lt=entry.created_at) | Q(created_at=entry.created_at, pk__lt=entry.pk)
        )
        .count()
        + 1
    )


# --- Operators --------------------------------------------------------------------------


def operator_bookings(*, user: User | AnonymousUser) -> QuerySet[Booking]:
    """Bookings on routes run by the user's organizations (the vendor panel)."""
    return _booking_base().filter(departure__route__operator_id__in=organization_ids_for(user))


def manifest(*, departure: Departure) -> QuerySet[Booking]:
    """The bookings of a departure that travel (or were due to), for the CSV."""
    return (
        Booking.objects.filter(
            departure=departure, status__in=(*Booking.SEATED, Booking.Status.HELD)
        )
        .select_related("customer", PRODUCE_ORDER)
        .prefetch_related("travellers", PRODUCE_LINES)
        .order_by("created_at", "pk")
    )


def manifest_counters(*, departure: Departure) -> list[int]:
    """The counters the departure's travellers collect produce from: an
    order there changing changes the manifest. One query, or none while the
    departure's version holds (a booking's produce is made with the booking,
    whose save bumps its departure; an order never changes counter)."""
    return cache_lib.remembered(
        f"manifest-counters:{departure.pk}",
        version_keys=[cache_lib.item_key("departure", departure.pk)],
        compute=lambda: list(
            BookingProduce.objects.filter(booking__departure=departure)
            .values_list("order__counter_id", flat=True)
            .distinct()
        ),
        seconds=settings.PERSONAL_CACHE_SECONDS,
    )


def manifest_next_change(bookings: list[Booking], *, now: dt.datetime) -> dt.datetime | None:
    """When the manifest of these bookings changes with the clock alone: a
    held seat's offer expiring, a produce order's pickup deadline passing."""
    from marketplace.selectors import orders_next_change

    moments = [
        b.hold_expires_at for b in bookings if b.status == Booking.Status.HELD and b.hold_expires_at
    ]
    moments += orders_next_change(
        [b.produce_order for b in bookings if b.produce_order is not None], now=now
    )
    return min((m for m in moments if m > now), default=None)


def produce_note(booking: Booking) -> str:
    """One line for the check-in desk: the produce the booking collects,
    where and with which code ("" without an open produce order)."""
    order = booking.produce_order
    if order is None or order.status not in order.OPEN_STATUSES:
        return ""
    lines, counter, code, _status = produce_columns(booking)
    return _("Produce: %(lines)s, at %(counter)s, pickup code %(code)s") % {
        "lines": lines,
        "counter": counter,
        "code": code,
    }


def produce_columns(booking: Booking) -> list[str]:
    """The manifest's "who collects what" for one booking: its produce order's
    lines, counter (with on the way / on return), pickup code and status
    ("" × 4 without one). Reads what ``manifest`` joined and prefetched."""
    order = booking.produce_order
    if order is None:
        return ["", "", "", ""]
    lines = "; ".join(
        f"{line.product_name} {line.variant_name} × {line.quantity}" for line in order.line_list
    )
    return [
        lines,
        f"{order.counter} ({booking.produce.get_leg_display()})",
        order.pickup_code_display,
        str(order.get_effective_status_display()),
    ]


def booking_events(*, booking: Booking) -> QuerySet[BookingEvent]:
    return booking.events.select_related("actor").order_by("at", "pk")


def attractions() -> QuerySet[Attraction]:
    return Attraction.objects.select_related("district", "area")


def attraction_detail(*, slug: str) -> Attraction:
    """An attraction with its pictures (``attraction.image_list``). Raises
    Attraction.DoesNotExist. Two queries."""
    return (
        attractions()
        .prefetch_related(
            Prefetch(
                "images",
                queryset=AttractionImage.objects.order_by("position", "pk"),
                to_attr="image_list",
            )
        )
        .get(slug=slug)
    )


def attraction_routes(attraction: Attraction) -> list[Route]:
    """The published routes that stop at ``attraction``, as on the route list
    (stops, pictures, next departure). Four queries."""
    return list(
        route_list(with_images=True).filter(
            Exists(RouteStop.objects.filter(route=OuterRef("pk"), attraction=attraction))
        )
    )


# --- The check-in desk -----------------------------------------------------------------


def desk_operator_ids(*, user: User | AnonymousUser) -> list[int]:
    """The tour operators the user acts for: the check-in desk's scope."""
    ids = organization_ids_for(user)
    if not ids:
        return []
    return list(
        Organization.objects.filter(pk__in=ids, kind=Organization.Kind.TOUR_OPERATOR).values_list(
            "pk", flat=True
        )
    )


def desk_bookings(*, user: User | AnonymousUser) -> QuerySet[Booking]:
    """Bookings on the departures of the user's tour operators (no other's)."""
    return (
        Booking.objects.filter(departure__route__operator_id__in=desk_operator_ids(user=user))
        .select_related("departure__route", PRODUCE_ORDER)
        .prefetch_related("travellers", PRODUCE_LINES)
    )


def desk_manifest(*, user: User | AnonymousUser, today: dt.date) -> list[Booking]:
    """Today's and tomorrow's manifests: the bookings that travel (or were
    due to), by departure. Two queries whatever the number of rows."""
    return list(
        desk_bookings(user=user)
        .filter(
            departure__date__range=(today, today + dt.timedelta(days=1)),
            status__in=(*Booking.SEATED, Booking.Status.CANCELLED),
        )
        .order_by("departure__date", "departure__start_time", "departure_id", "contact_name", "pk")
    )


def booking_item(booking: Booking) -> dict:
    """A booking as the check-in desk shows it and keeps offline."""
    departure = booking.departure
    return {
        "code": booking.code,
        "code_display": booking.code,
        "status": booking.status,
        "status_label": str(Booking.Status(booking.status).label),
        "name": booking.contact_name,
        "phone": booking.contact_phone,
        "seats": booking.seats,
        "total": str(booking.total_price),
        "paid": booking.paid_at is not None,
        "payment_method": booking.payment_method,
        "departure_id": departure.pk,
        "departure": f"{departure.route.title} · {departure.date:%m-%d} {departure.start_time:%H:%M}",
        "date": departure.date.isoformat(),
        # Who collects what on the way or on return (shown under the departure).
        "note": produce_note(booking),
        "lines": [
            {
                "name": traveller.name or str(traveller.get_traveller_type_display()),
                "variant": str(traveller.get_traveller_type_display()),
                "quantity": 1,
                "total": str(traveller.price),
            }
            for traveller in booking.travellers.all()
        ],
    }


# Bookings that travelled or are going to: counted in the impact roll-up.
_TRAVELLING = (
    Booking.Status.CONFIRMED,
    Booking.Status.PAID,
    Booking.Status.CHECKED_IN,
    Booking.Status.NO_SHOW,
)


def impact_rows(start: dt.date, end: dt.date) -> list[ImpactRow]:
    """Bookings on departures from ``start`` to ``end``, by month of the
    departure and route (cancelled, lapsed and held ones not counted)."""
    rows = (
        Booking.objects.filter(status__in=_TRAVELLING, departure__date__range=(start, end))
        .annotate(month=TruncMonth("departure__date"))
        .values(
            "month",
            "departure__is_demo",
            *figures.localized_columns("departure__route__title"),
        )
        .annotate(bookings=Count("pk"), seats=Sum("seats"), amount=Sum("total_price"))
        .order_by()
    )
    return [
        ImpactRow(
            channel="tours",
            month=r["month"],
            route=figures.localized(r, "departure__route__title"),
            count=r["bookings"],
            units=r["seats"] or 0,
            amount=r["amount"] or Decimal("0"),
            is_demo=r["departure__is_demo"],
        )
        for r in rows
    ]
