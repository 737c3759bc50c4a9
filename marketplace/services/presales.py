"""Harvest presales: opening one, pledging, withdrawing, and sharing out the
real yield (``presale_allocate``), which turns each share into an ordinary
reserved order through the ledger."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.cache import bump
from core.errors import Conflict, DomainError
from core.mail import send_on_commit
from organizations.selectors import organization_ids_for

from .. import errors
from ..ledger import lock_stocks, record_movement
from ..models import MAX_PLEDGE, Counter, Pledge, Presale, ProductVariant, StockMovement
from ..selectors.access import producer_ids_for
from ..tasks import send_pledge_email
from .orders import _place, pickup_deadline
from .stock import LotDetails, new_lot

MAX_YIELD = 1_000_000


class PresaleClosed(Conflict):
    code = "presale_closed"
    default_message = gettext_lazy("This presale is not taking pledges.")


class AlreadyAllocated(Conflict):
    code = "already_allocated"
    default_message = gettext_lazy("This harvest has already been allocated.")


def allocate(available: int, pledges: Sequence[tuple[Hashable, int]]) -> dict[Hashable, int]:
    """Shares ``available`` units among ``pledges`` [(key, quantity)], given
    earliest first: everyone in full when the pledges fit; otherwise each gets
    the whole part of their exact pro-rata share (available × quantity ÷
    pledged), and the units left over go one each to the largest fractional
    parts, the earlier pledge first among equal ones (the largest remainder
    method). Nobody gets more than they pledged, no unit is given twice, and
    the shares add up to min(available, pledged)."""
    if available < 0:
        raise ValueError("available must not be negative")
    total = sum(quantity for _key, quantity in pledges)
    if total <= available:
        return dict(pledges)
    shares = {key: available * quantity // total for key, quantity in pledges}
    left = available - sum(shares.values())
    by_remainder = sorted(
        range(len(pledges)),
        key=lambda i: (-(available * pledges[i][1] % total), i),
    )
    for i in by_remainder[:left]:
        shares[pledges[i][0]] += 1
    return shares


def presale_open(
    *,
    by: User,
    variant: ProductVariant,
    price: Decimal,
    expected_yield: int,
    closes_at: dt.datetime,
    opens_at: dt.datetime | None = None,
    harvest_note: str = "",
    is_demo: bool = False,
) -> Presale:
    if not (by.is_staff or variant.product.producer_id in producer_ids_for(by)):
        raise errors.NotAllowed(_("Only the producer can open a presale of its product."))
    opens_at = opens_at or timezone.now()
    if closes_at <= opens_at:
        raise DomainError(_("Pledges must close after they open."), code="invalid_window")
    if price is None or price <= 0:
        raise DomainError(_("Give a price above zero."), code="invalid_price")
    if not 1 <= expected_yield <= MAX_YIELD:
        raise DomainError(
            _("The expected yield is 1 to %(max)s units.") % {"max": MAX_YIELD},
            code="invalid_yield",
        )
    presale = Presale.objects.create(
        variant=variant,
        price=price,
        expected_yield=expected_yield,
        opens_at=opens_at,
        closes_at=closes_at,
        harvest_note=harvest_note[:200],
        created_by=by,
        is_demo=is_demo,
    )
    bump("marketplace")
    return presale


def _lock(presale_id) -> Presale:
    try:
        return (
            Presale.objects.select_for_update(of=("self",))
            .select_related("variant__product")
            .get(pk=int(presale_id))
        )
    except (Presale.DoesNotExist, TypeError, ValueError):
        raise DomainError(_("There is no such presale."), code="unknown_presale") from None


def presale_pledge(
    *,
    customer: User,
    presale_id,
    counter: Counter,
    quantity,
    organization_id: int | None = None,
    language: str | None = None,
) -> Pledge:
    """Pledges ``quantity`` units, collected at ``counter``. A second pledge
    of the same customer replaces the first (its place in the queue kept when
    it asks for no more). Under the presale's row lock, which allocating takes
    too: no pledge slips in once the harvest is being shared out."""
    if (
        isinstance(quantity, bool)
        or not isinstance(quantity, int)
        or not 1 <= quantity <= MAX_PLEDGE
    ):
        raise errors.InvalidQuantity(_("Pledge 1 to %(max)s units.") % {"max": MAX_PLEDGE})
    if organization_id is not None and organization_id not in organization_ids_for(customer):
        raise errors.NotAllowed(_("You can pledge only for a business you act for."))
    with transaction.atomic():
        presale = _lock(presale_id)
        now = timezone.now()
        if not presale.is_taking_pledges(now):
            raise PresaleClosed()
        if (
            not counter.is_active
            or not counter.producers.filter(pk=presale.variant.product.producer_id).exists()
        ):
            raise errors.VariantNotCarried(
                _("%(counter)s does not sell this producer's products; choose another counter.")
                % {"counter": counter}
            )
        pledge = Pledge.objects.filter(
            presale=presale, customer=customer, status=Pledge.Status.PLEDGED
        ).first()
        language = language or translation.get_language() or "zh-hans"
        if pledge is None:
            pledge = Pledge.objects.create(
                presale=presale,
                customer=customer,
                organization_id=organization_id,
                counter=counter,
                quantity=quantity,
                language=language,
                created_at=now,
            )
        else:
            if quantity > pledge.quantity:
                pledge.created_at = now  # asking for more goes to the back of the queue
            pledge.quantity, pledge.counter, pledge.organization_id = (
                quantity,
                counter,
                organization_id,
            )
            pledge.language = language
            pledge.save()
        bump("marketplace")
    return pledge


def pledge_withdraw(*, pledge: Pledge, by: User) -> Pledge:
    if pledge.customer_id != by.pk:
        raise errors.NotAllowed(_("This is not your pledge."))
    with transaction.atomic():
        _lock(pledge.presale_id)
        pledge = Pledge.objects.get(pk=pledge.pk)
        if pledge.status != Pledge.Status.PLEDGED:
            raise PresaleClosed(
                _("This pledge can no longer be withdrawn: the harvest is allocated.")
            )
        pledge.status = Pledge.Status.WITHDRAWN
        pledge.save(update_fields=["status", "updated_at"])
        bump("marketplace")
    return pledge


@dataclass(frozen=True)
class Allocation:
    presale: Presale
    pledges: list[Pledge]
    pledged: int
    allocated: int

    @property
    def surplus(self) -> int:
        return (self.presale.actual_yield or 0) - self.allocated


def presale_allocate(*, presale_id, actual_yield, by: User) -> Allocation:
    """Records the real yield and shares it out, all in one transaction: a
    ledger receipt at each counter of what its pledges get, then one reserved
    order a pledge at the presale's price (ordinary orders: pickup code,
    deadline in the counter's opening hours, held stock), and an e-mail to
    everyone: allocated, reduced or not served. Running it again with the
    same yield answers the allocation made (idempotent); with another yield
    it is refused. Units beyond the pledges stay with the producer."""
    if (
        isinstance(actual_yield, bool)
        or not isinstance(actual_yield, int)
        or not 0 <= actual_yield <= MAX_YIELD
    ):
        raise DomainError(
            _("The actual yield is 0 to %(max)s units.") % {"max": MAX_YIELD}, code="invalid_yield"
        )
    with transaction.atomic():
        presale = _lock(presale_id)
        if not (by.is_staff or presale.variant.product.producer_id in producer_ids_for(by)):
            raise errors.NotAllowed(_("Only the producer can allocate its harvest."))
        if presale.status == Presale.Status.ALLOCATED:
            if presale.actual_yield != actual_yield:
                raise AlreadyAllocated(
                    _("This harvest was allocated with a yield of %(units)s units.")
                    % {"units": presale.actual_yield}
                )
            return _result(presale)
        if presale.status != Presale.Status.OPEN:
            raise PresaleClosed()
        variant = presale.variant
        if not (variant.is_active and variant.product.is_active):
            raise errors.UnknownVariant(
                _("Put %(variant)s on sale before allocating its harvest.") % {"variant": variant}
            )
        now = timezone.now()
        today = timezone.localdate(now)
        pledges = list(
            Pledge.objects.filter(presale=presale, status=Pledge.Status.PLEDGED)
            .select_related("customer", "counter")
            .order_by("created_at", "pk")
        )
        shares = allocate(actual_yield, [(p.pk, p.quantity) for p in pledges])
        per_counter: dict[int, int] = defaultdict(int)
        for pledge in pledges:
            per_counter[pledge.counter_id] += shares[pledge.pk]
        for counter_id, units in sorted(per_counter.items()):
            if units:
                stock = lock_stocks(counter_id=counter_id, variant_ids=[variant.pk], create=True)[
                    variant.pk
                ]
                record_movement(
                    stock,
                    kind=StockMovement.Kind.RECEIPT,
                    quantity=units,
                    by=by,
                    reason=f"harvest presale {presale.pk}",
                    now=now,
                    # The harvest is this allocation's: picked and sent now.
                    lot=new_lot(variant, LotDetails(harvested_on=today), today),
                )
        for pledge in pledges:
            share = shares[pledge.pk]
            pledge.allocated = share
            if share:
                pledge.order = _place(
                    pledge.customer,
                    pledge.counter,
                    {variant.pk: share},
                    pledge.language,
                    now,
                    pickup_deadline(counter=pledge.counter, placed_at=now),
                    presale.is_demo,
                    False,
                    prices={variant.pk: presale.price},
                    per_customer_cap=False,
                )
            pledge.status = (
                Pledge.Status.ALLOCATED
                if share == pledge.quantity
                else Pledge.Status.REDUCED
                if share
                else Pledge.Status.NOT_SERVED
            )
            pledge.save(update_fields=["allocated", "order", "status", "updated_at"])
            send_on_commit(send_pledge_email, pledge_id=pledge.pk)
        presale.status = Presale.Status.ALLOCATED
        presale.actual_yield = actual_yield
        presale.allocated_at = now
        presale.save(update_fields=["status", "actual_yield", "allocated_at"])
        bump("marketplace")
    return _result(presale)


def _result(presale: Presale) -> Allocation:
    pledges = list(
        presale.pledges.exclude(status=Pledge.Status.WITHDRAWN)
        .select_related("customer", "counter", "order")
        .order_by("created_at", "pk")
    )
    return Allocation(
        presale=presale,
        pledges=pledges,
        pledged=sum(p.quantity for p in pledges),
        allocated=sum(p.allocated or 0 for p in pledges),
    )
