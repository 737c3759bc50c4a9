"""Reads of the marketplace: every query a page or endpoint needs, done up front.

``featured_products``, ``orders_for_customer``, ``products_near`` and
``consumption_support_figures`` are contracts other apps call.

Availability is computed at read time: a stock row's cached ``held`` still
counts the orders whose pickup deadline has passed until ``expire_orders``
tidies them, so every read adds those holds back (``overdue_held``). The
answer is therefore right at any moment, with or without the periodic job.
"""

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

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
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation.models import Membership, Organization
from cooperation.selectors import organization_ids_for

from .models import (
    BUYER_KINDS,
    FEW_LEFT,
    PRODUCER_KINDS,
    BulkOrder,
    BulkOrderLine,
    BusinessBuyer,
    Category,
    Centre,
    Counter,
    Order,
    OrderLine,
    PriceTier,
    Product,
    ProductImage,
    ProductVariant,
    Stock,
)

# --- Who acts for whom ---------------------------------------------------------------


def _org_ids_of_kind(user, kinds) -> list[int]:
    ids = organization_ids_for(user)
    if not ids:
        return []
    return list(
        Organization.objects.filter(pk__in=ids, kind__in=kinds).values_list("pk", flat=True)
    )


def producer_ids_for(user) -> list[int]:
    """The producers and cooperatives the user acts for."""
    return _org_ids_of_kind(user, PRODUCER_KINDS)


def buyer_ids_for(user) -> list[int]:
    """The supermarkets and restaurants the user acts for (that have a buyer profile)."""
    ids = organization_ids_for(user)
    if not ids:
        return []
    return list(
        BusinessBuyer.objects.filter(
            organization_id__in=ids, organization__kind__in=BUYER_KINDS
        ).values_list("organization_id", flat=True)
    )


