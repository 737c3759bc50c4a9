"""Progress of the units against their reserved share of Huairou products.

For a unit's row of a year:

- target = food budget × share rate (none for a unit without a canteen);
- counted = the totals of its bulk orders *settled* in that year (local time);
- pending = its confirmed or delivered orders, not settled yet, due that year
  (shown apart, never counted);
- reached = counted ÷ target;
- pace = counted ÷ (target × elapsed), where elapsed is the part of the year
  already over (days before today ÷ days in the year: 0 on 1 January, 1 for
  a past year). **Behind pace** when pace < 1, i.e. the unit has bought less
  than an even spread of its target over the year would have by now. No
  warning without a target (no canteen, a zero target) or before the year
  has begun (elapsed 0).

One query whatever the number of units (the sums are subqueries).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import BulkOrder, PurchaseShare

ZERO = Decimal("0.00")
PENDING_STATUSES = (BulkOrder.Status.CONFIRMED, BulkOrder.Status.DELIVERED)


@dataclass(frozen=True)
class ShareProgress:
    share: PurchaseShare
    target: Decimal | None
    counted: Decimal
    pending: Decimal
    reached: Decimal | None  # fraction of the target, 0.25 = 25%
    pace: Decimal | None
    behind: bool

    @property
    def unit(self) -> str:
        return str(self.share.buyer)

    @property
    def reached_percent(self) -> Decimal | None:
        return None if self.reached is None else (self.reached * 100).quantize(Decimal("0.1"))


def elapsed_fraction(year: int, today: date) -> Decimal:
    """The part of ``year`` over before ``today``: 0 on 1 January, 1 once past."""
    if year < today.year:
        return Decimal(1)
    if year > today.year:
        return Decimal(0)
    start = date(year, 1, 1)
    days = (date(year + 1, 1, 1) - start).days
    return Decimal((today - start).days) / Decimal(days)


def progress_of(
    *, target: Decimal | None, counted: Decimal, elapsed: Decimal
) -> tuple[Decimal | None, Decimal | None, bool]:
    """(reached, pace, behind) for one unit; the rule in the module docstring."""
    if target is None or target <= 0:
        return None, None, False
    reached = (counted / target).quantize(Decimal("0.0001"))
    if elapsed <= 0:
        return reached, None, False
    pace = (counted / (target * elapsed)).quantize(Decimal("0.0001"))
    return reached, pace, pace < 1


def _sum(orders: QuerySet) -> Coalesce:
    money = DecimalField(max_digits=14, decimal_places=2)
    total = orders.values("buyer_id").annotate(s=Sum("total")).values("s")
    return Coalesce(Subquery(total, output_field=money), Value(ZERO), output_field=money)


def shares_with_sums(year: int, *, buyer_ids: list[int] | None = None) -> QuerySet:
    counted = BulkOrder.objects.filter(
        buyer_id=OuterRef("buyer_id"),
        status=BulkOrder.Status.SETTLED,
        settled_at__year=year,
    ).order_by()
    pending = BulkOrder.objects.filter(
        buyer_id=OuterRef("buyer_id"),
        status__in=PENDING_STATUSES,
        delivery_date__year=year,
    ).order_by()
    qs = (
        PurchaseShare.objects.filter(year=year)
        .select_related("buyer")
        .annotate(counted=_sum(counted), pending=_sum(pending))
    )
    if buyer_ids is not None:
        qs = qs.filter(buyer_id__in=buyer_ids)
    return qs


def share_progress(
    year: int, *, buyer_ids: list[int] | None = None, today: date | None = None
) -> list[ShareProgress]:
    """Every unit's row of ``year`` (``buyer_ids``: only these units), by name."""
    elapsed = elapsed_fraction(year, today or timezone.localdate())
    rows = []
    for share in shares_with_sums(year, buyer_ids=buyer_ids):
        target = share.target
        reached, pace, behind = progress_of(target=target, counted=share.counted, elapsed=elapsed)
        rows.append(
            ShareProgress(share, target, share.counted, share.pending, reached, pace, behind)
        )
    rows.sort(key=lambda row: row.unit)
    return rows


def share_filing_rows(rows: list[ShareProgress]) -> list[list]:
    """The yearly filing: one row per unit (budget, rate, target, counted, % of target)."""
    out = []
    for row in rows:
        share = row.share
        out.append(
            [
                row.unit,
                share.year,
                f"{share.food_budget:.2f}",
                f"{share.share_rate:.3f}",
                "" if row.target is None else f"{row.target:.2f}",
                f"{row.counted:.2f}",
                "" if row.reached_percent is None else f"{row.reached_percent}",
                _("yes") if share.has_canteen else _("no"),
            ]
        )
    return out


def share_filing_header() -> list[str]:
    return [
        _("Unit"),
        _("Year"),
        _("Food budget (yuan)"),
        _("Reserved share"),
        _("Target (yuan)"),
        _("Counted (yuan)"),
        _("Percent of target"),
        _("Has a canteen"),
    ]


def institutional_share_figures() -> list[dict]:
    """The dashboard's live total across the units this year."""
    year = timezone.localdate().year
    rows = share_progress(year)
    if not rows:
        return []
    counted = sum((row.counted for row in rows), ZERO)
    target = sum((row.target or ZERO for row in rows), ZERO)
    demo = (
        any(row.share.is_demo for row in rows)
        or BulkOrder.objects.filter(
            is_demo=True, buyer_id__in=[row.share.buyer_id for row in rows]
        ).exists()
    )
    note = _(
        "Settled bulk orders of %(units)s units this year against a reserved share of "
        "%(target)s yuan."
    ) % {"units": len(rows), "target": f"{target:.2f}"}
    if demo:
        note += " " + _("Includes demo data.")
    return [
        {
            "label": _("Institutional purchases of Huairou products this year"),
            "value": counted,
            "unit": _("yuan"),
            "note": note,
        }
    ]
