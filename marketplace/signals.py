"""Which cached personal pages an order's change outdates (core.personal):
its customer's (``/account/``, the API's ``orders/``) and its counter's (the
pickup desk). Every save of an order goes through ``Order.save`` (the
services' transitions, the desk, the admin); lines are written with their
order (bulk_create, in the same transaction), and the one bulk update of a
line, a return, calls ``order_changed`` itself (services.orders)."""

from django.db.models.signals import post_delete, post_save

from core.cache import bump_item

from .models import Order


def order_changed(order: Order) -> None:
    bump_item("person", order.customer_id)
    bump_item("counter", order.counter_id)


def _order_saved(sender, instance: Order, **kwargs) -> None:
    order_changed(instance)


def connect() -> None:
    post_save.connect(_order_saved, sender=Order, dispatch_uid="personal-order-saved")
    post_delete.connect(_order_saved, sender=Order, dispatch_uid="personal-order-deleted")