def counter_ids_for(user) -> list[int]:
    """Counters the user works at: those they are assigned to (as a member of
    the centre), and every counter of a centre they manage."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_counter_ids", None)
    if cached is not None:
        return cached
    memberships = Membership.objects.filter(
        user=user, organization__kind=Organization.Kind.SUPPORT_CENTRE
    )
    managed = memberships.filter(role=Membership.Role.MANAGER).values("organization_id")
    member_of = memberships.values("organization_id")
    cached = list(
        Counter.objects.filter(
            Q(centre__organization_id__in=managed)
            | Q(assignments__user=user, centre__organization_id__in=member_of)
        )
        .distinct()
        .values_list("pk", flat=True)
    )
    user._counter_ids = cached
    return cached


def works_at(user, counter: Counter) -> bool:
    """District staff, or someone who works at this counter."""
    return bool(
        user and user.is_authenticated and (user.is_staff or counter.pk in counter_ids_for(user))
    )


# --- Availability ----------------------------------------------------------------------


def overdue_held(now: datetime | None = None) -> Coalesce:
    """For a Stock queryset: units still counted in ``held`` by orders whose
    pickup deadline has passed (they no longer hold anything)."""
    now = now or timezone.now()
    lines = (
        OrderLine.objects.filter(
            variant_id=OuterRef("variant_id"),
            order__counter_id=OuterRef("counter_id"),
            order__status__in=Order.OPEN_STATUSES,
            order__pickup_deadline__lte=now,
        )
        .order_by()
        .values("variant_id")
        .annotate(total=Sum("quantity"))
        .values("total")[:1]
    )
    return Coalesce(Subquery(lines, output_field=IntegerField()), Value(0))


def with_available(stocks: QuerySet[Stock], now: datetime | None = None) -> QuerySet[Stock]:
    return stocks.annotate(overdue=overdue_held(now)).annotate(
        available=F("on_hand") - F("held") + F("overdue")
    )


def overdue_by_variant(*, counter_id: int, variant_ids, now: datetime) -> dict[int, int]:
    """The same correction for a few rows the caller has locked (order placement)."""
    rows = (
        OrderLine.objects.filter(
            variant_id__in=list(variant_ids),
            order__counter_id=counter_id,
            order__status__in=Order.OPEN_STATUSES,
            order__pickup_deadline__lte=now,
        )
        .values("variant_id")
        .annotate(total=Sum("quantity"))
    )
    return {row["variant_id"]: row["total"] for row in rows}


def availability_level(available: int) -> str:
    """ "in", "few" or "out": what a page shows instead of an exact count."""
    if available <= 0:
        return "out"
    return "few" if available <= FEW_LEFT else "in"


@dataclass(frozen=True)
class CounterAvailability:
    counter: Counter
    available: int

    @property
    def level(self) -> str:
        return availability_level(self.available)


def _in_stock_subquery(now: datetime, centre_slug: str | None = None) -> Exists:
    stocks = with_available(
        Stock.objects.filter(
            variant__product=OuterRef("pk"),
            variant__is_active=True,
            counter__is_active=True,
            # Only where the counter still carries the producer: nothing else can be reserved.
            counter__producers=OuterRef("producer_id"),
        ),
        now,
    ).filter(available__gt=0)
    if centre_slug:
        stocks = stocks.filter(counter__centre__organization__slug=centre_slug)
    return Exists(stocks)


# --- Catalogue ---------------------------------------------------------------------------


def categories() -> QuerySet[Category]:
    return Category.objects.all()


def producers() -> QuerySet[Organization]:
    """Producers with something on sale, for the filter form."""
    return (
        Organization.objects.filter(kind__in=PRODUCER_KINDS, products__is_active=True)
        .distinct()
        .order_by("name")
    )


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


def _search_q(q: str) -> Q:
    """Substring search over both languages of the name, summary and
    description, and the producer's and village's names. Substring matching
    works for Chinese, which has no spaces between words (see docs)."""
    condition = Q()
    for term in q.split()[:5]:
        term_q = Q()
        for field in (
            "name_zh_hans",
            "name_en",
            "summary_zh_hans",
            "summary_en",
            "description_zh_hans",
            "description_en",
            "producer__name_zh_hans",
            "producer__name_en",
            "origin_area__name_zh_hans",
            "origin_area__name_en",
            "producer__area__name_zh_hans",
            "producer__area__name_en",
            "category__name_zh_hans",
            "category__name_en",
        ):
            term_q |= Q(**{f"{field}__icontains": term})
        condition &= term_q
    return condition


def product_list(
    *,
    category: str | None = None,
    producer: str | None = None,
    centre: str | None = None,
    in_stock: bool | None = None,
    in_season: bool | None = None,
    q: str | None = None,
    now: datetime | None = None,
) -> QuerySet[Product]:
    """Products on sale, filtered; each with ``price_from``, ``in_stock``,
    ``active_variants`` and ``image_list``. A fixed number of queries whatever
    the number of products, variants and counters."""
    now = now or timezone.now()
    products = (
        Product.objects.filter(is_active=True)
        .select_related("producer__area", "category", "origin_area")
        .annotate(
            price_from=_price_from(),
            in_stock=_in_stock_subquery(now, centre or None),
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
    if q and q.strip():
        products = products.filter(_search_q(q.strip()))
    return products.order_by("-is_reported", "position", "pk")


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
            Prefetch("producer__counters", queryset=counters, to_attr="counter_list"),
        )
        .get()
    )
    _attach_availability(product)
    return product


def _attach_availability(product: Product) -> None:
    counters = product.producer.counter_list
    for variant in product.active_variants:
        by_counter = {stock.counter_id: stock.available for stock in variant.stock_list}
        variant.availability = [
            CounterAvailability(c, max(by_counter.get(c.pk, 0), 0)) for c in counters
        ]
        variant.total_available = sum(a.available for a in variant.availability)
    centres = {}
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


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    radius = 6371.0088
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * radius * math.asin(math.sqrt(a))


def products_near(*, latitude, longitude, radius_km: float = 20, limit: int = 6) -> list[Product]:
    """Products whose village (or, failing that, town or producer's area) lies
    within ``radius_km``, nearest first, each with ``distance_km``. A bounding
    box narrows the rows in SQL; the exact distance is computed here. One query."""
    lat, lon = float(latitude), float(longitude)
    dlat = radius_km / 111.0
    dlon = radius_km / (111.0 * max(math.cos(math.radians(lat)), 0.01))
    box = Q()
    for prefix in (
        "origin_area",
        "origin_area__parent",
        "producer__area",
        "producer__area__parent",
    ):
        box |= Q(
            **{
                f"{prefix}__latitude__range": (Decimal(str(lat - dlat)), Decimal(str(lat + dlat))),
                f"{prefix}__longitude__range": (Decimal(str(lon - dlon)), Decimal(str(lon + dlon))),
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


def centre_list() -> QuerySet[Centre]:
    """Centres with their open counters, and each counter's producers and products."""
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
                Prefetch("producers", queryset=producers_qs, to_attr="producer_list")
            ),
            to_attr="counter_list",
        )
    )


