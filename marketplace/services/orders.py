"""Reserve-and-collect orders: placing, the one transition function, expiry,
reminders and returns after collection."""

import enum
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from accounts.models import User
from core import codes, hant
from core.cache import bump
from core.mail import send_on_commit
from core.models import IdempotencyKey
from core.payments import PaymentMethod
from core.transitions import Actor, Rule, successors

from .. import errors, hours
from ..ledger import lock_line_sources, lock_stocks, open_units, record_movement
from ..models import (
    MAX_LINE_QUANTITY,
    MAX_ORDER_LINES,
    Counter,
    Order,
    OrderEvent,
    OrderLine,
    ProductVariant,
    StockMovement,
)
from ..selectors import (
    WEB_CHECKOUT_SCOPE,
    counter_schedule,
    counter_schedules,
    is_centre_manager,
    order_placed_with_key,
    works_at,
)
from ..signals import order_changed
from ..tasks import send_order_email
from .stock import check_quantity, require_counter_staff, variants_on_sale

PICKUP_CODE_LENGTH = 6
REMINDER_BEFORE = hours.REMINDER_BEFORE


def _merge_lines(lines) -> dict[int, int]:
    """{variant id: quantity} from [{"variant": id|ProductVariant, "quantity": n}] or
    [(variant, n)]; the same variant twice is added up."""
    wanted: dict[int, int] = {}
    for line in lines or ():
        if isinstance(line, Mapping):
            variant, quantity = line.get("variant"), line.get("quantity")
        else:
            variant, quantity = line
        variant_id = variant.pk if isinstance(variant, ProductVariant) else variant
        if isinstance(variant_id, bool) or not isinstance(variant_id, int):
            raise errors.UnknownVariant(_("Each line needs a product variant id."))
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
            raise errors.InvalidQuantity(
                _("Quantities must be whole numbers from 1 to %(max)s.")
                % {"max": MAX_LINE_QUANTITY}
            )
        wanted[variant_id] = wanted.get(variant_id, 0) + quantity
    if not wanted:
        raise errors.EmptyOrder()
    if len(wanted) > MAX_ORDER_LINES:
        raise errors.TooManyLines(
            _("At most %(max)s different products in one order.") % {"max": MAX_ORDER_LINES}
        )
    return wanted


def _new_pickup_code() -> str:
    return codes.draw(PICKUP_CODE_LENGTH)


def order_place_once(
    *, key: str, customer: User, counter: Counter, lines: Iterable, language: str | None = None
) -> tuple[Order | None, bool]:
    """``order_place`` at most once per ``key``, the one-time key of the web
    checkout form, so the same form sent twice (a double click, a reload)
    places one order. Returns (the order, True) when this call placed it,
    else (the order the first request placed, False). Raises what
    ``order_place`` raises.
    """
    if not key:
        return order_place(customer=customer, counter=counter, lines=lines, language=language), True
    try:
        with transaction.atomic():
            # Claimed before placing: a second request with this key waits on
            # the unique key, then finds it taken.
            claim = IdempotencyKey.objects.create(
                user=customer,
                scope=WEB_CHECKOUT_SCOPE,
                key=key,
                request_hash="",
                response_status=302,
                response_body={},
            )
            order = order_place(customer=customer, counter=counter, lines=lines, language=language)
            claim.response_body = {"order": order.pk}
            claim.save(update_fields=["response_body"])
    except IntegrityError:
        return order_placed_with_key(user=customer, key=key), False
    return order, True


