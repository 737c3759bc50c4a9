"""The catalogue: product list and detail, centres, producers, the home page and nearby products."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from core import search
from core.geo import bounding_box, haversine_km
from organizations.models import Organization

from ..models import (
    PRODUCER_KINDS,
    Category,
    Centre,
    Counter,
    OpeningException,
    Product,
    ProductImage,
    ProductVariant,
    Stock,
)
from .availability import CounterAvailability, in_stock_subquery, with_available

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from .availability import StockWithAvailable

    class StockList(TypedDict):
        stock_list: list[StockWithAvailable]

    class ActiveVariants(TypedDict):
        active_variants: list[WithAnnotations[ProductVariant, StockList]]

    # What product_detail loads before _attach_availability completes it.
    ProductWithVariants = WithAnnotations[Product, ActiveVariants]


def categories() -> QuerySet[Category]:
    return Category.objects.all()


def producers() -> QuerySet[Organization]:
    """Producers with something on sale, for the filter form."""
    return (
        Organization.objects.filter(kind__in=PRODUCER_KINDS, products__is_active=True)
        .distinct()
        .order_by("name")
    )


def producer_search(*, q: str) -> QuerySet[Organization]:
    """Producers matching the site search (core.search), best first: all of
    them, on sale or not, since each has a page."""
    found = search.filter_queryset(
        Organization.objects.filter(kind__in=PRODUCER_KINDS).select_related("area"), q
    )
    return found.order_by("-search_rank", "name")


def centres_for_filter() -> QuerySet[Centre]:
    return Centre.objects.select_related("organization")


def _active_variants() -> Prefetch:
    return Prefetch(
        "variants",
        queryset=ProductVariant.objects.filter(is_active=True).order_by("position", "pk"),
        to_attr="active_variants",
    )


def _images() -> Prefetch:
    return Prefetch(
        "images", queryset=ProductImage.objects.order_by("position", "pk"), to_attr="image_list"
    )


def _price_from() -> Subquery:
    """The cheapest variant on sale (a subquery, so the list needs no GROUP BY)."""
    return Subquery(
        ProductVariant.objects.filter(product=OuterRef("pk"), is_active=True)
        .order_by("unit_price")
        .values("unit_price")[:1]
    )


def product_list(
    *,
    category: str | None = None,
    producer: str | None = None,
    centre: str | None = None,
    in_stock: bool | None = None,
    in_season: bool | None = None,
    q: str | None = None,
    sort: str | None = None,
    now: datetime | None = None,
) -> QuerySet[Product]:
    """Products on sale, filtered; each with ``price_from``, ``in_stock``,
    ``active_variants`` and ``image_list``. A fixed number of queries whatever
    the number of products, variants and counters.

    ``sort``: one of ``SORTS`` (cheapest first by the lowest variant price,
    dearest first, newest first, in season first); otherwise the best search
    matches first, else the report's products first. An unknown value is the
    default order."""
    now = now or timezone.now()
    products = (
        Product.objects.filter(is_active=True)
        .select_related("producer__area", "category", "origin_area")
        .annotate(
            price_from=_price_from(),
            in_stock=in_stock_subquery(now, centre or None),
        )
        .prefetch_related(_active_variants(), _images())
    )
    if category:
        products = products.filter(category__slug=category)
    if producer:
        products = products.filter(producer__slug=producer)
    if centre:
        carried = Counter.objects.filter(
            centre__organization__slug=centre, is_active=True, producers=OuterRef("producer_id")
        )
        products = products.filter(Exists(carried))
    if in_stock:
        products = products.filter(in_stock=True)
    elif in_stock is False:
        products = products.filter(in_stock=False)
    if in_season:
        products = products.filter(_in_season_q(timezone.localtime(now).month))
    default: tuple[str, ...] = ("-is_reported", "position", "pk")
    if q and q.strip():
        # The site search (core.search): names, descriptions, producer, village
        # and category, any language or script, pinyin; best matches first.
        products = search.filter_queryset(products, q)
        default = ("-search_rank", *default)
    if sort == "season":
        products = products.annotate(season_rank=_season_rank(timezone.localtime(now).month))
    return products.order_by(*SORTS.get(sort or "", ()), *default)


# The order of each ``sort`` value, before the default order breaks ties.
SORTS: dict[str, tuple] = {
    "price": (F("price_from").asc(nulls_last=True),),
    "-price": (F("price_from").desc(nulls_last=True),),
    "new": ("-created_at",),
    "season": ("season_rank",),
}


def _season_rank(month: int) -> Case:
    """0 for a product whose season is now, 1 for one sold all year, 2 for
    one out of season: "in season first" puts what is fresh now on top."""
    return Case(
        When(season_start_month__isnull=True, then=Value(1)),
        When(_in_season_q(month), then=Value(0)),
        default=Value(2),
        output_field=IntegerField(),
    )


def _in_season_q(month: int) -> Q:
    return (
        Q(season_start_month__isnull=True)
        | (
            Q(season_start_month__lte=F("season_end_month"))
            & Q(season_start_month__lte=month, season_end_month__gte=month)
        )
        # A season that runs over the new year, e.g. October to March.
        | (
            Q(season_start_month__gt=F("season_end_month"))
            & (Q(season_start_month__lte=month) | Q(season_end_month__gte=month))
        )
    )


def product_detail(*, slug: str, now: datetime | None = None) -> Product:
    """One product on sale with its variants, each carrying ``availability``:
    a CounterAvailability for every open counter that carries the producer.
    Raises Product.DoesNotExist."""
    now = now or timezone.now()
    stocks = with_available(Stock.objects.filter(counter__is_active=True), now)
    counters = (
        Counter.objects.filter(is_active=True)
        .select_related("centre__organization")
        .order_by("centre__position", "centre_id", "position", "pk")
    )
    product = (
        Product.objects.filter(is_active=True, slug=slug)
        .select_related("producer__area__parent", "category", "origin_area__parent")
        .prefetch_related(
            Prefetch(
                "variants",
                queryset=ProductVariant.objects.filter(is_active=True)
                .order_by("position", "pk")
                .prefetch_related(
                    Prefetch("stocks", queryset=stocks, to_attr="stock_list"), "tiers"
                ),
                to_attr="active_variants",
            ),
            _images(),
            "certifications",
            Prefetch("producer__counters", queryset=counters),
        )
        .get()
    )
    _attach_availability(product)
    return product


def _attach_availability(product: "ProductWithVariants") -> None:
    counters = list(product.producer.counters.all())  # prefetched: the open ones
    for variant in product.active_variants:
        by_counter = {stock.counter_id: stock.available for stock in variant.stock_list}
        variant.availability = [
            CounterAvailability(c, max(by_counter.get(c.pk, 0), 0)) for c in counters
        ]
        variant.total_available = sum(a.available for a in variant.availability)
    centres: dict[int, Centre] = {}
    for counter in counters:
        centres.setdefault(counter.centre_id, counter.centre)
    product.centres = list(centres.values())


def featured_products(*, limit: int = 8) -> list[Product]:
    """For the home page: the report's four products first, then the rest."""
    return list(
        Product.objects.filter(is_active=True)
        .select_related("producer", "category")
        .prefetch_related(_images())
        .annotate(price_from=_price_from())
        .order_by("-is_reported", "position", "pk")[:limit]
    )


