"""The pickup desk at /vendor/desk/pickup/: one box for a typed or scanned
pickup code, the order shown big, one hand-over button with the payment
choice, an undo window, today's list; it works offline (core.desk has the
shared endpoints, static/js/desk/ the page's scripts)."""

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core import desk as offline
from core.payments import PaymentMethod

from . import services
from .models import Order
from .selectors import counter_ids_for, order_by_pickup_code
from .selectors.desk import desk_day, desk_day_end, desk_orders, order_item

OPEN_STATUSES = set(Order.OPEN_STATUSES)


class PickupDesk(offline.Desk):
    name = services.desk.PICKUP_DESK
    path = "pickup"
    template = "desk/pickup.html"
    kinds = (services.desk.HANDOVER,)

    def scope(self, user) -> list[int]:
        return counter_ids_for(user)

    def items(self, user, now: dt.datetime) -> list[dict]:
        return [order_item(order, now) for order in desk_day(user=user, now=now)]

    def watched(self, user) -> list[tuple[str, int]]:
        # Every save of an order bumps its counter (marketplace.signals).
        return [("counter", pk) for pk in self.scope(user)]

    def items_until(self, items: list[dict], now: dt.datetime) -> dt.datetime:
        # An open order turns into a no-show at its deadline; the list is
        # today's until midnight.
        day_end = desk_day_end(now)
        deadlines = [
            dt.datetime.fromisoformat(item["deadline"])
            for item in items
            if item["status"] in OPEN_STATUSES
        ]
        return min([d for d in deadlines if d > now] + [day_end])

    def find(self, user, code: str, now: dt.datetime) -> dict | None:
        order = order_by_pickup_code(code=code, orders=desk_orders(user=user))
        return order_item(order, now) if order else None

    def handlers(self) -> offline.Handlers:
        return services.desk.HANDLERS

    def undo(self, user, code: str, now: dt.datetime) -> None:
        services.desk.desk_undo_hand_over(actor=user, code=code)

    def page_context(self, request) -> dict:
        return {
            "title": _("Pickup desk"),
            "payment_methods": [
                (value, label)
                for value, label in PaymentMethod.choices
                if value != PaymentMethod.BANK_TRANSFER
            ],
        }

    def strings(self) -> dict[str, str]:
        return {
            "action": _("Hand over and take payment"),
            "done": _("Handed over"),
            "done_offline": _("Handed over (not yet synced)"),
            "closed": _("Nothing to hand over: this order is %(status)s."),
            "lines": _("Items"),
        }

    def manifest_names(self) -> tuple[str, str]:
        return _("Pickup desk"), pgettext("desk app short name", "Counter")


pickup_desk = PickupDesk()
