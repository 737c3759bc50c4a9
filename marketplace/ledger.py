"""The stock ledger: the locks every stock change takes, the one way a
ledger row is written, and the two reads an order placement makes in plain
SQL. Nothing else in the project writes a ``StockMovement`` or changes a
stock row's cached ``on_hand``/``held``.

Public API (used by ``marketplace.services``):

* ``lock_stocks(counter_id=, variant_ids=, create=False)``: locks the
  (variant, counter) stock rows in primary-key order, {variant id: Stock}.
* ``lock_line_sources(counter_id=, variant_ids=)``: an order's common case
  in one statement: locks those stock rows and reads what each order line
  copies from its variant, {variant id: LineSource}.
* ``open_units(counter_id=, variant_ids=, now=, customer_id=)``: the overdue
  units and the customer's own open units per variant, in one statement.
* ``overdue_by_variant(counter_id=, variant_ids=, now=)``: the overdue units
  alone (a stock correction); ``selectors.overdue_held`` is the same rule as
  an ORM subquery, and tests/marketplace check that the two agree.
* ``record_movement(stock, kind=, quantity=, held=, ..., lot=)``: one ledger
  row (receipt, hold, sale, release, expiry release, return, correction), the
  matching change to the locked stock row's cached figures, and the lots it
  moves (``LotDraw`` rows and each lot's cached ``remaining``, see below).

Lots (``models.lots``): every row that changes on hand says which lots it
changed, under the same stock lock, so the lots of a stock row always add up
to its ``on_hand``:

* a receipt creates its lot (the unsaved ``lot`` passed in) holding all it brought;
* a sale, or a correction downwards without a ``lot``, draws first expiring
  first out: the earliest best-before first (lots without one last), then
  the oldest receipt; one row may draw from several lots;
* a return, or an undone hand-over, puts the units back into the lots the
  order drew at this stock row, the last drawn first;
* a correction upwards goes into its ``lot``, or without one into the stock
  row's "unrecorded" lot (units of unknown origin are not given one).

Why plain SQL: every order placement runs ``lock_line_sources`` and
``open_units``; building the same queries in the ORM cost more CPU than
PostgreSQL spends answering them (cProfile). Table and column names come
from the models' metadata, and every order test runs through these
statements (tests/marketplace/test_queries.py holds an order at 10 queries).
"""

import functools
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from django.db import connection
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.db import literals, prepared_cursor
from organizations.models import Organization

from . import errors
from .models import (
    Counter,
    Lot,
    LotDraw,
    Order,
    OrderLine,
    Product,
    ProductVariant,
    Stock,
    StockMovement,
)
from .models.lots import fefo_order


