"""Cart, checkout, orders and bulk orders as their pages and endpoints read them."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import cache as cache_lib
from core import codes
from core.models import IdempotencyKey
from organizations.models import Organization

from ..models import (
    PRODUCER_KINDS,
    BulkOrder,
    BulkOrderLine,
    Counter,
    Order,
    OrderLine,
    PriceTier,
    Product,
    ProductVariant,
    Stock,
)
from .access import buyer_ids_for
from .availability import with_available


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


def open_counter(pk: int) -> Counter | None:
    """The active counter ``pk`` with its centre and the centre's
    organization (what an order's answer shows), or None: for placing an
    order, from the shared cache until a counter, centre or organization is
    edited (their admins bump the editorial and organizations scopes)."""

    def compute() -> Counter | None:
        return (
            Counter.objects.filter(pk=pk, is_active=True)
            .select_related("centre__organization")
            .first()
        )

    return cache_lib.remembered(
        f"open-counter:{pk}",
        version_keys=cache_lib.scope_keys(("editorial", "organizations")),
        compute=compute,
        seconds=settings.PERSONAL_CACHE_SECONDS,
    )


def best_stock(*, variant_id: int, now: datetime | None = None) -> tuple[Counter | None, int]:
    """The open counter that can reserve the most of a variant (it carries
    the producer), with that number; (None, 0) when none has any. One query."""
    now = now or timezone.now()
    stock = (
        with_available(
            Stock.objects.filter(
                variant_id=variant_id,
                counter__is_active=True,
                counter__producers=F("variant__product__producer"),
            ),
            now,
        )
        .select_related("counter__centre__organization")
        .order_by("-available", "counter__position", "counter_id")
        .first()
    )
    if stock is None or stock.available <= 0:
        return None, 0
    return stock.counter, stock.available


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


def _order_qs() -> QuerySet[Order]:
    return Order.objects.select_related(
        "counter__centre__organization", "customer"
    ).prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("pk")))


def orders_for_customer(*, user: User | AnonymousUser) -> QuerySet[Order]:
    """The customer's orders, newest first, with their counter, centre and lines."""
    if not user.is_authenticated:
        return Order.objects.none()
    return _order_qs().filter(customer=user).order_by("-placed_at", "-pk")


def orders_next_change(orders, *, now: datetime) -> list[datetime]:
    """When what these orders show changes with the clock alone: an open
    order's pickup deadline (it shows as expired from then on)."""
    return [o.pickup_deadline for o in orders if o.is_open and o.pickup_deadline > now]


def order_for_customer(*, user: User | AnonymousUser, pk: int) -> Order:
    """Raises Order.DoesNotExist for someone else's order, as for a missing one."""
    return orders_for_customer(user=user).get(pk=pk)


def order_by_pickup_code(*, code: str, orders: QuerySet[Order]) -> Order | None:
    """The order with this pickup code (typed or scanned) among ``orders``
    (the desk's: those at the user's counters): an open one first, else the
    latest, since a code is reused once its order is closed. With its lines
    and events for the desk's page."""
    return (
        orders.filter(pickup_code=codes.normalise(code))
        .annotate(
            open_first=Case(
                When(status__in=Order.OPEN_STATUSES, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .prefetch_related("lines", "events__by")
        .order_by("open_first", "-placed_at")
        .first()
    )


# The scope of the web checkout form's one-time keys (see services.order_place_once).
WEB_CHECKOUT_SCOPE = "web-checkout"


def order_placed_with_key(*, user: User, key: str) -> Order | None:
    """The order the checkout form with this one-time key already placed, if any."""
    if not key:
        return None
    claim = IdempotencyKey.objects.filter(
        user=user, scope=WEB_CHECKOUT_SCOPE, key=key[:255]
    ).first()
    if claim is None or not claim.response_body.get("order"):
        return None
    return Order.objects.filter(pk=claim.response_body["order"], customer=user).first()


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


def bulk_buyers_for(*, user: User | AnonymousUser) -> list[Organization]:
    """The supermarkets and restaurants ``user`` orders in bulk for."""
    return list(Organization.objects.filter(pk__in=buyer_ids_for(user)).order_by("name"))


def bulk_producer(*, slug: str) -> Organization:
    """A producer or cooperative to order from in bulk; DoesNotExist for anyone else."""
    return Organization.objects.get(slug=slug, kind__in=PRODUCER_KINDS)


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