def producer_detail(*, slug: str) -> Organization:
    """A producer with its village (and the town above it), products on sale
    and the counters that sell them. Raises Organization.DoesNotExist."""
    producer = (
        Organization.objects.filter(kind__in=PRODUCER_KINDS, slug=slug)
        .select_related("area__parent", "district")
        .prefetch_related(
            Prefetch(
                "products",
                queryset=Product.objects.filter(is_active=True)
                .select_related("category", "origin_area")
                .annotate(price_from=_price_from())
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


# --- Cart and checkout ----------------------------------------------------------------------


@dataclass
class CartLine:
    variant: ProductVariant
    quantity: int

    @property
    def line_total(self) -> Decimal:
        return self.variant.unit_price * self.quantity


def cart_lines(cart: dict[str, int]) -> list[CartLine]:
    """The session cart ({variant id: quantity}) as lines of variants still on sale."""
    ids = [int(key) for key in cart if str(key).isdigit()]
    variants = (
        ProductVariant.objects.filter(pk__in=ids, is_active=True, product__is_active=True)
        .select_related("product__producer")
        .in_bulk()
    )
    return [
        CartLine(variants[int(k)], int(q))
        for k, q in cart.items()
        if str(k).isdigit() and int(k) in variants
    ]


@dataclass
class CounterChoice:
    counter: Counter
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def checkout_counters(*, lines: list[CartLine], now: datetime | None = None) -> list[CounterChoice]:
    """Every open counter, each with what stops it from taking this cart
    (an empty list: it carries everything and has the stock). Three queries."""
    now = now or timezone.now()
    variant_ids = [line.variant.pk for line in lines]
    counters = list(
        Counter.objects.filter(is_active=True)
        .select_related("centre__organization")
        .prefetch_related(
            Prefetch("producers", queryset=Organization.objects.only("pk"), to_attr="producer_list")
        )
        .order_by("centre__position", "centre_id", "position", "pk")
    )
    available = {
        (s.counter_id, s.variant_id): s.available
        for s in with_available(Stock.objects.filter(variant_id__in=variant_ids), now)
    }
    choices = []
    for counter in counters:
        carried = {p.pk for p in counter.producer_list}
        problems = []
        for line in lines:
            name = str(line.variant)
            if line.variant.product.producer_id not in carried:
                problems.append(_("does not sell %(name)s") % {"name": name})
                continue
            have = max(available.get((counter.pk, line.variant.pk), 0), 0)
            if have < line.quantity:
                problems.append(
                    _("has only %(available)s of %(name)s") % {"available": have, "name": name}
                    if have
                    else _("has no %(name)s left") % {"name": name}
                )
        choices.append(CounterChoice(counter, problems))
    return choices


# --- Orders ----------------------------------------------------------------------------------


def _order_qs() -> QuerySet[Order]:
    return Order.objects.select_related(
        "counter__centre__organization", "customer"
    ).prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("pk")))


def orders_for_customer(*, user) -> QuerySet[Order]:
    """The customer's orders, newest first, with their counter, centre and lines."""
    if not user.is_authenticated:
        return Order.objects.none()
    return _order_qs().filter(customer=user).order_by("-placed_at", "-pk")


def order_for_customer(*, user, pk: int) -> Order:
    """Raises Order.DoesNotExist for someone else's order, as for a missing one."""
    return orders_for_customer(user=user).get(pk=pk)


def order_with_history(*, pk: int) -> Order:
    return _order_qs().prefetch_related("events__by").get(pk=pk)


def open_order_by_code(*, code: str, counter_ids: list[int] | None) -> Order | None:
    """The open order with this pickup code, at one of ``counter_ids`` (None: any counter)."""
    orders = _order_qs().filter(pickup_code=normalize_code(code), status__in=Order.OPEN_STATUSES)
    if counter_ids is not None:
        orders = orders.filter(counter_id__in=counter_ids)
    return orders.first()


def normalize_code(code: str) -> str:
    """What a person types or a scanner sends: spaces, dashes and case don't matter."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[:8]


# --- Bulk channel ------------------------------------------------------------------------------


def bulk_catalogue(*, producer: Organization) -> list[Product]:
    """The producer's products on sale, with variants and their tier prices."""
    return list(
        Product.objects.filter(producer=producer, is_active=True)
        .prefetch_related(
            Prefetch(
                "variants",
                queryset=ProductVariant.objects.filter(is_active=True)
                .order_by("position", "pk")
                .prefetch_related(
                    Prefetch("tiers", queryset=PriceTier.objects.order_by("min_quantity"))
                ),
                to_attr="active_variants",
            )
        )
        .order_by("-is_reported", "position", "pk")
    )


def bulk_producers() -> QuerySet[Organization]:
    return (
        Organization.objects.filter(kind__in=PRODUCER_KINDS, products__is_active=True)
        .select_related("area")
        .annotate(
            product_count=Count("products", filter=Q(products__is_active=True), distinct=True)
        )
        .order_by("name")
    )


def bulk_orders_for_buyers(*, buyer_ids: list[int]) -> QuerySet[BulkOrder]:
    return (
        BulkOrder.objects.filter(buyer_id__in=buyer_ids)
        .select_related("buyer", "producer", "requested_by")
        .prefetch_related(Prefetch("lines", queryset=BulkOrderLine.objects.order_by("pk")))
        .order_by("-created_at", "-pk")
    )


def bulk_order_detail(*, pk: int) -> BulkOrder:
    return (
        BulkOrder.objects.select_related("buyer__business_buyer", "producer", "requested_by")
        .prefetch_related(
            Prefetch("lines", queryset=BulkOrderLine.objects.order_by("pk")),
            "events__by",
        )
        .get(pk=pk)
    )


# --- Sales ---------------------------------------------------------------------------------------


@dataclass
class SalesRow:
    key: str
    label: str
    orders: int
    units: int
    amount: Decimal


def _day_bounds(
    date_from: date | None, date_to: date | None
) -> tuple[datetime | None, datetime | None]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(date_from, time.min, tzinfo=tz) if date_from else None
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=tz) if date_to else None
    return start, end


