"""Reads of a reseller's bookings and sales."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from tours.models import Booking, Departure
from tours.selectors import with_seats

from .models import Reseller, ResellerBooking

# Bookings that are sold: held seats are not yet, lapsed and cancelled ones no more.
SOLD = (
    Booking.Status.CONFIRMED,
    Booking.Status.PAID,
    Booking.Status.CHECKED_IN,
    Booking.Status.NO_SHOW,
)


def reseller_bookings(*, reseller: Reseller) -> QuerySet[ResellerBooking]:
    """A reseller's bookings with what their OCTO answer shows: the travellers,
    the departure with its seats left (OCTO repeats the availability) and fares."""
    departures = with_seats(Departure.objects.select_related("route")).prefetch_related("prices")
    return (
        ResellerBooking.objects.filter(reseller=reseller)
        .select_related("booking")
        .prefetch_related(
            "booking__travellers", Prefetch("booking__departure", queryset=departures)
        )
    )


def bookings_for(
    *, reseller: Reseller, reseller_reference: str | None, supplier_reference: str | None
) -> list[ResellerBooking]:
    """OCTO's booking search: by the reseller's reference or the booking
    code; at most 100, newest first. Only this reseller's bookings."""
    found = reseller_bookings(reseller=reseller)
    if reseller_reference:
        found = found.filter(reseller_reference=reseller_reference[:100])
    if supplier_reference:
        found = found.filter(booking__code=supplier_reference[:12])
    return list(found[:100])


@dataclass
class SalesRow:
    month: dt.date
    reseller: Reseller
    bookings: int = 0
    seats: int = 0
    retail: Decimal = Decimal("0")
    commission: Decimal = Decimal("0")

    @property
    def net(self) -> Decimal:
        return self.retail - self.commission


@dataclass
class SalesReport:
    rows: list[SalesRow] = field(default_factory=list)

    @property
    def totals(self) -> SalesRow | None:
        if not self.rows:
            return None
        total = SalesRow(month=self.rows[0].month, reseller=self.rows[0].reseller)
        for row in self.rows:
            total.bookings += row.bookings
            total.seats += row.seats
            total.retail += row.retail
            total.commission += row.commission
        return total


def sales_report(*, resellers: QuerySet[Reseller]) -> SalesReport:
    """Sold bookings by reseller and month of confirmation (of booking when
    it was never held): seats, retail total, commission at the rate of the
    day it was sold, and what the operator keeps."""
    rows: dict[tuple[int, dt.date], SalesRow] = {}
    sold = (
        ResellerBooking.objects.filter(reseller__in=resellers, booking__status__in=SOLD)
        .select_related("reseller__organization", "booking")
        .order_by("pk")
    )
    for rb in sold:
        when = timezone.localtime(rb.confirmed_at or rb.created_at).date().replace(day=1)
        key = (rb.reseller_id, when)
        row = rows.get(key) or rows.setdefault(key, SalesRow(month=when, reseller=rb.reseller))
        row.bookings += 1
        row.seats += rb.booking.seats
        row.retail += rb.booking.total_price
        row.commission += rb.commission
    ordered = sorted(rows.values(), key=lambda r: (r.month, str(r.reseller)), reverse=True)
    return SalesReport(rows=ordered)


def by_reseller(report: SalesReport) -> dict[int, list[SalesRow]]:
    grouped: dict[int, list[SalesRow]] = defaultdict(list)
    for row in report.rows:
        grouped[row.reseller.pk].append(row)
    return grouped
