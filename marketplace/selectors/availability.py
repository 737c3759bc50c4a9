"""Availability at read time: on hand − held, plus the holds of orders past their deadline."""

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, TypedDict

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
