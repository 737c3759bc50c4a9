"""Every change to stock, orders and bulk orders goes through a function here.

Locking rules (they are what keeps orders from overselling and from
deadlocking each other):

* Stock rows are locked with ``select_for_update()`` in one statement ordered
  by primary key, so two transactions wanting overlapping rows queue up in the
  same order instead of waiting on each other.
* A transaction that changes an order locks that order's row *first*, then its
  stock rows; nothing locks stock and then an order.
* The cached ``on_hand``/``held`` figures are changed only while their row is
  locked, in the same transaction as the ledger row that explains the change.

Services that notify someone take ``notify`` (False for imports and demo
data: nothing is e-mailed) and those that date rows take ``now``.

Stock moves like this (see docs/marketplace.md): placing an order *holds*
units (held +n); collecting it *sells* them (on hand −n, held −n); cancelling
or expiry *releases* the hold (held −n). Receipts, returns and corrections
change what is on hand. Available = on hand − held (+ the holds of orders
past their deadline, which no longer count).
"""

import secrets
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from config.cache import bump
from cooperation.models import Organization

from . import errors
from .models import (
    BUYER_KINDS,
    MAX_BULK_LINE_QUANTITY,
    MAX_LINE_QUANTITY,
    MAX_ORDER_LINES,
    BulkOrder,
    BulkOrderEvent,
    BulkOrderLine,
    Counter,
    Order,
    OrderEvent,
    OrderLine,
    PaymentMethod,
    ProductVariant,
    Stock,
    StockMovement,
)
from .selectors import buyer_ids_for, overdue_by_variant, producer_ids_for, works_at
from .tasks import bulk_email_on_commit, order_email_on_commit

# No 0/O, 1/I/L: a code is read aloud across a counter and typed from a phone.
PICKUP_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
PICKUP_CODE_LENGTH = 6
REMINDER_BEFORE = timedelta(days=1)


# --- Stock --------------------------------------------------------------------------------


def _lock_stocks(
    *, counter_id: int, variant_ids: Iterable[int], create: bool = False
) -> dict[int, Stock]:
    """Locks the (variant, counter) stock rows in primary-key order; returns
    {variant id: Stock}. With ``create``, missing rows are made first (an
    insert that loses a race to another one is simply ignored)."""
    variant_ids = sorted(set(variant_ids))
    if create:
        Stock.objects.bulk_create(
            [Stock(variant_id=v, counter_id=counter_id) for v in variant_ids], ignore_conflicts=True
        )
    rows = (
        Stock.objects.select_for_update()
        .filter(counter_id=counter_id, variant_id__in=variant_ids)
        .order_by("pk")
    )
    return {stock.variant_id: stock for stock in rows}


def _apply(
    stock: Stock,
    *,
    kind: str,
    quantity: int = 0,
    held: int = 0,
    by=None,
    order=None,
    reason: str = "",
    now=None,
):
    """Adds one ledger row and changes the cached figures of a locked stock row to match."""
    movement = StockMovement.objects.create(
        stock=stock,
        kind=kind,
        quantity=quantity,
        held_delta=held,
        order=order,
        created_by=by,
        reason=reason,
        created_at=now or timezone.now(),
    )
    Stock.objects.filter(pk=stock.pk).update(on_hand=F("on_hand") + quantity, held=F("held") + held)
    stock.on_hand += quantity
    stock.held += held
    return movement


def _require_counter_staff(by, counter: Counter) -> None:
    if not works_at(by, counter):
        raise errors.NotAllowed(
            _("Only the staff of %(counter)s can do this.") % {"counter": counter}
        )


def _check_quantity(quantity, *, low: int, high: int, what) -> int:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not low <= quantity <= high:
        raise errors.InvalidQuantity(
            _("The quantity of %(what)s must be a whole number from %(low)s to %(high)s.")
            % {"what": what, "low": low, "high": high}
        )
    return quantity


