"""Every change to stock, orders and bulk orders goes through a function here.

Locking rules (they are what keeps orders from overselling and from
deadlocking each other):

* Stock rows are locked with ``select_for_update()`` in one statement ordered
  by primary key, so two transactions wanting overlapping rows queue up in the
  same order instead of waiting on each other.
* A transaction that changes an order locks that order's row *first*, then its
  stock rows; nothing locks stock and then an order.
* The cached ``on_hand``/``held`` figures are changed only while their row is
  locked, in the same transaction as the ledger row that explains the change.

Services that notify someone take ``notify`` (False for imports and demo
data: nothing is e-mailed) and those that date rows take ``now``.

Stock moves like this (see docs/marketplace.md): placing an order *holds*
units (held +n); collecting it *sells* them (on hand −n, held −n); cancelling
or expiry *releases* the hold (held −n). Receipts, returns and corrections
change what is on hand. Available = on hand − held (+ the holds of orders
past their deadline, which no longer count).
"""

from .bulk import BULK_TRANSITIONS, bulk_order_request, bulk_order_transition, tier_price
from .desk import DeskAction, apply_offline_actions, order_desk_action
from .orders import (
    ORDER_TRANSITIONS,
    PICKUP_CODE_LENGTH,
    REMINDER_BEFORE,
    expire_overdue_orders,
    order_collect_from,
    order_hand_over,
    order_line_return,
    order_place,
    order_place_once,
    order_transition,
    order_undo_hand_over,
    pickup_deadline,
    send_pickup_reminders,
)
from .presales import (
    Allocation,
    allocate,
    pledge_withdraw,
    presale_allocate,
    presale_open,
    presale_pledge,
)
from .stock import LotDetails, catalogue_changed, stock_correct, stock_receive

__all__ = [
    "BULK_TRANSITIONS",
    "ORDER_TRANSITIONS",
    "PICKUP_CODE_LENGTH",
    "REMINDER_BEFORE",
    "Allocation",
    "DeskAction",
    "LotDetails",
    "allocate",
    "apply_offline_actions",
    "bulk_order_request",
    "bulk_order_transition",
    "catalogue_changed",
    "expire_overdue_orders",
    "order_collect_from",
    "order_desk_action",
    "order_hand_over",
    "order_line_return",
    "order_place",
    "order_place_once",
    "order_transition",
    "order_undo_hand_over",
    "pickup_deadline",
    "pledge_withdraw",
    "presale_allocate",
    "presale_open",
    "presale_pledge",
    "send_pickup_reminders",
    "stock_correct",
    "stock_receive",
    "tier_price",
]