def sales_report(
    *,
    group_by: str,
    date_from: date | None = None,
    date_to: date | None = None,
    producer_ids: list[int] | None = None,
    counter_ids: list[int] | None = None,
) -> list[SalesRow]:
    """What the channel sold, grouped by ``producer``, ``village`` or ``counter``.

    Counted: units collected at the counters (net of returns, by collection
    date) and bulk orders once settled (by settlement date; in the counter
    grouping they form their own rows per channel). ``producer_ids`` /
    ``counter_ids`` limit it to a vendor's own sales (None: everything).
    """
    if group_by not in ("producer", "village", "counter"):
        raise ValueError(group_by)
    start, end = _day_bounds(date_from, date_to)
    net_units = F("quantity") - F("returned_quantity")

    retail = OrderLine.objects.filter(order__status=Order.Status.COLLECTED)
    if start:
        retail = retail.filter(order__closed_at__gte=start)
    if end:
        retail = retail.filter(order__closed_at__lt=end)
    if producer_ids is not None:
        retail = retail.filter(producer_id__in=producer_ids)
    if counter_ids is not None:
        retail = retail.filter(order__counter_id__in=counter_ids)

    bulk = BulkOrderLine.objects.filter(bulk_order__status=BulkOrder.Status.SETTLED)
    if start:
        bulk = bulk.filter(bulk_order__settled_at__gte=start)
    if end:
        bulk = bulk.filter(bulk_order__settled_at__lt=end)
    if producer_ids is not None:
        bulk = bulk.filter(bulk_order__producer_id__in=producer_ids)
    if counter_ids is not None:
        bulk = bulk.none()  # counters see their own sales; bulk orders bypass them

    # (id field, label field) per grouping, for retail lines and bulk lines.
    retail_keys = {
        "producer": ("producer_id", "producer__name"),
        "village": ("village_id", "village__name"),
        "counter": ("order__counter_id", "order__counter__name"),
    }[group_by]
    bulk_keys = {
        "producer": ("bulk_order__producer_id", "bulk_order__producer__name"),
        "village": ("village_id", "village__name"),
        "counter": ("bulk_order__buyer__kind", "bulk_order__buyer__kind"),
    }[group_by]
    retail_fields = [*retail_keys]
    if group_by == "counter":
        retail_fields.append("order__counter__centre__organization__name")

    rows: dict[str, SalesRow] = {}

    def add(key: str, label: str, orders: int, units: int, amount: Decimal) -> None:
        row = rows.setdefault(key, SalesRow(key, label, 0, 0, Decimal("0.00")))
        row.orders += orders or 0
        row.units += units or 0
        row.amount += amount

    for row in (
        retail.values(*retail_fields)
        .annotate(
            n_orders=Count("order_id", distinct=True),
            units=Sum(net_units),
            amount=Sum(net_units * F("unit_price")),
        )
        .order_by()
    ):
        label = row[retail_keys[1]] or _("(no village recorded)")
        if group_by == "counter":
            label = f"{row['order__counter__centre__organization__name']} · {label}"
        add(
            f"{group_by}:{row[retail_keys[0]]}",
            label,
            row["n_orders"],
            row["units"],
            _decimal(row["amount"]),
        )

    for row in (
        bulk.values(*dict.fromkeys(bulk_keys))
        .annotate(
            n_orders=Count("bulk_order_id", distinct=True),
            units=Sum("quantity"),
            amount=Sum("line_total"),
        )
        .order_by()
    ):
        if group_by == "counter":
            key = f"bulk:{row[bulk_keys[0]]}"
            label = (
                _("Farm-to-restaurant (bulk)")
                if row[bulk_keys[0]] == Organization.Kind.RESTAURANT
                else _("Farm-to-supermarket (bulk)")
            )
        else:
            key = f"{group_by}:{row[bulk_keys[0]]}"
            label = row[bulk_keys[1]] or _("(no village recorded)")
        add(key, label, row["n_orders"], row["units"], _decimal(row["amount"]))

    return sorted(rows.values(), key=lambda r: (-r.amount, r.label))


