"""Notices, sent through Django's tasks framework in the shape of
``core.mail``: services queue them with ``send_on_commit`` by primary key.
Each message is written in the language the customer used (orders) or the
site's default (bulk orders, read by businesses in China). A customer hears
by e-mail, by text message (core.sms) when they gave a mobile number and no
address, or both when the news cannot wait (``core.sms.channels``).
"""

from django.conf import settings
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import sms
from core.links import absolute_url
from core.mail import not_sent, send
from organizations.models import Organization

from .models import BulkOrder, OrderLine

ORDER_EMAILS = ("placed", "ready", "reminder", "cancelled")
# One segment each (70 characters in Chinese): the code and the deadline; the
# rest is on the order's page. A template provider's codes: SMS_TEMPLATES,
# e.g. order_ready=SMS_123, with the variables ${code} and ${deadline}.
ORDER_SMS = {
    "placed": _("Order %(code)s reserved. Collect it by %(deadline)s with this code."),
    "ready": _("Order %(code)s is ready at the counter. Collect it by %(deadline)s."),
    "reminder": _("Reminder: order %(code)s waits at the counter until %(deadline)s."),
    "cancelled": _("Order %(code)s is cancelled."),
}
# News that cannot wait goes by text message even to a customer with e-mail.
URGENT_ORDER_KINDS = ("ready", "reminder")


def order_channels(order) -> list[str]:
    """How the customer of ``order`` hears about it (see core.sms.channels)."""
    customer = order.customer
    return sms.channels(email=customer.email, phone=customer.phone)


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
    customer = order.customer
    ways = sms.channels(
        email=customer.email, phone=customer.phone, urgent=kind in URGENT_ORDER_KINDS
    )
    if not ways:
        return not_sent("order", order=order_id, kind=kind, reason="no e-mail or mobile")
    sent = False
    if "email" in ways:
        sent |= send(
            subject=f"marketplace/email/order_{kind}_subject.txt",
            body=f"marketplace/email/order_{kind}.txt",
            context=lambda: {
                "order": order,
                "counter": order.counter,
                "centre": order.counter.centre,
                "url": absolute_url(order.get_absolute_url()),
            },
            to=[customer.email],
            language=order.language,
        )
    if "sms" in ways:
        deadline = timezone.localtime(order.pickup_deadline)
        sent |= sms.send(
            text=ORDER_SMS[kind],
            params={"code": order.pickup_code_display, "deadline": f"{deadline:%m-%d %H:%M}"},
            to=customer.phone,
            language=order.language,
            kind=f"order_{kind}",
        )
    return sent


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


PLEDGE_EMAILS = ("allocated", "reduced", "not_served")


@task
def send_pledge_email(*, pledge_id: int) -> bool:
    """What the harvest gave a pledge: all of it, part of it (the order's
    pickup code either way), or nothing this year."""
    from .models import Pledge

    pledge = (
        Pledge.objects.select_related(
            "customer", "presale__variant__product", "order", "counter__centre"
        )
        .filter(pk=pledge_id)
        .first()
    )
    if pledge is None or pledge.status not in PLEDGE_EMAILS:
        return not_sent("pledge", pledge=pledge_id)
    return send(
        subject=f"marketplace/email/pledge_{pledge.status}_subject.txt",
        body="marketplace/email/pledge.txt",
        context=lambda: {
            "pledge": pledge,
            "presale": pledge.presale,
            "order": pledge.order,
            "counter": pledge.counter,
            "centre": pledge.counter.centre,
            "url": absolute_url(pledge.order.get_absolute_url()) if pledge.order else "",
        },
        to=[pledge.customer.email],
        language=pledge.language,
    )
