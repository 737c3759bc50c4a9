"""Stock: receipts and corrections at a counter, the checks every order
shares (counter staff, quantities, variants on sale), and the cache bump for
catalogue edits. The locks and ledger rows are ``marketplace.ledger``'s."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, TypedDict, cast

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core import gs1
from core.cache import bump
from organizations.models import Area

from .. import errors
from ..ledger import lock_stocks, overdue_by_variant, record_movement
from ..models import Counter, Lot, ProductVariant, StockMovement
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


@dataclass(frozen=True)
class LotDetails:
    """What a receipt says about its lot (all optional: a code is drawn, the
    village is the product's, best before follows from the shelf life)."""

    code: str = ""
    village: Area | None = None
    harvested_on: date | None = None
    best_before: date | None = None
    certificate: str = Lot.Certificate.NONE
    certificate_number: str = ""


def _next_lot_code(variant: ProductVariant, year: int) -> str:
    """HR<year>-<n>: the next number among this variant's lots of that year."""
    prefix = f"HR{year}-"
    taken = Lot.objects.filter(variant=variant, code__startswith=prefix).values_list(
        "code", flat=True
    )
    numbers = [int(code[len(prefix) :]) for code in taken if code[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def new_lot(variant: ProductVariant, details: LotDetails, today: date) -> Lot:
    """The unsaved lot of a receipt, its details checked (InvalidLot, LotCodeTaken)."""
    product = variant.product
    if details.certificate not in Lot.Certificate.values:
        raise errors.InvalidLot(
            _("“%(value)s” is not a kind of certificate.") % {"value": details.certificate}
        )
    harvested, best_before = details.harvested_on, details.best_before
    if harvested and harvested > today:
        raise errors.InvalidLot(_("The harvest or production date cannot be in the future."))
    if best_before is None and harvested and product.shelf_life_days:
        best_before = harvested + timedelta(days=product.shelf_life_days)
    if best_before and harvested and best_before < harvested:
        raise errors.InvalidLot(_("Best before cannot be earlier than the harvest."))
    code = (details.code or "").strip().upper()
    if code:
        if not gs1.is_valid_lot(code) or code.startswith("U-"):
            raise errors.InvalidLot(
                _(
                    "A lot code is up to 20 capitals, digits and hyphens, starting with a "
                    "letter or digit (not U-, kept for unrecorded stock)."
                )
            )
        if Lot.objects.filter(variant=variant, code=code).exists():
            raise errors.LotCodeTaken(
                _("%(variant)s already has a lot %(code)s.") % {"variant": variant, "code": code}
            )
    else:
        code = _next_lot_code(variant, (harvested or today).year)
    return Lot(
        code=code,
        producer_id=product.producer_id,
        village=details.village or product.village,
        harvested_on=harvested,
        best_before=best_before,
        certificate=details.certificate,
        certificate_number=(details.certificate_number or "").strip()[:60],
        is_demo=product.is_demo,
    )


def stock_receive(
    *,
    counter: Counter,
    variant: ProductVariant,
    quantity: int,
    by: User,
    reason: str = "",
    now: datetime | None = None,
    lot: LotDetails | None = None,
) -> StockMovement:
    """Goods arrived at the counter: a ledger receipt and its lot (``lot``
    says where they come from; see LotDetails). ``now`` dates the row
    (imports of past deliveries); it defaults to the present. The movement's
    ``lot`` attribute is the lot it created."""
    require_counter_staff(by, counter)
    check_quantity(quantity, low=1, high=100_000, what=variant)
    now = now or timezone.now()
    with transaction.atomic():
        if not counter.producers.filter(pk=variant.product.producer_id).exists():
            raise errors.VariantNotCarried(
                _("%(counter)s does not carry %(producer)s's products.")
                % {"counter": counter, "producer": variant.product.producer}
            )
        stock = lock_stocks(counter_id=counter.pk, variant_ids=[variant.pk], create=True)[
            variant.pk
        ]
        # Under the stock lock: two receipts here cannot draw the same code
        # (receipts of the variant at another counter may; the unique
        # constraint then refuses one, which tries again with the next).
        details = lot or LotDetails()
        for attempt in range(3):
            receipt_lot = new_lot(variant, details, timezone.localdate(now))
            figures = stock.on_hand, stock.held
            try:
                with transaction.atomic():  # a savepoint: a lost code race undoes only this
                    movement = record_movement(
                        stock,
                        kind=StockMovement.Kind.RECEIPT,
                        quantity=quantity,
                        by=by,
                        reason=(reason or "").strip(),
                        now=now,
                        lot=receipt_lot,
                    )
                break
            except IntegrityError:
                stock.on_hand, stock.held = figures
                if details.code or attempt == 2:
                    raise errors.LotCodeTaken(
                        _("%(variant)s already has a lot %(code)s.")
                        % {"variant": variant, "code": receipt_lot.code}
                    ) from None
        movement.lot = receipt_lot
        bump("marketplace")
    return movement


def stock_correct(
    *,
    counter: Counter,
    variant: ProductVariant,
    quantity: int,
    by: User,
    reason: str,
    lot: Lot | None = None,
) -> StockMovement:
    """A counted difference (breakage, spoilage, a miscount): ``quantity`` is
    signed. On hand may not go below zero, nor below what open orders hold.
    ``lot`` names the lot it happened to; without it a loss comes out of the
    first-expiring lots and a find goes into the unrecorded lot."""
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
            lot=lot,
        )
        bump("marketplace")
    return movement


def catalogue_changed() -> None:
    """A product, variant, image, tier price, centre or counter was edited in
    an admin form: cached public pages must show it at once."""
    bump("marketplace")
    bump("editorial")