def stock_receive(
    *,
    counter: Counter,
    variant: ProductVariant,
    quantity: int,
    by,
    reason: str = "",
    now: datetime | None = None,
) -> StockMovement:
    """Goods arrived at the counter (a ledger receipt). ``now`` dates the row
    (imports of past deliveries); it defaults to the present."""
    _require_counter_staff(by, counter)
    _check_quantity(quantity, low=1, high=100_000, what=variant)
    with transaction.atomic():
        if not counter.producers.filter(pk=variant.product.producer_id).exists():
            raise errors.VariantNotCarried(
                _("%(counter)s does not carry %(producer)s's products.")
                % {"counter": counter, "producer": variant.product.producer}
            )
        stock = _lock_stocks(counter_id=counter.pk, variant_ids=[variant.pk], create=True)[
            variant.pk
        ]
        movement = _apply(
            stock,
            kind=StockMovement.Kind.RECEIPT,
            quantity=quantity,
            by=by,
            reason=(reason or "").strip(),
            now=now,
        )
        bump("marketplace")
    return movement


def stock_correct(
    *, counter: Counter, variant: ProductVariant, quantity: int, by, reason: str
) -> StockMovement:
    """A counted difference (breakage, spoilage, a miscount): ``quantity`` is
    signed. On hand may not go below zero, nor below what open orders hold."""
    _require_counter_staff(by, counter)
    if (
        isinstance(quantity, bool)
        or not isinstance(quantity, int)
        or quantity == 0
        or abs(quantity) > 100_000
    ):
        raise errors.InvalidQuantity(_("A correction is a whole number of units, not zero."))
    reason = (reason or "").strip()
    if not reason:
        raise errors.ReasonRequired(_("Say why the stock is corrected."))
    with transaction.atomic():
        now = timezone.now()
        stock = _lock_stocks(counter_id=counter.pk, variant_ids=[variant.pk], create=True)[
            variant.pk
        ]
        live_held = stock.held - overdue_by_variant(
            counter_id=counter.pk, variant_ids=[variant.pk], now=now
        ).get(variant.pk, 0)
        if stock.on_hand + quantity < max(live_held, 0):
            raise errors.InvalidStockChange(
                _(
                    "%(variant)s: %(on_hand)s on hand and %(held)s held by open orders; "
                    "a change of %(quantity)s would leave too few. Cancel an order first."
                )
                % {
                    "variant": variant,
                    "on_hand": stock.on_hand,
                    "held": live_held,
                    "quantity": quantity,
                }
            )
        movement = _apply(
            stock,
            kind=StockMovement.Kind.CORRECTION,
            quantity=quantity,
            by=by,
            reason=reason,
            now=now,
        )
        bump("marketplace")
    return movement


def order_line_return(*, line: OrderLine, quantity: int, by, reason: str) -> StockMovement:
    """Collected goods brought back and put on sale again (refunded at the counter)."""
    reason = (reason or "").strip()
    if not reason:
        raise errors.ReasonRequired(_("Say why the goods came back."))
    with transaction.atomic():
        order = Order.objects.select_for_update().select_related("counter").get(pk=line.order_id)
        _require_counter_staff(by, order.counter)
        if order.status != Order.Status.COLLECTED:
            raise errors.InvalidTransition(_("Only collected orders can have returns."))
        line = OrderLine.objects.get(pk=line.pk)
        returnable = line.quantity - line.returned_quantity
        if returnable < 1:
            raise errors.InvalidQuantity(_("Every unit of this line has already been returned."))
        _check_quantity(quantity, low=1, high=returnable, what=line.product_name)
        stock = _lock_stocks(
            counter_id=order.counter_id, variant_ids=[line.variant_id], create=True
        )[line.variant_id]
        OrderLine.objects.filter(pk=line.pk).update(
            returned_quantity=F("returned_quantity") + quantity
        )
        movement = _apply(
            stock,
            kind=StockMovement.Kind.RETURN,
            quantity=quantity,
            by=by,
            order=order,
            reason=reason,
        )
        bump("marketplace")
        bump("cooperation")  # the dashboard's sales figures are net of returns
    return movement


# --- Orders ---------------------------------------------------------------------------------


def _merge_lines(lines) -> dict[int, int]:
    """{variant id: quantity} from [{"variant": id|ProductVariant, "quantity": n}] or
    [(variant, n)]; the same variant twice is added up."""
    wanted: dict[int, int] = {}
    for line in lines or ():
        if isinstance(line, Mapping):
            variant, quantity = line.get("variant"), line.get("quantity")
        else:
            variant, quantity = line
        variant_id = variant.pk if isinstance(variant, ProductVariant) else variant
        if isinstance(variant_id, bool) or not isinstance(variant_id, int):
            raise errors.UnknownVariant(_("Each line needs a product variant id."))
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
            raise errors.InvalidQuantity(
                _("Quantities must be whole numbers from 1 to %(max)s.")
                % {"max": MAX_LINE_QUANTITY}
            )
        wanted[variant_id] = wanted.get(variant_id, 0) + quantity
    if not wanted:
        raise errors.EmptyOrder()
    if len(wanted) > MAX_ORDER_LINES:
        raise errors.TooManyLines(
            _("At most %(max)s different products in one order.") % {"max": MAX_ORDER_LINES}
        )
    return wanted


