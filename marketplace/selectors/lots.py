"""Reads of lots: a partner's own lots, a lot's public trace, an order's lots."""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet, Sum

from accounts.models import User
from core import gs1

from ..models import Lot, LotDraw, Order, ProductVariant
from ..models.lots import fefo_order
from .access import counter_ids_for, producer_ids_for


def _with_details(lots: QuerySet[Lot]) -> QuerySet[Lot]:
    return lots.select_related(
        "variant__product", "producer", "village", "counter__centre__organization"
    )


def lots_for_partner(user: User | AnonymousUser) -> QuerySet[Lot]:
    """The lots a partner sees: those received at the counters they work at
    and those of the producers they belong to; newest first. District staff
    see every lot."""
    lots = _with_details(Lot.objects.all())
    if not user.is_authenticated:
        return lots.none()
    if user.is_staff:
        return lots
    return lots.filter(
        Q(counter_id__in=counter_ids_for(user)) | Q(producer_id__in=producer_ids_for(user))
    )


def lot_trace(*, gtin: str, code: str) -> Lot:
    """The lot behind a GS1 Digital Link (``/01/<gtin>/10/<code>``), with what
    its public page shows; Lot.DoesNotExist for an unknown GTIN or lot (a
    GTIN-8/12/13 is read as the GTIN-14 it pads to)."""
    if not gtin.isdigit() or len(gtin) not in gs1.GTIN_LENGTHS:
        raise Lot.DoesNotExist
    return (
        _with_details(Lot.objects.all())
        .prefetch_related("variant__product__certifications")
        .get(variant__gtin=gs1.normalise(gtin), code=code.upper())
    )


def variant_by_gtin(*, gtin: str) -> ProductVariant | None:
    """The variant on sale with this GTIN (8 to 14 digits, padded), or None."""
    if not gtin.isdigit() or len(gtin) not in gs1.GTIN_LENGTHS:
        return None
    return (
        ProductVariant.objects.filter(
            gtin=gs1.normalise(gtin), is_active=True, product__is_active=True
        )
        .select_related("product")
        .first()
    )


@dataclass(frozen=True)
class OrderLot:
    lot: Lot
    units: int


def order_lots(order: Order) -> list[OrderLot]:
    """The lots a handed-over order's goods came from (net of returns and an
    undone hand-over), by product and lot. An order not yet handed over has
    none: its lots are chosen at the hand-over (first expiring first out)."""
    rows = (
        LotDraw.objects.filter(movement__order=order)
        .values("lot_id")
        .annotate(units=Sum("quantity"))
        .filter(units__lt=0)
        .order_by()
    )
    units = {row["lot_id"]: -row["units"] for row in rows}
    if not units:
        return []
    lots = _with_details(Lot.objects.filter(pk__in=units)).order_by("variant_id", *fefo_order())
    return [OrderLot(lot, units[lot.pk]) for lot in lots]