def order_place(
    *,
    customer: User,
    counter: Counter,
    lines: Iterable,
    language: str | None = None,
    now: datetime | None = None,
    is_demo: bool = False,
    notify: bool = True,
    collect_from: datetime | None = None,
) -> Order:
    """Reserves every line at ``counter`` or nothing, and returns the order.

    ``collect_from``: the pickup deadline counts from then instead of from
    now, when it is later (produce booked with a tour is collected on the
    trip, so its ``PICKUP_DAYS`` start at the departure).

    Raises UnknownVariant, VariantNotCarried, InvalidQuantity, EmptyOrder,
    TooManyLines, CounterUnavailable (400), InsufficientStock (409, naming
    the line) or ItemLimitReached (409: the customer's open orders at this
    counter would hold more than MAX_OPEN_UNITS_PER_ITEM of one variant). The
    stock rows are locked in primary-key order before they are read, so
    concurrent orders queue up and never oversell, nor pass the cap together.
    """
    wanted = _merge_lines(lines)
    for variant_id, quantity in wanted.items():
        if quantity > MAX_LINE_QUANTITY:
            raise errors.InvalidQuantity(
                _(
                    "At most %(max)s of one product per order (line with variant %(id)s asks for %(n)s)."
                )
                % {"max": MAX_LINE_QUANTITY, "id": variant_id, "n": quantity}
            )
    now = now or timezone.now()
    # ``counter`` is taken as the caller read it (the API's input serializer
    # has just loaded it, with its centre for the answer): reading it again
    # would not make the check safer, since nothing locks a counter.
    if not counter.is_active:
        raise errors.CounterUnavailable()
    start = max(now, collect_from) if collect_from is not None else now
    deadline = pickup_deadline(counter=counter, placed_at=start)
    # No two open orders share a pickup code (a partial unique index). A code
    # that is taken fails the insert and the whole placement runs again with a
    # new draw: with 31^6 ≈ 887 million codes that is rare enough to beat a
    # savepoint (two more round trips) around every order's insert.
    for _attempt in range(20):
        try:
            return _place(customer, counter, wanted, language, now, deadline, is_demo, notify)
        except IntegrityError as error:
            if "pickup_code" not in str(error):
                raise
    raise RuntimeError("could not draw a free pickup code")  # pragma: no cover


def pickup_deadline(*, counter: Counter, placed_at: datetime) -> datetime:
    """``PICKUP_DAYS`` after ``placed_at``, moved to the close of the counter's
    next opening when it is closed then (``marketplace.hours``). One query, or
    none when the counter's hours are in the shared cache."""
    schedule = counter_schedule(counter_id=counter.pk, start=timezone.localdate(placed_at))
    return hours.pickup_deadline(schedule, placed_at + timedelta(days=settings.PICKUP_DAYS))


def order_collect_from(*, order: Order, collect_from: datetime, by: User | None) -> Order:
    """An open order's pickup deadline counted again from ``collect_from``
    (the day a rescheduled trip now starts), as ``order_place`` counts it;
    the reminder is due again. Recorded as an event (same status, the two
    deadlines); an order no longer open is left as it is."""
    with transaction.atomic():
        order = (
            Order.objects.select_for_update(of=("self",)).select_related("counter").get(pk=order.pk)
        )
        if order.status not in Order.OPEN_STATUSES:
            return order
        now = timezone.now()
        deadline = pickup_deadline(counter=order.counter, placed_at=max(now, collect_from))
        if deadline == order.pickup_deadline:
            return order
        old = order.pickup_deadline
        order.pickup_deadline = deadline
        order.reminder_sent_at = None
        order.save(update_fields=["pickup_deadline", "reminder_sent_at"])
        local = timezone.localtime
        OrderEvent.objects.create(
            order=order,
            from_status=order.status,
            to_status=order.status,
            by=by,
            at=now,
            reason=f"pickup deadline moved with the trip: {local(old):%Y-%m-%d %H:%M} → "
            f"{local(deadline):%Y-%m-%d %H:%M}",
        )
    return order


