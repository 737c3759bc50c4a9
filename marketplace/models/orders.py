"""Reserve-and-collect orders, their lines and their audit log."""

from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core.models import DemoFlag
from core.payments import PaymentMethod
from organizations.models import Organization

from .base import LineSnapshot, OrderAuditEvent, money
from .catalogue import ProductVariant
from .places import Counter

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Order(DemoFlag):
    """Units reserved at one counter, paid for and collected there."""

    class Status(models.TextChoices):
        PLACED = "placed", _("reserved")
        READY = "ready", _("ready for pickup")
        COLLECTED = "collected", _("collected")
        CANCELLED = "cancelled", _("cancelled")
        EXPIRED = "expired", _("expired")

    OPEN_STATUSES = (Status.PLACED, Status.READY)

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="market_orders",
        verbose_name=_("customer"),
    )
    counter = models.ForeignKey(
        Counter, on_delete=models.PROTECT, related_name="orders", verbose_name=_("counter")
    )
    pickup_code = models.CharField(_("pickup code"), max_length=8)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLACED
    )
    total = models.DecimalField(_("total (yuan)"), **money)
    placed_at = models.DateTimeField(_("placed"), default=timezone.now)
    pickup_deadline = models.DateTimeField(_("collect by"))
    ready_at = models.DateTimeField(_("ready since"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    payment_method = models.CharField(
        _("payment method"), max_length=12, choices=PaymentMethod.choices, blank=True
    )
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-placed_at", "-pk"]
        constraints = [
            # A code is read aloud at the counter, so no two open orders share one.
            models.UniqueConstraint(
                fields=["pickup_code"],
                condition=Q(status__in=["placed", "ready"]),
                name="order_open_pickup_code_unique",
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="order_total_not_negative"),
            models.CheckConstraint(
                condition=~Q(status="collected") | ~Q(payment_method=""),
                name="order_collected_has_payment",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "pickup_deadline"], name="order_status_deadline"),
            models.Index(fields=["counter", "status"], name="order_counter_status"),
            # Placing an order counts the units of open orders past their
            # deadline at that counter (expiry at read time): with this the
            # lookup stays small however many orders a counter has open.
            models.Index(
                fields=["counter", "pickup_deadline"],
                condition=Q(status__in=["placed", "ready"]),
                name="order_open_counter_deadline",
            ),
            models.Index(fields=["customer", "-placed_at"], name="order_customer_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.pickup_code} · {self.counter}"

    def get_absolute_url(self) -> str:
        return reverse("marketplace:order_detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, now: datetime | None = None) -> bool:
        """Open but past its deadline: it no longer holds stock, whether or not
        ``expire_orders`` has run yet."""
        return self.is_open and self.pickup_deadline <= (now or timezone.now())

    @cached_property
    def line_list(self) -> list["OrderLine"]:
        """The lines, from the prefetch when there is one. ``order_place``
        sets it to the lines it has just written, so the answer to a new
        order does not read them back."""
        return list(self.lines.all())

    def effective_status(self, now: datetime | None = None) -> str:
        return self.Status.EXPIRED if self.is_overdue(now) else self.status

    def get_effective_status_display(self) -> "StrOrPromise":
        return self.Status(self.effective_status()).label

    def can_cancel_by_customer(self, now: datetime | None = None) -> bool:
        return self.status == self.Status.PLACED and not self.is_overdue(now)

    @property
    def pickup_code_display(self) -> str:
        """Two groups of three are easier to read aloud: ``K7P 3XW``."""
        code = self.pickup_code
        return f"{code[:3]} {code[3:]}" if len(code) == 6 else code


class OrderLine(LineSnapshot):
    """What was reserved, with the names and price as they were at the time."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order")
    )
    variant = models.ForeignKey(
        ProductVariant,
        on_delete=models.PROTECT,
        related_name="order_lines",
        verbose_name=_("variant"),
    )
    # Copied so that sales stay attributed to whom they supported at the time.
    producer = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("producer")
    )
    returned_quantity = models.PositiveIntegerField(_("returned"), default=0)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="order_line_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(returned_quantity__lte=models.F("quantity")),
                name="order_line_returned_at_most_sold",
            ),
        ]


class OrderEvent(OrderAuditEvent):
    """The audit log: every change of an order's status, by whom and why."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="events", verbose_name=_("order")
    )

    statuses = Order.Status

    class Meta(OrderAuditEvent.Meta):
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
