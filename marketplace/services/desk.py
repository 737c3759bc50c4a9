"""The pickup desk: what each of its buttons does, one service call per
button, for the staff of the order's counter. The admin page only reads the
forms and shows the outcome."""

import enum
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from accounts.models import User
from core import desk as offline
from core.errors import DomainError

from ..models import Order
from .orders import order_hand_over, order_line_return, order_transition, order_undo_hand_over


class DeskAction(enum.StrEnum):
    READY = "ready"
    COLLECT = "collect"
    HANDOVER = "handover"
    CANCEL = "cancel"
    RETURN = "return"
    EXPIRE = "expire"


def order_desk_action(
    *,
    order: Order,
    action: str,
    by: User,
    payment_method: str | None = None,
    reason: str = "",
    line_id: object = None,
    quantity: object = None,
) -> DeskAction:
    """Does one desk button to ``order`` and returns which it was.

    * ``ready``: placed → ready (the customer is e-mailed).
    * ``collect`` / ``handover``: ``order_hand_over`` with ``payment_method``
      (from placed both steps, nobody e-mailed).
    * ``cancel``: with ``reason`` (the customer is told).
    * ``return``: ``quantity`` units of the order's line ``line_id`` (both as
      typed) came back, with ``reason``.
    * ``expire``: an overdue order recorded as expired.

    Raises what those services raise, and DomainError ``invalid_return`` (no
    such line, or no whole number of units) or ``invalid_action``.
    """
    try:
        desk_action = DeskAction(action)
    except ValueError:
        raise DomainError(_("Choose what to do with this order."), code="invalid_action") from None
    if desk_action == DeskAction.READY:
        order_transition(order=order, to=Order.Status.READY, by=by)
    elif desk_action in (DeskAction.COLLECT, DeskAction.HANDOVER):
        order_hand_over(order=order, by=by, payment_method=payment_method or "")
    elif desk_action == DeskAction.CANCEL:
        order_transition(order=order, to=Order.Status.CANCELLED, by=by, reason=reason)
    elif desk_action == DeskAction.RETURN:
        line_text, units = str(line_id or "").strip(), str(quantity or "").strip()
        line = (
            order.lines.filter(pk=int(line_text)).first()
            if line_text.isascii() and line_text.isdigit() and len(line_text) < 19
            else None
        )
        if line is None or not (units.isascii() and units.isdigit()):
            raise DomainError(
                _("Choose the line and how many units came back."), code="invalid_return"
            )
        order_line_return(line=line, quantity=int(units), by=by, reason=reason)
    else:
        order_transition(
            order=order, to=Order.Status.EXPIRED, by=by, reason=gettext_noop("recorded at the desk")
        )
    return desk_action


# --- The task-focused desk (/vendor/desk/pickup/) and its offline queue -----------------

PICKUP_DESK = "pickup"
HANDOVER = "handover"


def _desk_order(actor: User, code: str) -> Order:
    """The order with this code at the actor's counters (an open one first),
    read without the page's prefetches: the queue applies many at once."""
    from django.db.models import Case, IntegerField, Value, When

    from core import codes

    from ..selectors import counter_ids_for

    order = (
        Order.objects.filter(
            counter_id__in=counter_ids_for(actor), pickup_code=codes.normalise(code)
        )
        .annotate(
            open_first=Case(
                When(status__in=Order.OPEN_STATUSES, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("open_first", "-placed_at")
        .first()
    )
    if order is None:
        raise DomainError(_("No order with this pickup code at your counters."), code="not_found")
    return order


def _hand_over(actor: User, action: offline.DeskAction, at: datetime) -> None:
    found = _desk_order(actor, action.code)
    # Locked before it is looked at: a second device's hand-over of the same
    # order waits here, then finds it collected.
    order = Order.objects.select_for_update(of=("self",)).select_related("counter").get(pk=found.pk)
    if order.status == Order.Status.COLLECTED:
        event = order.events.filter(to_status=Order.Status.COLLECTED).order_by("-at").first()
        raise DomainError(
            _("Already collected (%(when)s, by %(who)s).")
            % {
                "when": timezone.localtime(event.at).strftime("%m-%d %H:%M") if event else "?",
                "who": (event.by.get_full_name() or event.by.username)
                if event and event.by
                else "?",
            },
            code="already_collected",
        )
    if order.status == Order.Status.CANCELLED:
        raise DomainError(_("This order was cancelled meanwhile."), code="cancelled")
    order_hand_over(order=order, by=actor, payment_method=action.payment_method, now=at)


HANDLERS: offline.Handlers = {HANDOVER: _hand_over}


def apply_offline_actions(*, actor: User, actions: list[offline.DeskAction]) -> list:
    """The pickup desk's queued hand-overs, each applied exactly once, in
    scan-time order (core.desk.apply_actions): ``applied``, ``duplicate``, or
    ``conflict`` with the reason (already collected elsewhere, cancelled or
    expired meanwhile, no payment method)."""
    return offline.apply_actions(actor=actor, desk=PICKUP_DESK, actions=actions, handlers=HANDLERS)


def desk_undo_hand_over(*, actor: User, code: str) -> Order:
    """Undoes the latest hand-over of this code at the actor's counters."""
    return order_undo_hand_over(order=_desk_order(actor, code), by=actor)