def _place(
    customer: User,
    counter,
    wanted,
    language,
    now,
    deadline,
    is_demo,
    notify,
    *,
    prices: dict[int, Decimal] | None = None,
    per_customer_cap: bool = True,
) -> Order:
    """The placement itself. ``prices`` replaces the variants' own (a harvest
    presale's price); ``per_customer_cap=False`` for allocations, which a
    producer made and the buyer pledged (the cap keeps one visitor from
    reserving a counter's whole stock, which an allocation is not)."""
    with transaction.atomic():
        sources = lock_line_sources(counter_id=counter.pk, variant_ids=wanted)
        variants = None
        if len(sources) < len(wanted):
            # A variant not on sale or not carried here (these raise), or one
            # never stocked at this counter (none available).
            variants = variants_on_sale(wanted, sold_at=counter)
        # The overdue units and this customer's open units in one statement,
        # under the stock locks every order for these variants here takes, so
        # two orders of one customer cannot pass the cap together.
        overdue, mine = open_units(
            counter_id=counter.pk, variant_ids=wanted, now=now, customer_id=customer.pk
        )
        cap = settings.MAX_OPEN_UNITS_PER_ITEM
        for variant_id in sorted(wanted):
            stock = sources[variant_id].stock if variant_id in sources else None
            available = stock.on_hand - stock.held + overdue.get(variant_id, 0) if stock else 0
            if wanted[variant_id] > available:
                available = max(available, 0)
                variant = (variants or variants_on_sale([variant_id]))[variant_id]
                raise errors.InsufficientStock(
                    _(
                        "Only %(available)s of %(variant)s left at %(counter)s; you asked for %(quantity)s."
                    )
                    % {
                        "available": available,
                        "variant": variant,
                        "counter": counter,
                        "quantity": wanted[variant_id],
                    },
                    variant_id=variant_id,
                    available=available,
                )
            if per_customer_cap and mine.get(variant_id, 0) + wanted[variant_id] > cap:
                variant = (variants or variants_on_sale([variant_id]))[variant_id]
                raise errors.ItemLimitReached(
                    _(
                        "You can reserve at most %(max)s units of %(variant)s at %(counter)s; "
                        "you already have %(open)s in open orders."
                    )
                    % {
                        "max": cap,
                        "variant": variant,
                        "counter": counter,
                        "open": mine.get(variant_id, 0),
                    },
                    variant_id=variant_id,
                    limit=cap,
                    open_units=mine.get(variant_id, 0),
                )

        unit_prices = {v: (prices or {}).get(v, sources[v].unit_price) for v in wanted}
        total = sum((unit_prices[v] * q for v, q in wanted.items()), Decimal("0.00"))
        order = Order.objects.create(
            pickup_code=_new_pickup_code(),
            customer=customer,
            counter=counter,
            total=total,
            placed_at=now,
            pickup_deadline=deadline,
            language=language or translation.get_language() or settings.LANGUAGE_CODE,
            is_demo=is_demo,
        )
        order_lines = []
        for variant_id in sorted(wanted):
            source, quantity = sources[variant_id], wanted[variant_id]
            order_lines.append(
                OrderLine(
                    order=order,
                    variant_id=variant_id,
                    producer_id=source.producer_id,
                    village_id=source.village_id,
                    product_name_zh_hans=source.product_name_zh_hans,
                    product_name_zh_hant=source.product_name_zh_hant
                    or hant.to_traditional(source.product_name_zh_hans),
                    product_name_en=source.product_name_en or "",
                    variant_name_zh_hans=source.variant_name_zh_hans,
                    variant_name_zh_hant=source.variant_name_zh_hant
                    or hant.to_traditional(source.variant_name_zh_hans),
                    variant_name_en=source.variant_name_en or "",
                    sku=source.sku,
                    unit_price=unit_prices[variant_id],
                    quantity=quantity,
                    line_total=unit_prices[variant_id] * quantity,
                )
            )
            record_movement(
                source.stock,
                kind=StockMovement.Kind.HOLD,
                held=quantity,
                by=customer,
                order=order,
                now=now,
            )
        order.line_list = OrderLine.objects.bulk_create(order_lines)
        OrderEvent.objects.create(
            order=order, from_status="", to_status=Order.Status.PLACED, by=customer, at=now
        )
        if notify:
            send_on_commit(send_order_email, order_id=order.pk, kind="placed")
        bump("marketplace")
    return order


