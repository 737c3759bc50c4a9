"""Stock: receipts and corrections at a counter, the checks every order
shares (counter staff, quantities, variants on sale), and the cache bump for
catalogue edits. The locks and ledger rows are ``marketplace.ledger``'s."""

from datetime import datetime
from typing import TYPE_CHECKING, TypedDict, cast

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.cache import bump

from .. import errors
from ..ledger import lock_stocks, overdue_by_variant, record_movement
from ..models import Counter, ProductVariant, StockMovement
from ..selectors import works_at

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class Carried(TypedDict):
    is_carried: bool


def require_counter_staff(by: User, counter: Counter) -> None:
    if not works_at(by, counter):
        raise errors.NotAllowed(
            _("Only the staff of %(counter)s can do this.") % {"counter": counter}
        )


def check_quantity(quantity, *, low: int, high: int, what) -> int:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not low <= quantity <= high:
        raise errors.InvalidQuantity(
            _("The quantity of %(what)s must be a whole number from %(low)s to %(high)s.")
            % {"what": what, "low": low, "high": high}
        )
    return quantity


def variants_on_sale(
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
    require_counter_staff(by, counter)
    check_quantity(quantity, low=1, high=100_000, what=variant)
    with transaction.atomic():
        if not counter.producers.filter(pk=variant.product.producer_id).exists():
            raise errors.VariantNotCarried(
                _("%(counter)s does not carry %(producer)s's products.")
                % {"counter": counter, "producer": variant.product.producer}
            )
        stock = lock_stocks(counter_id=counter.pk, variant_ids=[variant.pk], create=True)[
            variant.pk
        ]
        movement = record_movement(
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
    require_counter_staff(by, counter)
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
        stock = lock_stocks(counter_id=counter.pk, variant_ids=[variant.pk], create=True)[
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
        movement = record_movement(
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
    bump("editorial")