def _decimal(value) -> Decimal:
    # SQLite sums decimals as floats; money is always shown to the fen.
    if value is None:
        return Decimal("0.00")
    return Decimal(str(value)).quantize(Decimal("0.01"))


def consumption_support_figures() -> list[dict]:
    """The channel's totals from real sales (collected orders net of returns,
    settled bulk orders), for the cooperation dashboard."""
    net_units = F("quantity") - F("returned_quantity")
    retail = OrderLine.objects.filter(order__status=Order.Status.COLLECTED)
    retail_totals = retail.aggregate(units=Sum(net_units), amount=Sum(net_units * F("unit_price")))
    bulk = BulkOrderLine.objects.filter(bulk_order__status=BulkOrder.Status.SETTLED)
    bulk_totals = bulk.aggregate(units=Sum("quantity"), amount=Sum("line_total"))
    villages = set(retail.exclude(village=None).values_list("village_id", flat=True).distinct())
    villages |= set(bulk.exclude(village=None).values_list("village_id", flat=True).distinct())
    demo = (
        retail.filter(order__is_demo=True).exists()
        or bulk.filter(bulk_order__is_demo=True).exists()
    )
    amount = _decimal(retail_totals["amount"]) + _decimal(bulk_totals["amount"])
    units = (retail_totals["units"] or 0) + (bulk_totals["units"] or 0)
    note = (
        _("From this site's sales, including demo orders.")
        if demo
        else _("From this site's collected orders and settled bulk orders.")
    )
    return [
        {"label": _("Consumption-support sales"), "value": amount, "unit": _("yuan"), "note": note},
        {
            "label": _("Units of Huairou products sold"),
            "value": units,
            "unit": _("units"),
            "note": note,
        },
        {
            "label": _("Villages supported by these sales"),
            "value": len(villages),
            "unit": _("villages"),
            "note": note,
        },
    ]


