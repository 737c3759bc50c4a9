"""The pickup desk's reads: the orders of the clerk's counters that matter
today (to collect, collected today, missed today), each as the plain dict the
desk's page shows and keeps offline."""

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import User

from ..models import Order, OrderLine
from .access import counter_ids_for


def desk_orders(*, user: User | AnonymousUser) -> QuerySet[Order]:
    """The orders of the counters the user works at (never another counter's)."""
    return (
        Order.objects.filter(counter_id__in=counter_ids_for(user))
        .select_related("customer", "counter__centre__organization")
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("pk")))
    )


def _today_start(now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def desk_day_end(now: dt.datetime) -> dt.datetime:
    """When today's list becomes tomorrow's (local midnight; Beijing keeps no DST)."""
    return _today_start(now) + dt.timedelta(days=1)


def desk_day(*, user: User | AnonymousUser, now: dt.datetime) -> list[Order]:
    """Today's list: open orders that can still be collected (today or
    tomorrow), orders collected today, and those whose deadline passed
    today uncollected (no-shows). Three queries whatever the number of rows."""
    start = _today_start(now)
    return list(
        desk_orders(user=user)
        .filter(
            Q(status__in=Order.OPEN_STATUSES, pickup_deadline__gte=start)
            | Q(status=Order.Status.COLLECTED, closed_at__gte=start)
            | Q(status=Order.Status.EXPIRED, pickup_deadline__gte=start)
        )
        .order_by("pickup_deadline", "pk")
    )


def customer_name(user: User) -> str:
    return user.get_full_name() or user.username


def order_item(order: Order, now: dt.datetime) -> dict:
    """An order as the desk shows it: who, what, paid or not, where it stands."""
    status = order.effective_status(now)
    collected = (
        order.closed_at.isoformat()
        if order.status == Order.Status.COLLECTED and order.closed_at
        else None
    )
    return {
        "code": order.pickup_code,
        "code_display": order.pickup_code_display,
        "status": status,
        "status_label": str(Order.Status(status).label),
        "name": customer_name(order.customer),
        "counter": order.counter.name,
        "counter_id": order.counter_id,
        "total": str(order.total),
        "paid": bool(order.payment_method),
        "payment_method": order.payment_method,
        "deadline": order.pickup_deadline.isoformat(),
        "collected_at": collected,
        "lines": [
            {
                "name": line.product_name,
                "variant": line.variant_name,
                "quantity": line.quantity,
                "total": str(line.line_total),
            }
            for line in order.line_list
        ],
    }
