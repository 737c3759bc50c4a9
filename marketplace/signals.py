"""Which cached personal pages an order's change outdates (core.personal):
its customer's (``/account/``, the API's ``orders/``) and its counter's (the
pickup desk). Every save of an order goes through ``Order.save`` (the
services' transitions, the desk, the admin); lines are written with their
order (bulk_create, in the same transaction), and the one bulk update of a
line, a return, calls ``order_changed`` itself (services.orders). A counter
assignment outdates the cached list of the counters its user works at."""

from django.db.models.signals import post_delete, post_save

from core.cache import bump_item

from .models import CounterStaff, Order


def order_changed(order: Order) -> None:
    bump_item("person", order.customer_id)
    bump_item("counter", order.counter_id)


def _order_saved(sender, instance: Order, **kwargs) -> None:
    order_changed(instance)


def _assignment_changed(sender, instance: CounterStaff, **kwargs) -> None:
    # The counters a person works at (selectors.counter_ids_for) are cached
    # at their version.
    bump_item("person", instance.user_id)


def connect() -> None:
    post_save.connect(_order_saved, sender=Order, dispatch_uid="personal-order-saved")
    post_delete.connect(_order_saved, sender=Order, dispatch_uid="personal-order-deleted")
    post_save.connect(_assignment_changed, sender=CounterStaff, dispatch_uid="staff-saved")
    post_delete.connect(_assignment_changed, sender=CounterStaff, dispatch_uid="staff-deleted")
