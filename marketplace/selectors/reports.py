"""Sales by producer, village and counter; the dashboard figures; the ledger check."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import (
    Count,
    F,
    Sum,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from core import figures
from organizations.models import Organization

from ..models import (
    BulkOrder,
    BulkOrderLine,
    Lot,
    Order,
    OrderLine,
    Stock,
    StockMovement,
)


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
    # Names through values() in the active language (values() reads no language itself).
    retail_fields = [retail_keys[0], *figures.localized_columns(retail_keys[1])]
    if group_by == "counter":
        retail_fields += figures.localized_columns("order__counter__centre__organization__name")

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
        label = figures.localized(row, retail_keys[1]) or _("(no village recorded)")
        if group_by == "counter":
            centre = figures.localized(row, "order__counter__centre__organization__name")
            label = f"{centre} · {label}"
        add(
            f"{group_by}:{row[retail_keys[0]]}",
            label,
            row["n_orders"],
            row["units"],
            _decimal(row["amount"]),
        )

    bulk_fields = (
        [bulk_keys[0]]
        if group_by == "counter"
        else [bulk_keys[0], *figures.localized_columns(bulk_keys[1])]
    )
    for row in (
        bulk.values(*bulk_fields)
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
            label = figures.localized(row, bulk_keys[1]) or _("(no village recorded)")
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


@dataclass(frozen=True)
class StockMismatch:
    stock_id: int
    label: str
    field: str
    cached: int
    expected: int


def stock_mismatches() -> list[StockMismatch]:
    """Every cached figure that differs from what it caches: ``on_hand`` and
    ``held`` from the ledger's sums, ``held`` from the lines of open orders,
    ``on_hand`` from its lots' ``remaining``, and each lot's ``remaining``
    from its draws (plus, for a lot the migration made of unrecorded stock,
    what it started with). Six queries whatever the size."""
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
    lot_units = {
        (row["variant_id"], row["counter_id"]): row["n"]
        for row in Lot.objects.values("variant_id", "counter_id")
        .annotate(n=Sum("remaining"))
        .order_by()
    }
    problems = []
    lots = Lot.objects.annotate(drawn=Sum("draws__quantity")).order_by("pk")
    for lot in lots.values("pk", "code", "remaining", "drawn", "recorded", "quantity_received"):
        expected = (lot["drawn"] or 0) + (0 if lot["recorded"] else lot["quantity_received"])
        if lot["remaining"] != expected:
            problems.append(
                StockMismatch(
                    0,
                    f"lot {lot['code']} ({lot['pk']})",
                    "remaining (draws)",
                    lot["remaining"],
                    expected,
                )
            )
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
        in_lots = lot_units.get((stock.variant_id, stock.counter_id), 0)
        if stock.on_hand != in_lots:
            problems.append(
                StockMismatch(stock.pk, label, "on_hand (lots)", stock.on_hand, in_lots)
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


def impact_rows(start: date, end: date) -> list[figures.ImpactRow]:
    """Collected counter orders (net of returns) and settled bulk orders from
    ``start`` to ``end``, by month of collection or settlement, village,
    producer and counter, demo rows apart (the dashboard marks them)."""
    net_units = F("quantity") - F("returned_quantity")
    retail = (
        OrderLine.objects.filter(
            order__status=Order.Status.COLLECTED,
            order__closed_at__date__range=(start, end),
        )
        .annotate(month=TruncMonth("order__closed_at"))
        .values(
            "month",
            "order__is_demo",
            *figures.localized_columns(
                "village__name",
                "producer__name",
                "order__counter__name",
                "order__counter__centre__organization__name",
            ),
        )
        .annotate(
            orders=Count("order", distinct=True),
            units=Sum(net_units),
            amount=Sum(net_units * F("unit_price")),
        )
        .order_by()
    )
    bulk = (
        BulkOrderLine.objects.filter(
            bulk_order__status=BulkOrder.Status.SETTLED,
            bulk_order__settled_at__date__range=(start, end),
        )
        .annotate(month=TruncMonth("bulk_order__settled_at"))
        .values(
            "month",
            "bulk_order__is_demo",
            *figures.localized_columns("village__name", "bulk_order__producer__name"),
        )
        .annotate(
            orders=Count("bulk_order", distinct=True),
            units=Sum("quantity"),
            amount=Sum("line_total"),
        )
        .order_by()
    )
    rows = [
        figures.ImpactRow(
            channel="retail",
            month=_month(r["month"]),
            village=figures.localized(r, "village__name"),
            producer=figures.localized(r, "producer__name"),
            counter=(
                f"{figures.localized(r, 'order__counter__centre__organization__name')} · "
                f"{figures.localized(r, 'order__counter__name')}"
            ),
            count=r["orders"],
            units=r["units"] or 0,
            amount=_decimal(r["amount"]),
            is_demo=r["order__is_demo"],
        )
        for r in retail
    ]
    rows += [
        figures.ImpactRow(
            channel="bulk",
            month=_month(r["month"]),
            village=figures.localized(r, "village__name"),
            producer=figures.localized(r, "bulk_order__producer__name"),
            count=r["orders"],
            units=r["units"] or 0,
            amount=_decimal(r["amount"]),
            is_demo=r["bulk_order__is_demo"],
        )
        for r in bulk
    ]
    return rows


def _month(value) -> date:
    """TruncMonth's answer (a datetime in the current time zone) as a date."""
    return value.date() if hasattr(value, "date") else value