# --- Ledger check ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StockMismatch:
    stock_id: int
    label: str
    field: str
    cached: int
    expected: int


def stock_mismatches() -> list[StockMismatch]:
    """Every cached figure that differs from what it caches: ``on_hand`` and
    ``held`` from the ledger's sums, and ``held`` from the lines of open orders.
    Four queries whatever the size."""
    from .models import StockMovement

    ledger = {
        row["stock_id"]: row
        for row in StockMovement.objects.values("stock_id")
        .annotate(on_hand=Sum("quantity"), held=Sum("held_delta"))
        .order_by()
    }
    open_lines = {
        (row["variant_id"], row["order__counter_id"]): row["n"]
        for row in OrderLine.objects.filter(order__status__in=Order.OPEN_STATUSES)
        .values("variant_id", "order__counter_id")
        .annotate(n=Sum("quantity"))
        .order_by()
    }
    problems = []
    seen = set()
    for stock in (
        Stock.objects.select_related("variant", "counter").order_by("pk").iterator(chunk_size=2000)
    ):
        seen.add((stock.variant_id, stock.counter_id))
        sums = ledger.get(stock.pk, {"on_hand": 0, "held": 0})
        label = f"{stock.variant.sku} @ counter {stock.counter_id}"
        if stock.on_hand != (sums["on_hand"] or 0):
            problems.append(
                StockMismatch(stock.pk, label, "on_hand", stock.on_hand, sums["on_hand"] or 0)
            )
        if stock.held != (sums["held"] or 0):
            problems.append(
                StockMismatch(stock.pk, label, "held (ledger)", stock.held, sums["held"] or 0)
            )
        expected_held = open_lines.get((stock.variant_id, stock.counter_id), 0)
        if stock.held != expected_held:
            problems.append(
                StockMismatch(stock.pk, label, "held (open orders)", stock.held, expected_held)
            )
    for (variant_id, counter_id), n in open_lines.items():
        if (variant_id, counter_id) not in seen:
            problems.append(
                StockMismatch(
                    0, f"variant {variant_id} @ counter {counter_id}", "held (no stock row)", 0, n
                )
            )
    return problems


def orders_overdue(now: datetime | None = None) -> QuerySet[Order]:
    return Order.objects.filter(
        status__in=Order.OPEN_STATUSES, pickup_deadline__lte=now or timezone.now()
    ).order_by("pk")