def _new_pickup_code() -> str:
    return "".join(secrets.choice(PICKUP_ALPHABET) for _ in range(PICKUP_CODE_LENGTH))


def _create_order(**fields) -> Order:
    # The partial unique index makes a clash with an open order's code an
    # IntegrityError; the savepoint lets us draw again (31^6 ≈ 887 million codes).
    for _attempt in range(20):
        try:
            with transaction.atomic():
                return Order.objects.create(pickup_code=_new_pickup_code(), **fields)
        except IntegrityError:
            continue
    raise RuntimeError("could not draw a free pickup code")  # pragma: no cover


def order_place(
    *,
    customer,
    counter: Counter,
    lines: Iterable,
    language: str | None = None,
    now: datetime | None = None,
    is_demo: bool = False,
    notify: bool = True,
) -> Order:
    """Reserves every line at ``counter`` or nothing, and returns the order.

    Raises UnknownVariant, VariantNotCarried, InvalidQuantity, EmptyOrder,
    TooManyLines, CounterUnavailable (400) or InsufficientStock (409, naming
    the line). The stock rows are locked in primary-key order before they are
    read, so concurrent orders queue up and never oversell.
    """
    wanted = _merge_lines(lines)
    for variant_id, quantity in wanted.items():
        if quantity > MAX_LINE_QUANTITY:
            raise errors.InvalidQuantity(
                _(
                    "At most %(max)s of one product per order (line with variant %(id)s asks for %(n)s)."
                )
                % {"max": MAX_LINE_QUANTITY, "id": variant_id, "n": quantity}
            )
    now = now or timezone.now()
    with transaction.atomic():
        counter = Counter.objects.select_related("centre__organization").get(pk=counter.pk)
        if not counter.is_active:
            raise errors.CounterUnavailable()
        variants = (
            ProductVariant.objects.filter(pk__in=wanted, is_active=True, product__is_active=True)
            .select_related("product__producer", "product__origin_area")
            .in_bulk()
        )
        unknown = sorted(set(wanted) - set(variants))
        if unknown:
            raise errors.UnknownVariant(
                _("No product on sale has the variant id %(ids)s.")
                % {"ids": ", ".join(map(str, unknown))}
            )
        carried = set(counter.producers.values_list("pk", flat=True))
        for variant in variants.values():
            if variant.product.producer_id not in carried:
                raise errors.VariantNotCarried(
                    _("%(variant)s is not sold at %(counter)s.")
                    % {"variant": variant, "counter": counter}
                )

        stocks = _lock_stocks(counter_id=counter.pk, variant_ids=wanted)
        overdue = overdue_by_variant(counter_id=counter.pk, variant_ids=wanted, now=now)
        for variant_id in sorted(wanted):
            stock = stocks.get(variant_id)
            available = stock.on_hand - stock.held + overdue.get(variant_id, 0) if stock else 0
            if wanted[variant_id] > available:
                available = max(available, 0)
                raise errors.InsufficientStock(
                    _(
                        "Only %(available)s of %(variant)s left at %(counter)s; you asked for %(quantity)s."
                    )
                    % {
                        "available": available,
                        "variant": variants[variant_id],
                        "counter": counter,
                        "quantity": wanted[variant_id],
                    },
                    variant_id=variant_id,
                    available=available,
                )

        total = sum((variants[v].unit_price * q for v, q in wanted.items()), Decimal("0.00"))
        order = _create_order(
            customer=customer,
            counter=counter,
            total=total,
            placed_at=now,
            pickup_deadline=now + timedelta(days=settings.PICKUP_DAYS),
            language=language or translation.get_language() or settings.LANGUAGE_CODE,
            is_demo=is_demo,
        )
        order_lines = []
        for variant_id in sorted(wanted):
            variant, quantity = variants[variant_id], wanted[variant_id]
            product = variant.product
            order_lines.append(
                OrderLine(
                    order=order,
                    variant=variant,
                    producer_id=product.producer_id,
                    village_id=product.origin_area_id or product.producer.area_id,
                    product_name_zh_hans=product.name_zh_hans,
                    product_name_en=product.name_en or "",
                    variant_name_zh_hans=variant.name_zh_hans,
                    variant_name_en=variant.name_en or "",
                    sku=variant.sku,
                    unit_price=variant.unit_price,
                    quantity=quantity,
                    line_total=variant.unit_price * quantity,
                )
            )
            _apply(
                stocks[variant_id],
                kind=StockMovement.Kind.HOLD,
                held=quantity,
                by=customer,
                order=order,
                now=now,
            )
        OrderLine.objects.bulk_create(order_lines)
        OrderEvent.objects.create(
            order=order, from_status="", to_status=Order.Status.PLACED, by=customer, at=now
        )
        if notify:
            order_email_on_commit(order, "placed")
        bump("marketplace")
    return order