def _coordinates(product: Product) -> tuple[float, float] | None:
    for area in (
        product.origin_area,
        product.origin_area.parent if product.origin_area else None,
        product.producer.area,
        product.producer.area.parent if product.producer.area else None,
    ):
        if area is not None and area.latitude is not None and area.longitude is not None:
            return float(area.latitude), float(area.longitude)
    return None


def products_near(*, latitude, longitude, radius_km: float = 20, limit: int = 6) -> list[Product]:
    """Products whose village (or, failing that, town or producer's area) lies
    within ``radius_km``, nearest first, each with ``distance_km``. A bounding
    box narrows the rows in SQL; the exact distance is computed here. One query."""
    lat, lon = float(latitude), float(longitude)
    south, north, west, east = bounding_box(lat, lon, radius_km)
    box = Q()
    for prefix in (
        "origin_area",
        "origin_area__parent",
        "producer__area",
        "producer__area__parent",
    ):
        box |= Q(
            **{
                f"{prefix}__latitude__range": (Decimal(str(south)), Decimal(str(north))),
                f"{prefix}__longitude__range": (Decimal(str(west)), Decimal(str(east))),
            }
        )
    candidates = (
        Product.objects.filter(is_active=True)
        .filter(box)
        .select_related("producer__area__parent", "origin_area__parent", "category")
        .order_by("-is_reported", "position", "pk")
    )
    found = []
    for product in candidates:
        point = _coordinates(product)
        if point is None:
            continue
        distance = haversine_km(lat, lon, *point)
        if distance <= radius_km:
            product.distance_km = round(distance, 1)
            found.append(product)
    found.sort(key=lambda p: p.distance_km)
    return found[:limit]


# How far ahead the centres page lists closures and changed hours.
EXCEPTIONS_AHEAD_DAYS = 45


def centre_list(*, today: date | None = None) -> QuerySet[Centre]:
    """Centres with their open counters, and each counter's producers and
    products, weekly opening hours and the exceptions of the next
    ``EXCEPTIONS_AHEAD_DAYS`` (``upcoming_exceptions``)."""
    today = today or timezone.localdate()
    producers_qs = (
        Organization.objects.select_related("area").prefetch_related(
            Prefetch(
                "products",
                queryset=Product.objects.filter(is_active=True).order_by(
                    "-is_reported", "position", "pk"
                ),
                to_attr="active_products",
            )
        )
    ).order_by("name")
    return Centre.objects.select_related("organization").prefetch_related(
        Prefetch(
            "counters",
            queryset=Counter.objects.filter(is_active=True)
            .order_by("position", "pk")
            .prefetch_related(
                Prefetch("producers", queryset=producers_qs, to_attr="producer_list"),
                "opening_hours",
                Prefetch(
                    "opening_exceptions",
                    queryset=OpeningException.objects.filter(
                        date__gte=today, date__lte=today + timedelta(days=EXCEPTIONS_AHEAD_DAYS)
                    ),
                    to_attr="upcoming_exceptions",
                ),
            ),
            to_attr="counter_list",
        )
    )


def producer_detail(*, slug: str, now: datetime | None = None) -> Organization:
    """A producer with its village (and the town above it), products on sale
    (each with ``price_from`` and ``in_stock``) and the counters that sell
    them. Raises Organization.DoesNotExist."""
    now = now or timezone.now()
    producer = (
        Organization.objects.filter(kind__in=PRODUCER_KINDS, slug=slug)
        .select_related("area__parent", "district")
        .prefetch_related(
            Prefetch(
                "products",
                queryset=Product.objects.filter(is_active=True)
                .select_related("producer__area", "category", "origin_area")
                .annotate(price_from=_price_from(), in_stock=in_stock_subquery(now))
                .prefetch_related(_images())
                .order_by("-is_reported", "position", "pk"),
                to_attr="active_products",
            ),
            Prefetch(
                "counters",
                queryset=Counter.objects.filter(is_active=True).select_related(
                    "centre__organization"
                ),
                to_attr="counter_list",
            ),
        )
        .get()
    )
    return producer
