"""Stock: receipts and corrections at a counter, the locks and ledger rows every
stock change goes through, the checks every order shares (quantities,
variants on sale), and the cache bump for catalogue edits."""

import functools
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple, TypedDict, cast

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.cache import bump
from organizations.models import Organization

from .. import errors
from ..models import (
    Counter,
    Order,
    OrderLine,
    Product,
    ProductVariant,
    Stock,
    StockMovement,
)
from ..selectors import overdue_by_variant, works_at

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class Carried(TypedDict):
    is_carried: bool


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


class LineSource(NamedTuple):
    """What an order line copies from its variant, read with the locked stock row."""

    stock: Stock
    product_id: int
    sku: str
    unit_price: Decimal
    product_name_zh_hans: str
    product_name_en: str | None
    variant_name_zh_hans: str
    variant_name_en: str | None
    producer_id: int
    village_id: int | None


# Where each LineSource field after the stock comes from: (table alias, model, field).
_SOURCE_COLUMNS = {
    "product_id": ("v", ProductVariant, "product"),
    "sku": ("v", ProductVariant, "sku"),
    "unit_price": ("v", ProductVariant, "unit_price"),
    "product_name_zh_hans": ("p", Product, "name_zh_hans"),
    "product_name_en": ("p", Product, "name_en"),
    "variant_name_zh_hans": ("v", ProductVariant, "name_zh_hans"),
    "variant_name_en": ("v", ProductVariant, "name_en"),
    "producer_id": ("p", Product, "producer"),
    # village_id: the product's own village, else its producer's (COALESCE below)
}
_PRICE = LineSource._fields.index("unit_price") - 1  # its place in a row's values


@functools.cache
def _line_sources_sql(vendor: str, lines: int, lock: bool) -> str:
    """The statement for ``lines`` variants (cached per database vendor and size)."""

    def table(model) -> str:
        return connection.ops.quote_name(model._meta.db_table)

    def col(alias: str, model, name: str) -> str:
        return f"{alias}.{connection.ops.quote_name(model._meta.get_field(name).column)}"

    carried = Counter.producers.through
    columns = ", ".join(col(*_SOURCE_COLUMNS[name]) for name in LineSource._fields[1:-1])
    return (
        f"SELECT {col('s', Stock, 'id')}, {col('s', Stock, 'on_hand')}, {col('s', Stock, 'held')}, "
        f"{col('v', ProductVariant, 'id')}, {columns}, "
        f"COALESCE({col('p', Product, 'origin_area')}, {col('o', Organization, 'area')}) "
        f"FROM {table(Stock)} s "
        f"JOIN {table(ProductVariant)} v ON {col('v', ProductVariant, 'id')} = "
        f"{col('s', Stock, 'variant')} "
        f"JOIN {table(Product)} p ON {col('p', Product, 'id')} = {col('v', ProductVariant, 'product')} "
        f"JOIN {table(Organization)} o ON {col('o', Organization, 'id')} = "
        f"{col('p', Product, 'producer')} "
        f"WHERE {col('s', Stock, 'counter')} = %s "
        f"AND {col('s', Stock, 'variant')} IN ({', '.join(['%s'] * lines)}) "
        f"AND {col('v', ProductVariant, 'is_active')} AND {col('p', Product, 'is_active')} "
        f"AND EXISTS (SELECT 1 FROM {table(carried)} c "
        f"WHERE {col('c', carried, 'counter')} = {col('s', Stock, 'counter')} "
        f"AND {col('c', carried, 'organization')} = {col('p', Product, 'producer')}) "
        f"ORDER BY {col('s', Stock, 'id')}" + (" FOR UPDATE OF s" if lock else "")
    )


def _lock_line_sources(*, counter_id: int, variant_ids: Iterable[int]) -> dict[int, LineSource]:
    """The common case of an order in one statement: locks the stock rows of
    these variants at this counter (in primary-key order, as ``_lock_stocks``)
    and reads what each order line copies, for the variants that are on sale,
    carried by the counter and stocked there; {variant id: LineSource}.

    A variant missing from the answer is one of those three errors, which the
    caller names with ``_variants_on_sale``. Plain SQL, like
    ``overdue_by_variant``: building the variants' query and the lock's in
    the ORM took a quarter of an order's Python (cProfile). The names come
    from the models' metadata, and every order test runs through it.
    """
    variant_ids = sorted(set(variant_ids))
    sql = _line_sources_sql(
        connection.vendor, len(variant_ids), connection.features.has_select_for_update_of
    )
    # The price as the ORM would read it (SQLite keeps it as a float).
    price = ProductVariant._meta.get_field("unit_price").get_col("v")
    to_decimal = [
        *connection.ops.get_db_converters(price),
        *price.get_db_converters(connection),
    ]
    sources = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [counter_id, *variant_ids])
        for stock_id, on_hand, held, variant_id, *values in cursor.fetchall():
            for convert in to_decimal:
                values[_PRICE] = convert(values[_PRICE], price, connection)
            stock = Stock(
                pk=stock_id,
                counter_id=counter_id,
                variant_id=variant_id,
                on_hand=on_hand,
                held=held,
            )
            sources[variant_id] = LineSource(stock, *values)
    return sources


