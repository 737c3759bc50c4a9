"""E-mails, sent through Django's tasks framework.

Services queue these with ``core.tasks.enqueue_on_commit``, by primary
key, so a rolled-back change mails nobody and a worker always reads the
committed row. Each message is written in the language the customer used
(orders) or the site's default (bulk orders, read by businesses in China).
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation

from core.tasks import enqueue_on_commit
from organizations.models import Organization

from .models import BulkOrder, Order, OrderLine

ORDER_EMAILS = ("placed", "ready", "reminder", "cancelled")


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _send(*, template: str, context: dict, to: list[str]) -> int:
    if not to:
        return 0
    subject = render_to_string(f"marketplace/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"marketplace/email/{template}.txt", context)
    return EmailMessage(subject=" ".join(subject.split()), body=body, to=to).send()


@task
def send_order_email(order_id: int, kind: str) -> int:
    if kind not in ORDER_EMAILS:
        raise ValueError(kind)
    # One query: the lines, each with the order, its customer and where it is
    # collected (every order has a line). A worker sends one of these for
    # every order placed, so its queries count as much as the order's own.
    lines = list(
        OrderLine.objects.filter(order_id=order_id).select_related(
            "order__customer", "order__counter__centre__organization"
        )
    )
    if not lines:
        raise Order.DoesNotExist(f"order {order_id} has no lines")
    order = lines[0].order
    order.line_list = lines
    email = order.customer.email
    with translation.override(order.language or settings.LANGUAGE_CODE):
        return _send(
            template=f"order_{kind}",
            context={
                "order": order,
                "counter": order.counter,
                "centre": order.counter.centre,
                "url": _absolute(order.get_absolute_url()),
            },
            to=[email] if email else [],
        )


def _member_emails(organization: Organization) -> list[str]:
    emails = [m.user.email for m in organization.memberships.select_related("user") if m.user.email]
    if organization.email:
        emails.append(organization.email)
    return sorted(set(emails))


@task
def send_bulk_order_email(bulk_order_id: int, status: str) -> int:
    bulk_order = (
        BulkOrder.objects.select_related("buyer", "producer")
        .prefetch_related("lines")
        .get(pk=bulk_order_id)
    )
    # The side that has to act next (or to know) is told.
    notify = bulk_order.producer if status == BulkOrder.Status.REQUESTED else bulk_order.buyer
    with translation.override(settings.LANGUAGE_CODE):
        return _send(
            template="bulk_order_status",
            context={
                "bulk_order": bulk_order,
                "status": status,
                "status_label": BulkOrder.Status(status).label,
                "url": _absolute(bulk_order.get_absolute_url()),
            },
            to=_member_emails(notify),
        )


def order_email_on_commit(order: Order, kind: str) -> None:
    enqueue_on_commit(send_order_email, order.pk, kind)


def bulk_email_on_commit(bulk_order: BulkOrder, status: str) -> None:
    enqueue_on_commit(send_bulk_order_email, bulk_order.pk, status)
