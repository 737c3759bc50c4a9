"""Availability at read time: on hand − held, plus the holds of orders past their deadline."""

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, TypedDict

from django.db import connection
from django.db.models import (
    Exists,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..models import (
    FEW_LEFT,
    Counter,
    Order,
    OrderLine,
    Stock,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


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


class Available(TypedDict):
    overdue: int
    available: int


if TYPE_CHECKING:
    # A Stock row with what with_available annotates.
    StockWithAvailable = WithAnnotations[Stock, Available]


def with_available(
    stocks: QuerySet[Stock], now: datetime | None = None
) -> "QuerySet[StockWithAvailable]":
    return stocks.annotate(overdue=overdue_held(now)).annotate(
        available=F("on_hand") - F("held") + F("overdue")
    )


def overdue_by_variant(*, counter_id: int, variant_ids, now: datetime) -> dict[int, int]:
    """The same correction for a few rows the caller has locked (order placement).

    Plain SQL: every order placement runs this, and building the same query
    through the ORM (two joins' worth of lookups, a GROUP BY) cost more CPU
    than PostgreSQL spends answering it. ``overdue_held`` above is the same
    rule as a subquery; tests/marketplace check that the two agree.
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


def in_stock_subquery(now: datetime, centre_slug: str | None = None) -> Exists:
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
