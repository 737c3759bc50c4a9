"""The bulk channel (农超对接 / 餐饮对接): requests at tier prices and the one
transition function of a bulk order."""

import enum
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core import hant
from core.cache import bump
from core.mail import send_on_commit
from core.transitions import Actor, Rule, successors
from organizations.models import Organization

from .. import errors
from ..models import (
    BUYER_KINDS,
    MAX_BULK_LINE_QUANTITY,
    BulkOrder,
    BulkOrderEvent,
    BulkOrderLine,
    ProductVariant,
)
from ..selectors import buyer_ids_for, producer_ids_for
from ..tasks import send_bulk_order_email
from .stock import check_quantity, variants_on_sale


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
    requested_by: User,
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
    wanted: dict[int, int] = {}
    for line in lines or ():
        variant, quantity = (
            (line.get("variant"), line.get("quantity")) if isinstance(line, Mapping) else line
        )
        variant_id = variant.pk if isinstance(variant, ProductVariant) else variant
        if quantity in (0, None):
            continue  # an empty box on the form
        check_quantity(quantity, low=1, high=MAX_BULK_LINE_QUANTITY, what=_("each line"))
        if isinstance(variant_id, bool) or not isinstance(variant_id, int):
            raise errors.UnknownVariant(_("Each line needs a product variant id."))
        wanted[variant_id] = wanted.get(variant_id, 0) + quantity
    if not wanted:
        raise errors.EmptyOrder()
    now = now or timezone.now()
    if requested_delivery_date <= timezone.localdate(now):
        raise errors.InvalidBulkOrder(_("Choose a delivery date after today."))
    with transaction.atomic():
        variants = variants_on_sale(wanted, prefetch=("tiers",))
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
                    product_name_zh_hant=variant.product.name_zh_hant
                    or hant.to_traditional(variant.product.name_zh_hans),
                    product_name_en=variant.product.name_en or "",
                    variant_name_zh_hans=variant.name_zh_hans,
                    variant_name_zh_hant=variant.name_zh_hant
                    or hant.to_traditional(variant.name_zh_hans),
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
            send_on_commit(
                send_bulk_order_email,
                bulk_order_id=bulk_order.pk,
                status=BulkOrder.Status.REQUESTED,
            )
    return bulk_order


class BulkNeed(enum.StrEnum):
    """What a change of a bulk order's status needs (see BULK_RULES)."""

    REASON = "a reason"
    DELIVERY_DATE = "a delivery date not in the past (default: the one requested)"


class BulkEffect(enum.StrEnum):
    """What a change of a bulk order's status does besides (see BULK_RULES)."""

    ADJUST_LINES = "quantities may change, prices re-read from the tiers"
    STAMP_SETTLED = "settled_at stamped"
    EMAIL_OTHER_SIDE = "the other side is e-mailed"
    SALES_FIGURES = "the consumption-support total moves"


_B = BulkOrder.Status
_PRODUCER_SIDE = frozenset({Actor.PRODUCER, Actor.DISTRICT_STAFF})
# Every change a bulk order may make, who may make it, what it needs and does.
BULK_RULES: dict[tuple[BulkOrder.Status, BulkOrder.Status], Rule] = {
    (_B.REQUESTED, _B.CONFIRMED): Rule(
        actors=_PRODUCER_SIDE,
        needs=(BulkNeed.DELIVERY_DATE,),
        effects=(BulkEffect.ADJUST_LINES, BulkEffect.EMAIL_OTHER_SIDE),
    ),
    (_B.REQUESTED, _B.REJECTED): Rule(
        actors=_PRODUCER_SIDE, needs=(BulkNeed.REASON,), effects=(BulkEffect.EMAIL_OTHER_SIDE,)
    ),
    (_B.CONFIRMED, _B.DELIVERED): Rule(
        actors=_PRODUCER_SIDE, effects=(BulkEffect.EMAIL_OTHER_SIDE,)
    ),
    (_B.DELIVERED, _B.SETTLED): Rule(
        actors=_PRODUCER_SIDE,
        effects=(
            BulkEffect.STAMP_SETTLED,
            BulkEffect.EMAIL_OTHER_SIDE,
            BulkEffect.SALES_FIGURES,
        ),
    ),
}
# from status -> the statuses it may become
BULK_TRANSITIONS: dict[BulkOrder.Status, frozenset[BulkOrder.Status]] = successors(BULK_RULES, _B)


def bulk_actor(bulk_order: BulkOrder, by: User) -> Actor:
    """Who ``by`` is to this bulk order; NotAllowed for anyone but its producer's side."""
    if by.is_staff:
        return Actor.DISTRICT_STAFF
    if bulk_order.producer_id in producer_ids_for(by):
        return Actor.PRODUCER
    raise errors.NotAllowed(_("Only the producer can move this bulk order on."))


def bulk_order_transition(
    *,
    bulk_order: BulkOrder,
    to: str,
    by: User,
    reason: str = "",
    quantities: Mapping[int, int] | None = None,
    delivery_date: date | None = None,
    notify: bool = True,
    now: datetime | None = None,
) -> BulkOrder:
    """The one way a bulk order changes status: a walk of BULK_RULES (who may
    make the change, what it needs, what it does; docs/marketplace.md shows
    the table). Every step is audited and the other side is e-mailed. Only
    the producer (or district staff) moves it.

    On confirmation the producer may lower or raise quantities (``quantities``:
    {line id: units}, 0 drops a line) and set the delivery date; prices are
    re-read from the tiers for the new quantities. Rejection needs a reason.
    """
    reason = (reason or "").strip()
    now = now or timezone.now()
    with transaction.atomic():
        bulk_order = BulkOrder.objects.select_for_update().get(pk=bulk_order.pk)
        actor = bulk_actor(bulk_order, by)
        current = BulkOrder.Status(bulk_order.status)
        try:
            target = BulkOrder.Status(to)
        except ValueError:
            raise errors.InvalidTransition(
                _("“%(to)s” is not a bulk order status.") % {"to": to}
            ) from None
        rule = BULK_RULES.get((current, target))
        if rule is None:
            raise errors.InvalidTransition(
                _("A bulk order that is %(from)s cannot become %(to)s.")
                % {"from": current.label, "to": target.label}
            )
        if actor not in rule.actors:
            raise errors.NotAllowed(_("Only the producer can move this bulk order on."))
        changes = []
        if BulkNeed.REASON in rule.needs and not reason:
            raise errors.ReasonRequired(_("Tell the buyer why the order is rejected."))
        if BulkNeed.DELIVERY_DATE in rule.needs:
            delivery_date = delivery_date or bulk_order.requested_delivery_date
            if delivery_date < timezone.localdate(now):
                raise errors.InvalidBulkOrder(_("The delivery date is in the past."))
            if delivery_date != bulk_order.requested_delivery_date:
                changes.append(f"delivery {bulk_order.requested_delivery_date} → {delivery_date}")
            bulk_order.delivery_date = delivery_date
        if BulkEffect.ADJUST_LINES in rule.effects:
            changes += _adjust_bulk_lines(bulk_order, quantities or {})
        if BulkEffect.STAMP_SETTLED in rule.effects:
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
        if notify and BulkEffect.EMAIL_OTHER_SIDE in rule.effects:
            send_on_commit(send_bulk_order_email, bulk_order_id=bulk_order.pk, status=target)
        if BulkEffect.SALES_FIGURES in rule.effects:
            bump("sales")  # the consumption-support total moved
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
        check_quantity(quantity, low=0, high=MAX_BULK_LINE_QUANTITY, what=line.product_name)
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