class Need(enum.StrEnum):
    """What a change of an order's status needs (see ORDER_RULES)."""

    IN_TIME = "the pickup deadline has not passed"
    DEADLINE_PASSED = "the pickup deadline has passed"
    PAYMENT_METHOD = "the payment method"
    REASON_UNLESS_CUSTOMER = "a reason, unless the customer cancels"
    UNDO_WINDOW = "within the undo window, by whoever handed it over or a manager"


class Effect(enum.StrEnum):
    """What a change of an order's status does besides (see ORDER_RULES)."""

    STAMP_READY = "ready_at stamped"
    SALE = "ledger: sale (on hand −n, held −n)"
    RELEASE = "ledger: release (held −n)"
    EXPIRY_RELEASE = "ledger: expiry release (held −n)"
    EMAIL_READY = "the customer is e-mailed"
    EMAIL_CANCELLED = "the customer is e-mailed, unless they cancelled"
    SALES_FIGURES = "the sales figures move"
    UNDO_SALE = "ledger: sale undone (on hand +n, held +n), the payment cleared"


_S = Order.Status
_STAFF = frozenset({Actor.COUNTER_STAFF})
_EXPIRE = Rule(
    actors=frozenset({Actor.COUNTER_STAFF, Actor.SYSTEM}),
    needs=(Need.DEADLINE_PASSED,),
    effects=(Effect.EXPIRY_RELEASE,),
)
# Every change an order may make, who may make it, what it needs and does.
# The customer's ready → cancelled is refused with advice (not "not allowed").
ORDER_RULES: dict[tuple[Order.Status, Order.Status], Rule] = {
    (_S.PLACED, _S.READY): Rule(
        actors=_STAFF, needs=(Need.IN_TIME,), effects=(Effect.STAMP_READY, Effect.EMAIL_READY)
    ),
    # The system: a trip cancelled by its operator takes its produce order
    # "on the way" with it (tours.services.bookings.cancel_produce_on_the_way).
    (_S.PLACED, _S.CANCELLED): Rule(
        actors=frozenset({Actor.CUSTOMER, Actor.COUNTER_STAFF, Actor.SYSTEM}),
        needs=(Need.IN_TIME, Need.REASON_UNLESS_CUSTOMER),
        effects=(Effect.RELEASE, Effect.EMAIL_CANCELLED),
    ),
    (_S.PLACED, _S.EXPIRED): _EXPIRE,
    (_S.READY, _S.COLLECTED): Rule(
        actors=_STAFF,
        needs=(Need.IN_TIME, Need.PAYMENT_METHOD),
        effects=(Effect.SALE, Effect.SALES_FIGURES),
    ),
    (_S.READY, _S.CANCELLED): Rule(
        actors=_STAFF,
        needs=(Need.IN_TIME, Need.REASON_UNLESS_CUSTOMER),
        effects=(Effect.RELEASE, Effect.EMAIL_CANCELLED),
        refusals={
            Actor.CUSTOMER: _("The order is already being prepared; ask the counter to cancel it.")
        },
    ),
    (_S.READY, _S.EXPIRED): _EXPIRE,
    # A mistaken hand-over, undone at the desk (order_undo_hand_over).
    (_S.COLLECTED, _S.READY): Rule(
        actors=_STAFF,
        needs=(Need.UNDO_WINDOW,),
        effects=(Effect.UNDO_SALE, Effect.SALES_FIGURES),
    ),
}
# from status -> the statuses it may become
ORDER_TRANSITIONS: dict[Order.Status, frozenset[Order.Status]] = successors(ORDER_RULES, _S)
_LEDGER: dict[enum.StrEnum, tuple[str, int, int]] = {
    # effect -> (ledger kind, on-hand sign, held sign)
    Effect.SALE: (StockMovement.Kind.SALE, -1, -1),
    Effect.RELEASE: (StockMovement.Kind.RELEASE, 0, -1),
    Effect.EXPIRY_RELEASE: (StockMovement.Kind.EXPIRY_RELEASE, 0, -1),
    Effect.UNDO_SALE: (StockMovement.Kind.SALE_UNDONE, 1, 1),
}


