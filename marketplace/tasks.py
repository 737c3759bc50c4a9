"""E-mails, sent through Django's tasks framework in the shape of
``core.mail``: services queue them with ``send_on_commit`` by primary key.
Each message is written in the language the customer used (orders) or the
site's default (bulk orders, read by businesses in China).
"""

from django.conf import settings
from django.tasks import task

from core.links import absolute_url
from core.mail import not_sent, send
from organizations.models import Organization

from .models import BulkOrder, OrderLine

ORDER_EMAILS = ("placed", "ready", "reminder", "cancelled")


@task
def send_order_email(*, order_id: int, kind: str) -> bool:
    if kind not in ORDER_EMAILS:
        return not_sent("order", order=order_id, kind=kind)
    # One query: the lines, each with the order, its customer and where it is
    # collected (every order has a line). A worker sends one of these for
    # every order placed, so its queries count as much as the order's own.
    lines = list(
        OrderLine.objects.filter(order_id=order_id).select_related(
            "order__customer", "order__counter__centre__organization"
        )
    )
    if not lines:
        return not_sent("order", order=order_id, kind=kind)
    order = lines[0].order
    order.line_list = lines
    return send(
        subject=f"marketplace/email/order_{kind}_subject.txt",
        body=f"marketplace/email/order_{kind}.txt",
        context=lambda: {
            "order": order,
            "counter": order.counter,
            "centre": order.counter.centre,
            "url": absolute_url(order.get_absolute_url()),
        },
        to=[order.customer.email],
        language=order.language,
    )


def _member_emails(organization: Organization) -> list[str]:
    emails = [m.user.email for m in organization.memberships.select_related("user") if m.user.email]
    if organization.email:
        emails.append(organization.email)
    return sorted(set(emails))


@task
def send_bulk_order_email(*, bulk_order_id: int, status: str) -> bool:
    bulk_order = (
        BulkOrder.objects.select_related("buyer", "producer")
        .prefetch_related("lines")
        .filter(pk=bulk_order_id)
        .first()
    )
    if bulk_order is None or status not in BulkOrder.Status.values:
        return not_sent("bulk order", bulk_order=bulk_order_id, status=status)
    # The side that has to act next (or to know) is told.
    notify = bulk_order.producer if status == BulkOrder.Status.REQUESTED else bulk_order.buyer
    return send(
        subject="marketplace/email/bulk_order_status_subject.txt",
        body="marketplace/email/bulk_order_status.txt",
        context=lambda: {
            "bulk_order": bulk_order,
            "status": status,
            "status_label": BulkOrder.Status(status).label,
            "url": absolute_url(bulk_order.get_absolute_url()),
        },
        to=_member_emails(notify),
        language=settings.LANGUAGE_CODE,
    )