def lock_stocks(
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
    product_name_zh_hant: str | None
    product_name_en: str | None
    variant_name_zh_hans: str
    variant_name_zh_hant: str | None
    variant_name_en: str | None
    producer_id: int
    village_id: int | None


# Where each LineSource field after the stock comes from: (table alias, model, field).
_SOURCE_COLUMNS = {
    "product_id": ("v", ProductVariant, "product"),
    "sku": ("v", ProductVariant, "sku"),
    "unit_price": ("v", ProductVariant, "unit_price"),
    "product_name_zh_hans": ("p", Product, "name_zh_hans"),
    "product_name_zh_hant": ("p", Product, "name_zh_hant"),
    "product_name_en": ("p", Product, "name_en"),
    "variant_name_zh_hans": ("v", ProductVariant, "name_zh_hans"),
    "variant_name_zh_hant": ("v", ProductVariant, "name_zh_hant"),
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


def lock_line_sources(*, counter_id: int, variant_ids: Iterable[int]) -> dict[int, LineSource]:
    """The common case of an order in one statement: locks the stock rows of
    these variants at this counter (in primary-key order, as ``lock_stocks``)
    and reads what each order line copies, for the variants that are on sale,
    carried by the counter and stocked there; {variant id: LineSource}.

    A variant missing from the answer is one of those three errors, which the
    caller names with ``services.stock.variants_on_sale``. Plain SQL:
    building the variants' query and the lock's in
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
    with prepared_cursor() as cursor:
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


def open_units(
    *, counter_id: int, variant_ids: Iterable[int], now: datetime, customer_id: int
) -> tuple[dict[int, int], dict[int, int]]:
    """Two sums over the open orders at this counter, per variant, in one
    statement: the units of orders past their deadline (``overdue_by_variant``:
    they no longer hold anything) and the units this customer has in open
    orders still within their deadline (what MAX_OPEN_UNITS_PER_ITEM caps).
    Returns ({variant id: overdue}, {variant id: the customer's}).

    Run after ``lock_line_sources``, in a statement of its own: the stock
    rows it locked are those every order for these variants here locks, so
    the customer's other orders for them have committed (or wait) by now, and
    a new statement sees what they committed (READ COMMITTED takes a snapshot
    per statement; a subquery of the locking statement would not see them).
    """
    variant_ids = list(variant_ids)
    if not variant_ids:
        return {}, {}
    # The statuses as literals: a prepared plan must still see the partial
    # index's condition (core.db).
    in_status = literals(Order.OPEN_STATUSES)
    in_variants = ", ".join(["%s"] * len(variant_ids))
    lines, orders = OrderLine._meta.db_table, Order._meta.db_table
    # Two selective halves, not one OR, each starting from its few orders: the
    # overdue ones (the partial index on open orders by counter and deadline)
    # and the customer's own; MATERIALIZED so the planner reads those orders
    # first and then their lines by order, whatever its estimates. With
    # `deadline <= now OR customer = me` in one WHERE, and a young table's
    # missing statistics, PostgreSQL looped over every open order at the
    # counter for each line of the variant: an order cost more the more orders
    # were open (94 ms at 900 open orders, measured). `variant_id + 0` keeps the
    # variant's index out of it, so the lines are found by their order (its
    # index), a handful per order, however many lines the variant has.
    sql = (
        f"WITH late AS MATERIALIZED (SELECT id FROM {orders} "
        f"WHERE counter_id = %s AND status IN ({in_status}) AND pickup_deadline <= %s), "
        f"mine AS MATERIALIZED (SELECT id FROM {orders} "
        f"WHERE customer_id = %s AND counter_id = %s AND status IN ({in_status}) "
        f"AND pickup_deadline > %s) "
        f"SELECT variant_id, SUM(late), SUM(own) FROM ("
        f"SELECT line.variant_id, line.quantity AS late, 0 AS own "
        f"FROM late JOIN {lines} line ON line.order_id = late.id "
        f"WHERE line.variant_id + 0 IN ({in_variants}) "
        f"UNION ALL "
        f"SELECT line.variant_id, 0, line.quantity "
        f"FROM mine JOIN {lines} line ON line.order_id = mine.id "
        f"WHERE line.variant_id + 0 IN ({in_variants})"
        f") AS units GROUP BY variant_id"
    )
    at = connection.ops.adapt_datetimefield_value(now)
    params = [counter_id, at, customer_id, counter_id, at, *variant_ids, *variant_ids]
    overdue, mine = {}, {}
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        for variant_id, late, own in cursor.fetchall():
            if late:
                overdue[variant_id] = int(late)
            if own:
                mine[variant_id] = int(own)
    return overdue, mine


def overdue_by_variant(*, counter_id: int, variant_ids, now: datetime) -> dict[int, int]:
    """{variant id: units of open orders at this counter past their pickup
    deadline} for a few stock rows the caller has locked (a stock correction):
    those units no longer hold anything. ``selectors.overdue_held`` is the
    same rule as an ORM subquery; tests/marketplace check that the two agree.
    """
    variant_ids = list(variant_ids)
    if not variant_ids:
        return {}
    statuses = list(Order.OPEN_STATUSES)
    sql = (
        f"SELECT line.variant_id, SUM(line.quantity) "
        f"FROM {OrderLine._meta.db_table} line "
        f"JOIN {Order._meta.db_table} o ON o.id = line.order_id "
        f"WHERE o.counter_id = %s AND o.status IN ({', '.join(['%s'] * len(statuses))}) "
        f"AND o.pickup_deadline <= %s "
        f"AND line.variant_id IN ({', '.join(['%s'] * len(variant_ids))}) "
        f"GROUP BY line.variant_id"
    )
    params = [counter_id, *statuses, connection.ops.adapt_datetimefield_value(now), *variant_ids]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {variant_id: int(total) for variant_id, total in cursor.fetchall()}


def record_movement(
    stock: Stock,
    *,
    kind: str,
    quantity: int = 0,
    held: int = 0,
    by: User | None = None,
    order=None,
    reason: str = "",
    now=None,
    lot: Lot | None = None,
):
    """Adds one ledger row, changes the cached figures of a locked stock row
    to match, and moves its units in or out of lots (see the module's
    docstring). A receipt needs ``lot``: an unsaved Lot with its details,
    which is created here; a correction may name the lot it changes."""
    now = now or timezone.now()
    movement = StockMovement.objects.create(
        stock=stock,
        kind=kind,
        quantity=quantity,
        held_delta=held,
        order=order,
        created_by=by,
        reason=reason,
        created_at=now,
    )
    Stock.objects.filter(pk=stock.pk).update(on_hand=F("on_hand") + quantity, held=F("held") + held)
    stock.on_hand += quantity
    stock.held += held
    if quantity:
        _move_lots(stock, movement, lot=lot, by=by, now=now)
    return movement


def _move_lots(stock: Stock, movement: StockMovement, *, lot, by, now) -> None:
    kind, quantity = movement.kind, movement.quantity
    if kind == StockMovement.Kind.RECEIPT:
        if lot is None or lot.pk is not None:
            raise ValueError("a receipt creates its lot: pass an unsaved Lot")
        lot.variant_id, lot.counter_id = stock.variant_id, stock.counter_id
        lot.quantity_received, lot.remaining = quantity, 0  # the draw below fills it
        lot.received_at, lot.received_by = now, by
        lot.save(force_insert=True)
        draws = [(lot, quantity)]
    elif lot is not None:
        if (lot.variant_id, lot.counter_id) != (stock.variant_id, stock.counter_id):
            raise errors.InvalidStockChange(_("That lot is not of this product at this counter."))
        lot = Lot.objects.get(pk=lot.pk)  # its remaining as of now, under the stock lock
        if lot.remaining + quantity < 0:
            raise errors.InvalidStockChange(
                _("Lot %(lot)s has only %(remaining)s left.")
                % {"lot": lot.code, "remaining": lot.remaining}
            )
        draws = [(lot, quantity)]
    elif quantity < 0:
        draws = _first_expiring(stock, -quantity)
    elif kind in (StockMovement.Kind.RETURN, StockMovement.Kind.SALE_UNDONE) and movement.order_id:
        draws = _back_to_drawn(stock, movement.order_id, quantity)
    else:
        draws = [(unrecorded_lot(stock), quantity)]
    LotDraw.objects.bulk_create(
        [LotDraw(movement=movement, lot=drawn, quantity=units) for drawn, units in draws]
    )
    for drawn, units in draws:
        Lot.objects.filter(pk=drawn.pk).update(remaining=F("remaining") + units)
        drawn.remaining += units


def _first_expiring(stock: Stock, units: int) -> list[tuple[Lot, int]]:
    draws = []
    lots = Lot.objects.filter(
        variant_id=stock.variant_id, counter_id=stock.counter_id, remaining__gt=0
    ).order_by(*fefo_order())
    for lot in lots:
        take = min(lot.remaining, units)
        draws.append((lot, -take))
        units -= take
        if not units:
            return draws
    # The lots of a stock row add up to its on hand, which just covered this
    # change: only a figure changed outside the ledger gets here.
    raise errors.InvalidStockChange(
        _("The lots at this counter hold fewer units than its stock; run verify_stock.")
    )


def _back_to_drawn(stock: Stock, order_id: int, units: int) -> list[tuple[Lot, int]]:
    """Units of an order back into the lots it drew here, the last drawn
    first; what it drew before lots were recorded goes to the unrecorded lot."""
    net: dict[int, int] = {}
    last: dict[int, int] = {}
    rows = LotDraw.objects.filter(
        movement__order_id=order_id, movement__stock_id=stock.pk
    ).values_list("lot_id", "quantity", "pk")
    for lot_id, quantity, pk in rows:
        net[lot_id] = net.get(lot_id, 0) + quantity
        if quantity < 0:
            last[lot_id] = max(last.get(lot_id, 0), pk)
    owed = sorted((lot_id for lot_id in net if net[lot_id] < 0), key=lambda i: -last[i])
    lots = Lot.objects.in_bulk(owed)
    draws = []
    for lot_id in owed:
        give = min(-net[lot_id], units)
        draws.append((lots[lot_id], give))
        units -= give
        if not units:
            return draws
    return [*draws, (unrecorded_lot(stock), units)]


def unrecorded_code(counter_id: int) -> str:
    return f"U-{counter_id}"


def unrecorded_lot(stock: Stock) -> Lot:
    """The stock row's lot for units whose origin was not recorded (made once)."""
    lot, _created = Lot.objects.get_or_create(
        variant_id=stock.variant_id,
        code=unrecorded_code(stock.counter_id),
        defaults={
            "counter_id": stock.counter_id,
            "producer_id": ProductVariant.objects.values_list("product__producer", flat=True).get(
                pk=stock.variant_id
            ),
            "quantity_received": 0,
            "remaining": 0,
            "recorded": False,
        },
    )
    return lot


def lot_totals(stock_ids: Iterable[int]) -> dict[int, int]:
    """{stock id: units its lots hold} (verify_stock's check of the invariant)."""
    stocks = Stock.objects.filter(pk__in=list(stock_ids)).values_list(
        "pk", "variant_id", "counter_id"
    )
    by_place = {(v, c): pk for pk, v, c in stocks}
    totals = dict.fromkeys(by_place.values(), 0)
    rows = (
        Lot.objects.filter(variant_id__in={v for v, _c in by_place})
        .values_list("variant_id", "counter_id")
        .annotate(units=Sum("remaining"))
    )
    for variant_id, counter_id, units in rows:
        if (variant_id, counter_id) in by_place:
            totals[by_place[variant_id, counter_id]] = units or 0
    return totals