def order_actor(order: Order, by: User | None) -> Actor:
    """Who ``by`` is to this order; NotAllowed for someone with no part in it."""
    if by is None:
        return Actor.SYSTEM
    if works_at(by, order.counter):
        return Actor.COUNTER_STAFF
    if by.pk == order.customer_id:
        return Actor.CUSTOMER
    raise errors.NotAllowed(_("This is not your order."))


def _refuse(rule: Rule, actor: Actor) -> errors.DomainError:
    if actor in rule.refusals:
        return errors.InvalidTransition(rule.refusals[actor])
    if actor == Actor.SYSTEM:
        return errors.NotAllowed()
    return errors.NotAllowed(_("Only the counter staff can do this."))


def _check_needs(
    order: Order,
    rule: Rule,
    actor: Actor,
    *,
    by_other: bool,
    reason: str,
    payment_method: str | None,
    now: datetime,
    by: User | None = None,
) -> None:
    """Refuses the change unless the deadline, the actor and what the rule needs allow it."""
    overdue = order.is_overdue(now)
    if Need.DEADLINE_PASSED in rule.needs and not overdue:
        raise errors.InvalidTransition(_("The pickup deadline has not passed yet."))
    if Need.IN_TIME in rule.needs and overdue:
        raise errors.OrderExpired()
    if actor not in rule.actors:
        raise _refuse(rule, actor)
    if Need.PAYMENT_METHOD in rule.needs and payment_method not in PaymentMethod.values:
        raise errors.PaymentMethodRequired()
    if (
        Need.REASON_UNLESS_CUSTOMER in rule.needs
        and (by_other or actor == Actor.SYSTEM)
        and not reason
    ):
        raise errors.ReasonRequired(_("Say why the order is cancelled; the customer is told."))
    if Need.UNDO_WINDOW in rule.needs:
        _check_undo(order, by, now)


def _check_undo(order: Order, by: User | None, now: datetime) -> None:
    """A hand-over may be undone for DESK_UNDO_MINUTES, by whoever made it or
    a manager of the centre (or district staff), and only before any return."""
    collected = order.events.filter(to_status=Order.Status.COLLECTED).order_by("-at", "-pk").first()
    window = timedelta(minutes=settings.DESK_UNDO_MINUTES)
    if collected is None or now - collected.at > window:
        raise errors.InvalidTransition(
            _("A hand-over can only be undone within %(minutes)s minutes.")
            % {"minutes": settings.DESK_UNDO_MINUTES}
        )
    if by is None or (collected.by_id != by.pk and not is_centre_manager(by, order.counter)):
        raise errors.NotAllowed(_("Only whoever handed the order over, or a manager, can undo it."))
    if order.lines.filter(returned_quantity__gt=0).exists():
        raise errors.InvalidTransition(_("Goods of this order came back already; record a return."))


def _move_stock(
    order: Order,
    kind: str,
    on_hand_sign: int,
    held_sign: int,
    *,
    by: User | None,
    reason: str,
    now: datetime,
) -> None:
    """One ledger row per line of the order, under the lock of its stock rows."""
    lines = list(order.lines.all())
    stocks = lock_stocks(
        counter_id=order.counter_id, variant_ids=[line.variant_id for line in lines]
    )
    for line in lines:
        record_movement(
            stocks[line.variant_id],
            kind=kind,
            quantity=on_hand_sign * line.quantity,
            held=held_sign * line.quantity,
            by=by,
            order=order,
            reason=reason,
            now=now,
        )