# from status -> the statuses it may become
ORDER_TRANSITIONS: dict[str, frozenset[str]] = {
    Order.Status.PLACED: frozenset(
        {Order.Status.READY, Order.Status.CANCELLED, Order.Status.EXPIRED}
    ),
    Order.Status.READY: frozenset(
        {Order.Status.COLLECTED, Order.Status.CANCELLED, Order.Status.EXPIRED}
    ),
    Order.Status.COLLECTED: frozenset(),
    Order.Status.CANCELLED: frozenset(),
    Order.Status.EXPIRED: frozenset(),
}
_STOCK_EFFECT = {
    # to status -> (ledger kind, on-hand sign, held sign)
    Order.Status.COLLECTED: (StockMovement.Kind.SALE, -1, -1),
    Order.Status.CANCELLED: (StockMovement.Kind.RELEASE, 0, -1),
    Order.Status.EXPIRED: (StockMovement.Kind.EXPIRY_RELEASE, 0, -1),
}


def _order_role(order: Order, by) -> str:
    if by is None:
        return "system"
    if works_at(by, order.counter):
        return "staff"
    if by.pk == order.customer_id:
        return "customer"
    return "none"


def order_transition(
    *,
    order: Order,
    to: str,
    by,
    reason: str = "",
    payment_method: str | None = None,
    now: datetime | None = None,
    notify: bool = True,
) -> Order:
    """The one way an order changes status; validated against
    ORDER_TRANSITIONS and recorded as an OrderEvent (who, when, from, to, why).

    * placed → ready: counter staff (the customer is e-mailed).
    * ready → collected: counter staff, with the payment method (a sale in the ledger).
    * placed → cancelled: the customer; placed/ready → cancelled: staff, with a reason.
    * placed/ready → expired: anyone (``by=None`` for the system) once the
      deadline has passed. An overdue order can only expire: its stock is
      already counted as free.
    """
    now = now or timezone.now()
    reason = (reason or "").strip()
    with transaction.atomic():
        order = (
            Order.objects.select_for_update(of=("self",))
            .select_related("counter__centre__organization")
            .get(pk=order.pk)
        )
        current = order.status
        try:
            target = Order.Status(to)
        except ValueError:
            raise errors.InvalidTransition(
                _("“%(to)s” is not an order status.") % {"to": to}
            ) from None
        role = _order_role(order, by)
        if role == "none":
            raise errors.NotAllowed(_("This is not your order."))
        if target not in ORDER_TRANSITIONS[current]:
            raise errors.InvalidTransition(
                _("An order that is %(from)s cannot become %(to)s.")
                % {"from": Order.Status(current).label, "to": target.label}
            )
        overdue = order.is_overdue(now)
        if target == Order.Status.EXPIRED:
            if not overdue:
                raise errors.InvalidTransition(_("The pickup deadline has not passed yet."))
        elif overdue:
            raise errors.OrderExpired()
        if role == "system" and target != Order.Status.EXPIRED:
            raise errors.NotAllowed()
        if role == "customer" and target != Order.Status.CANCELLED:
            raise errors.NotAllowed(_("Only the counter staff can do this."))
        if role == "customer" and current != Order.Status.PLACED:
            raise errors.InvalidTransition(
                _("The order is already being prepared; ask the counter to cancel it.")
            )
        if target == Order.Status.COLLECTED:
            if payment_method not in PaymentMethod.values:
                raise errors.PaymentMethodRequired()
            order.payment_method = payment_method
        if (
            target == Order.Status.CANCELLED
            and role == "staff"
            and by.pk != order.customer_id
            and not reason
        ):
            raise errors.ReasonRequired(_("Say why the order is cancelled; the customer is told."))

        effect = _STOCK_EFFECT.get(target)
        if effect:
            kind, on_hand_sign, held_sign = effect
            lines = list(order.lines.all())
            stocks = _lock_stocks(
                counter_id=order.counter_id, variant_ids=[line.variant_id for line in lines]
            )
            for line in lines:
                _apply(
                    stocks[line.variant_id],
                    kind=kind,
                    quantity=on_hand_sign * line.quantity,
                    held=held_sign * line.quantity,
                    by=by,
                    order=order,
                    reason=reason,
                    now=now,
                )
            order.closed_at = now
        if target == Order.Status.READY:
            order.ready_at = now
        order.status = target
        order.save(update_fields=["status", "ready_at", "closed_at", "payment_method"])
        OrderEvent.objects.create(
            order=order, from_status=current, to_status=target, by=by, at=now, reason=reason
        )

        if notify and target == Order.Status.READY:
            order_email_on_commit(order, "ready")
        elif (
            notify
            and target == Order.Status.CANCELLED
            and role == "staff"
            and by.pk != order.customer_id
        ):
            order_email_on_commit(order, "cancelled")
        if effect:
            bump("marketplace")
        if target == Order.Status.COLLECTED:
            bump("cooperation")  # the dashboard's consumption-support figures moved
    return order