def _open_units(
    *, counter_id: int, variant_ids: Iterable[int], now: datetime, customer_id: int
) -> tuple[dict[int, int], dict[int, int]]:
    """Two sums over the open orders at this counter, per variant, in one
    statement: the units of orders past their deadline (``overdue_by_variant``:
    they no longer hold anything) and the units this customer has in open
    orders still within their deadline (what MAX_OPEN_UNITS_PER_ITEM caps).
    Returns ({variant id: overdue}, {variant id: the customer's}).

    Run after ``_lock_line_sources``, in a statement of its own: the stock
    rows it locked are those every order for these variants here locks, so
    the customer's other orders for them have committed (or wait) by now, and
    a new statement sees what they committed (READ COMMITTED takes a snapshot
    per statement; a subquery of the locking statement would not see them).
    """
    variant_ids = list(variant_ids)
    if not variant_ids:
        return {}, {}
    statuses = list(Order.OPEN_STATUSES)
    sql = (
        f"SELECT line.variant_id, "
        f"SUM(CASE WHEN o.pickup_deadline <= %s THEN line.quantity ELSE 0 END), "
        f"SUM(CASE WHEN o.pickup_deadline > %s AND o.customer_id = %s "
        f"THEN line.quantity ELSE 0 END) "
        f"FROM {OrderLine._meta.db_table} line "
        f"JOIN {Order._meta.db_table} o ON o.id = line.order_id "
        f"WHERE o.counter_id = %s AND o.status IN ({', '.join(['%s'] * len(statuses))}) "
        f"AND (o.pickup_deadline <= %s OR o.customer_id = %s) "
        f"AND line.variant_id IN ({', '.join(['%s'] * len(variant_ids))}) "
        f"GROUP BY line.variant_id"
    )
    at = connection.ops.adapt_datetimefield_value(now)
    params = [at, at, customer_id, counter_id, *statuses, at, customer_id, *variant_ids]
    overdue, mine = {}, {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for variant_id, late, own in cursor.fetchall():
            if late:
                overdue[variant_id] = int(late)
            if own:
                mine[variant_id] = int(own)
    return overdue, mine


def _apply(
    stock: Stock,
    *,
    kind: str,
    quantity: int = 0,
    held: int = 0,
    by: User | None = None,
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


def _require_counter_staff(by: User, counter: Counter) -> None:
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


def _variants_on_sale(
    ids,
    *,
    prefetch: tuple[str, ...] = (),
    sold_at: Counter | None = None,
) -> dict[int, ProductVariant]:
    """The variants with these ids that are on sale, by id, with their product
    and producer; UnknownVariant names every id that is not. With
    ``sold_at``, VariantNotCarried names the first one that counter does not
    sell (checked in the same query)."""
    variants = ProductVariant.objects.filter(
        pk__in=ids, is_active=True, product__is_active=True
    ).select_related("product__producer")
    if sold_at is not None:
        variants = variants.annotate(
            is_carried=Exists(
                Counter.producers.through.objects.filter(
                    counter_id=sold_at.pk, organization_id=OuterRef("product__producer_id")
                )
            )
        )
    # No ORDER BY: the variants' default ordering goes through the product's
    # and costs a join and a third of this query's compile time, for a dict.
    on_sale = variants.order_by().prefetch_related(*prefetch).in_bulk()
    unknown = sorted(set(ids) - set(on_sale))
    if unknown:
        raise errors.UnknownVariant(
            _("No product on sale has the variant id %(ids)s.")
            % {"ids": ", ".join(map(str, unknown))}
        )
    for variant_id in sorted(on_sale) if sold_at is not None else ():
        # With sold_at, the query above annotated is_carried.
        if not cast("WithAnnotations[ProductVariant, Carried]", on_sale[variant_id]).is_carried:
            raise errors.VariantNotCarried(
                _("%(variant)s is not sold at %(counter)s.")
                % {"variant": on_sale[variant_id], "counter": sold_at}
            )
    return on_sale


def stock_receive(
    *,
    counter: Counter,
    variant: ProductVariant,
    quantity: int,
    by: User,
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
    *, counter: Counter, variant: ProductVariant, quantity: int, by: User, reason: str
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


def catalogue_changed() -> None:
    """A product, variant, image, tier price, centre or counter was edited in
    an admin form: cached public pages must show it at once."""
    bump("marketplace")