def order_transition(
    *,
    order: Order,
    to: str,
    by: User | None,
    reason: str = "",
    payment_method: str | None = None,
    now: datetime | None = None,
    notify: bool = True,
) -> Order:
    """The one way an order changes status: a walk of ORDER_RULES (who may
    make the change, what it needs, what it does; docs/marketplace.md shows
    the table), recorded as an OrderEvent (who, when, from, to, why).
    ``by=None`` is the system. An overdue order can only expire: its stock is
    already counted as free.
    """
    now = now or timezone.now()
    reason = (reason or "").strip()
    with transaction.atomic():
        order = (
            Order.objects.select_for_update(of=("self",))
            .select_related("counter__centre__organization")
            .get(pk=order.pk)
        )
        current = Order.Status(order.status)
        try:
            target = Order.Status(to)
        except ValueError:
            raise errors.InvalidTransition(
                _("“%(to)s” is not an order status.") % {"to": to}
            ) from None
        actor = order_actor(order, by)
        rule = ORDER_RULES.get((current, target))
        if rule is None:
            raise errors.InvalidTransition(
                _("An order that is %(from)s cannot become %(to)s.")
                % {"from": current.label, "to": target.label}
            )
        by_other = by is not None and by.pk != order.customer_id
        _check_needs(
            order,
            rule,
            actor,
            by_other=by_other,
            reason=reason,
            payment_method=payment_method,
            now=now,
            by=by,
        )
        if Need.PAYMENT_METHOD in rule.needs:
            order.payment_method = payment_method or ""
        ledger = next((_LEDGER[e] for e in rule.effects if e in _LEDGER), None)
        if ledger:
            _move_stock(order, *ledger, by=by, reason=reason, now=now)
            order.closed_at = None if Effect.UNDO_SALE in rule.effects else now
        if Effect.UNDO_SALE in rule.effects:
            order.payment_method = ""
        if Effect.STAMP_READY in rule.effects:
            order.ready_at = now
        order.status = target
        order.save(update_fields=["status", "ready_at", "closed_at", "payment_method"])
        OrderEvent.objects.create(
            order=order, from_status=current, to_status=target, by=by, at=now, reason=reason
        )

        if notify and Effect.EMAIL_READY in rule.effects:
            send_on_commit(send_order_email, order_id=order.pk, kind="ready")
        elif notify and Effect.EMAIL_CANCELLED in rule.effects and actor != Actor.CUSTOMER:
            send_on_commit(send_order_email, order_id=order.pk, kind="cancelled")
        if ledger:
            bump("marketplace")
        if Effect.SALES_FIGURES in rule.effects:
            bump("sales")  # the consumption-support figures moved
    return order


def order_hand_over(*, order: Order, by, payment_method: str, now: datetime | None = None) -> Order:
    """The pickup desk's hand-over: the customer pays and takes the order,
    in one transaction. From placed (they came before it was prepared) it
    records placed → ready → collected, from ready just → collected; each
    step is an OrderEvent, the sale is in the ledger. Nobody is e-mailed:
    the customer is at the counter, and "ready for pickup" would be wrong.

    ``payment_method`` is required (PaymentMethodRequired, nothing written);
    other states refuse as ``order_transition`` does (InvalidTransition,
    OrderExpired, NotAllowed).
    """
    if payment_method not in PaymentMethod.values:
        raise errors.PaymentMethodRequired()
    now = now or timezone.now()
    with transaction.atomic():
        order = (
            Order.objects.select_for_update(of=("self",)).select_related("counter").get(pk=order.pk)
        )
        require_counter_staff(by, order.counter)
        if order.status == Order.Status.PLACED:
            order = order_transition(
                order=order,
                to=Order.Status.READY,
                by=by,
                reason=gettext_noop("handed over at once"),
                now=now,
                notify=False,
            )
        order = order_transition(
            order=order,
            to=Order.Status.COLLECTED,
            by=by,
            payment_method=payment_method,
            now=now,
            notify=False,
        )
    return order