def expire_overdue_orders(*, now: datetime | None = None) -> int:
    """Moves every open order past its deadline to expired and releases its
    hold, one order per transaction. Availability is already right without
    this (see selectors); it keeps the cached figures and statuses tidy."""
    now = now or timezone.now()
    ids = list(
        Order.objects.filter(status__in=Order.OPEN_STATUSES, pickup_deadline__lte=now)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    expired = 0
    for order_id in ids:
        try:
            order_transition(
                order=Order(pk=order_id),
                to=Order.Status.EXPIRED,
                by=None,
                reason="pickup deadline passed",
                now=now,
            )
        except errors.InvalidTransition:
            continue  # collected or cancelled meanwhile
        expired += 1
    return expired


def send_pickup_reminders(*, now: datetime | None = None) -> int:
    """E-mails each customer whose order's deadline is within a day, once.

    Claiming the order with a conditional UPDATE (``reminder_sent_at IS
    NULL``) makes the command safe to run as often as you like, even twice
    at the same time: each reminder is queued by exactly one run."""
    now = now or timezone.now()
    candidates = Order.objects.filter(
        status__in=Order.OPEN_STATUSES,
        reminder_sent_at__isnull=True,
        pickup_deadline__gt=now,
        pickup_deadline__lte=now + REMINDER_BEFORE,
    ).values_list("pk", flat=True)
    sent = 0
    for order_id in list(candidates):
        with transaction.atomic():
            claimed = Order.objects.filter(pk=order_id, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if claimed:
                order_email_on_commit(Order(pk=order_id), "reminder")
                sent += 1
    return sent


# --- Bulk orders (农超对接 / 餐饮对接) -----------------------------------------------------------


def tier_price(variant: ProductVariant, quantity: int) -> Decimal:
    """The business price for ``quantity`` units: the highest tier reached, else the unit price."""
    price = variant.unit_price
    for tier in sorted(variant.tiers.all(), key=lambda t: t.min_quantity):
        if quantity >= tier.min_quantity:
            price = tier.unit_price
    return price


def _bulk_lines(
    variants: dict[int, ProductVariant], wanted: dict[int, int]
) -> list[tuple[ProductVariant, int, Decimal]]:
    # The minimum order is per product, over all its variants in the order.
    per_product: dict[int, int] = {}
    for variant_id, quantity in wanted.items():
        per_product[variants[variant_id].product_id] = (
            per_product.get(variants[variant_id].product_id, 0) + quantity
        )
    for variant_id in wanted:
        product = variants[variant_id].product
        if 0 < per_product[product.pk] < product.bulk_min_quantity:
            raise errors.BelowMinimum(
                _("%(product)s: the minimum bulk order is %(min)s units; this asks for %(n)s.")
                % {
                    "product": product,
                    "min": product.bulk_min_quantity,
                    "n": per_product[product.pk],
                }
            )
    return [
        (variants[v], q, tier_price(variants[v], q) if q else variants[v].unit_price)
        for v, q in sorted(wanted.items())
    ]


def bulk_order_request(
    *,
    buyer: Organization,
    requested_by,
    lines: Iterable,
    requested_delivery_date: date,
    note: str = "",
    is_demo: bool = False,
    notify: bool = True,
    now: datetime | None = None,
) -> BulkOrder:
    """A supermarket or restaurant asks one producer for goods at tier prices."""
    if buyer.kind not in BUYER_KINDS or buyer.pk not in buyer_ids_for(requested_by):
        raise errors.NotAllowed(
            _("Only members of a registered supermarket or restaurant can order in bulk.")
        )
    wanted = {}
    for line in lines or ():
        variant, quantity = (
            (line.get("variant"), line.get("quantity")) if isinstance(line, Mapping) else line
        )
        variant_id = variant.pk if isinstance(variant, ProductVariant) else variant
        if quantity in (0, None):
            continue  # an empty box on the form
        _check_quantity(quantity, low=1, high=MAX_BULK_LINE_QUANTITY, what=_("each line"))
        if isinstance(variant_id, bool) or not isinstance(variant_id, int):
            raise errors.UnknownVariant(_("Each line needs a product variant id."))
        wanted[variant_id] = wanted.get(variant_id, 0) + quantity
    if not wanted:
        raise errors.EmptyOrder()
    now = now or timezone.now()
    if requested_delivery_date <= timezone.localdate(now):
        raise errors.InvalidBulkOrder(_("Choose a delivery date after today."))
    with transaction.atomic():
        variants = (
            ProductVariant.objects.filter(pk__in=wanted, is_active=True, product__is_active=True)
            .select_related("product__producer", "product__origin_area")
            .prefetch_related("tiers")
            .in_bulk()
        )
        unknown = sorted(set(wanted) - set(variants))
        if unknown:
            raise errors.UnknownVariant(
                _("No product on sale has the variant id %(ids)s.")
                % {"ids": ", ".join(map(str, unknown))}
            )
        producers = {v.product.producer_id for v in variants.values()}
        if len(producers) != 1:
            raise errors.InvalidBulkOrder(
                _("A bulk order goes to one producer; split it by producer.")
            )
        priced = _bulk_lines(variants, wanted)
        producer = next(iter(variants.values())).product.producer
        bulk_order = BulkOrder.objects.create(
            buyer=buyer,
            producer=producer,
            requested_by=requested_by,
            requested_delivery_date=requested_delivery_date,
            note=(note or "").strip(),
            total=sum((price * q for _v, q, price in priced), Decimal("0.00")),
            is_demo=is_demo,
            created_at=now,
        )
        BulkOrderLine.objects.bulk_create(
            [
                BulkOrderLine(
                    bulk_order=bulk_order,
                    variant=variant,
                    village_id=variant.product.origin_area_id or producer.area_id,
                    product_name_zh_hans=variant.product.name_zh_hans,
                    product_name_en=variant.product.name_en or "",
                    variant_name_zh_hans=variant.name_zh_hans,
                    variant_name_en=variant.name_en or "",
                    sku=variant.sku,
                    requested_quantity=quantity,
                    quantity=quantity,
                    unit_price=price,
                    line_total=price * quantity,
                )
                for variant, quantity, price in priced
            ]
        )
        BulkOrderEvent.objects.create(
            bulk_order=bulk_order, to_status=BulkOrder.Status.REQUESTED, by=requested_by, at=now
        )
        if notify:
            bulk_email_on_commit(bulk_order, BulkOrder.Status.REQUESTED)
    return bulk_order


BULK_TRANSITIONS: dict[str, frozenset[str]] = {
    BulkOrder.Status.REQUESTED: frozenset({BulkOrder.Status.CONFIRMED, BulkOrder.Status.REJECTED}),
    BulkOrder.Status.CONFIRMED: frozenset({BulkOrder.Status.DELIVERED}),
    BulkOrder.Status.DELIVERED: frozenset({BulkOrder.Status.SETTLED}),
    BulkOrder.Status.SETTLED: frozenset(),
    BulkOrder.Status.REJECTED: frozenset(),
}


def bulk_order_transition(
    *,
    bulk_order: BulkOrder,
    to: str,
    by,
    reason: str = "",
    quantities: Mapping[int, int] | None = None,
    delivery_date: date | None = None,
    notify: bool = True,
    now: datetime | None = None,
) -> BulkOrder:
    """The one way a bulk order changes status; every step is audited and the
    other side is e-mailed. Only the producer (or district staff) moves it.

    On confirmation the producer may lower or raise quantities (``quantities``:
    {line id: units}, 0 drops a line) and set the delivery date; prices are
    re-read from the tiers for the new quantities. Rejection needs a reason.
    """
    reason = (reason or "").strip()
    now = now or timezone.now()
    with transaction.atomic():
        bulk_order = BulkOrder.objects.select_for_update().get(pk=bulk_order.pk)
        if not (by.is_staff or bulk_order.producer_id in producer_ids_for(by)):
            raise errors.NotAllowed(_("Only the producer can move this bulk order on."))
        current = bulk_order.status
        try:
            target = BulkOrder.Status(to)
        except ValueError:
            raise errors.InvalidTransition(
                _("“%(to)s” is not a bulk order status.") % {"to": to}
            ) from None
        if target not in BULK_TRANSITIONS[current]:
            raise errors.InvalidTransition(
                _("A bulk order that is %(from)s cannot become %(to)s.")
                % {"from": BulkOrder.Status(current).label, "to": target.label}
            )
        changes = []
        if target == BulkOrder.Status.REJECTED and not reason:
            raise errors.ReasonRequired(_("Tell the buyer why the order is rejected."))
        if target == BulkOrder.Status.CONFIRMED:
            delivery_date = delivery_date or bulk_order.requested_delivery_date
            if delivery_date < timezone.localdate(now):
                raise errors.InvalidBulkOrder(_("The delivery date is in the past."))
            if delivery_date != bulk_order.requested_delivery_date:
                changes.append(f"delivery {bulk_order.requested_delivery_date} → {delivery_date}")
            bulk_order.delivery_date = delivery_date
            changes += _adjust_bulk_lines(bulk_order, quantities or {})
        if target == BulkOrder.Status.SETTLED:
            bulk_order.settled_at = now
        bulk_order.status = target
        bulk_order.save()
        why = "; ".join(filter(None, [reason, *changes]))
        BulkOrderEvent.objects.create(
            bulk_order=bulk_order,
            from_status=current,
            to_status=target,
            by=by,
            reason=why[:500],
            at=now,
        )
        if notify:
            bulk_email_on_commit(bulk_order, target)
        if target == BulkOrder.Status.SETTLED:
            bump("cooperation")  # the dashboard's consumption-support total moved
    return bulk_order


def _adjust_bulk_lines(bulk_order: BulkOrder, quantities: Mapping[int, int]) -> list[str]:
    lines = {
        line.pk: line
        for line in bulk_order.lines.select_related("variant__product").prefetch_related(
            "variant__tiers"
        )
    }
    unknown = set(quantities) - set(lines)
    if unknown:
        raise errors.InvalidBulkOrder(
            _("These lines are not in the order: %(ids)s.") % {"ids": sorted(unknown)}
        )
    wanted = {}
    for line_id, line in lines.items():
        quantity = quantities.get(line_id, line.quantity)
        _check_quantity(quantity, low=0, high=MAX_BULK_LINE_QUANTITY, what=line.product_name)
        wanted[line.variant_id] = quantity
    if not any(wanted.values()):
        raise errors.InvalidBulkOrder(_("Nothing left to deliver: reject the order instead."))
    variants = {line.variant_id: line.variant for line in lines.values()}
    priced = {v.pk: (q, p) for v, q, p in _bulk_lines(variants, wanted)}
    changes = []
    for line in lines.values():
        quantity, price = priced[line.variant_id]
        if quantity != line.quantity:
            changes.append(f"{line.sku} {line.quantity} → {quantity}")
        line.quantity, line.unit_price, line.line_total = quantity, price, price * quantity
        line.save(update_fields=["quantity", "unit_price", "line_total"])
    bulk_order.total = sum((line.line_total for line in lines.values()), Decimal("0.00"))
    return changes


def catalogue_changed() -> None:
    """A product, variant, image, tier price, centre or counter was edited in
    an admin form: cached public pages must show it at once."""
    bump("marketplace")