def order_undo_hand_over(*, order: Order, by: User, reason: str = "") -> Order:
    """Undoes a mistaken hand-over: collected → ready, the sale back in the
    ledger (on hand and held again), the payment cleared; audited as an
    OrderEvent. See ``_check_undo`` for who and until when."""
    return order_transition(
        order=order,
        to=Order.Status.READY,
        by=by,
        reason=reason or "hand-over undone at the desk",
        notify=False,
    )


def expire_overdue_orders(*, now: datetime | None = None) -> int:
    """Moves every open order past its deadline to expired and releases its
    hold, one order per transaction. Availability is already right without
    this (see selectors); it keeps the cached figures and statuses tidy."""
    now = now or timezone.now()
    ids = list(
        Order.objects.filter(status__in=Order.OPEN_STATUSES, pickup_deadline__lte=now)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    expired = 0
    for order_id in ids:
        try:
            order_transition(
                order=Order(pk=order_id),
                to=Order.Status.EXPIRED,
                by=None,
                reason=gettext_noop("pickup deadline passed"),
                now=now,
            )
        except errors.InvalidTransition:
            continue  # collected or cancelled meanwhile
        expired += 1
    return expired


def send_pickup_reminders(*, now: datetime | None = None) -> int:
    """E-mails each customer whose order's reminder is due, once: a day
    before the deadline, or earlier when the counter's opening hours would
    leave too little time to come (``marketplace.hours.reminder_due``).

    Claiming the order with a conditional UPDATE (``reminder_sent_at IS
    NULL``) makes the command safe to run as often as you like, even twice
    at the same time: each reminder is queued by exactly one run."""
    now = now or timezone.now()
    candidates = list(
        Order.objects.filter(
            status__in=Order.OPEN_STATUSES,
            reminder_sent_at__isnull=True,
            pickup_deadline__gt=now,
        ).values_list("pk", "counter_id", "pickup_deadline")
    )
    schedules = counter_schedules(
        counter_ids={counter_id for _pk, counter_id, _deadline in candidates},
        start=timezone.localdate(now),
    )
    due = [
        pk
        for pk, counter_id, deadline in candidates
        if hours.reminder_due(schedules[counter_id], deadline) <= now
    ]
    sent = 0
    for order_id in due:
        with transaction.atomic():
            claimed = Order.objects.filter(pk=order_id, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if claimed:
                send_on_commit(send_order_email, order_id=order_id, kind="reminder")
                sent += 1
    return sent


def order_line_return(*, line: OrderLine, quantity: int, by: User, reason: str) -> StockMovement:
    """Collected goods brought back and put on sale again (refunded at the counter)."""
    reason = (reason or "").strip()
    if not reason:
        raise errors.ReasonRequired(_("Say why the goods came back."))
    with transaction.atomic():
        order = Order.objects.select_for_update().select_related("counter").get(pk=line.order_id)
        require_counter_staff(by, order.counter)
        if order.status != Order.Status.COLLECTED:
            raise errors.InvalidTransition(_("Only collected orders can have returns."))
        line = OrderLine.objects.get(pk=line.pk)
        returnable = line.quantity - line.returned_quantity
        if returnable < 1:
            raise errors.InvalidQuantity(_("Every unit of this line has already been returned."))
        check_quantity(quantity, low=1, high=returnable, what=line.product_name)
        stock = lock_stocks(
            counter_id=order.counter_id, variant_ids=[line.variant_id], create=True
        )[line.variant_id]
        OrderLine.objects.filter(pk=line.pk).update(
            returned_quantity=F("returned_quantity") + quantity
        )
        order_changed(order)  # a bulk update sends no signal
        movement = record_movement(
            stock,
            kind=StockMovement.Kind.RETURN,
            quantity=quantity,
            by=by,
            order=order,
            reason=reason,
        )
        bump("marketplace")
        bump("sales")  # the sales figures are net of returns
    return movement
