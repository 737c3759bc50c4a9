"""The bulk channel (农超对接 / 餐饮对接): business buyers and their orders."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import DemoFlag
from organizations.models import Organization

from .base import BUYER_KINDS, PRODUCER_KINDS, LineSnapshot, OrderAuditEvent, money
from .catalogue import ProductVariant

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class BusinessBuyer(models.Model):
    """A supermarket or restaurant buying in bulk: its delivery details."""

    organization = models.OneToOneField(
        Organization,
        on_delete=models.PROTECT,
        related_name="business_buyer",
        limit_choices_to={"kind__in": BUYER_KINDS},
        verbose_name=_("organization"),
    )
    delivery_address = models.CharField(_("delivery address"), max_length=300)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("business buyer")
        verbose_name_plural = _("business buyers")

    def __str__(self) -> str:
        return self.organization.name


class BulkOrder(DemoFlag):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        CONFIRMED = "confirmed", _("confirmed")
        DELIVERED = "delivered", _("delivered")
        SETTLED = "settled", _("settled")
        REJECTED = "rejected", _("rejected")

    buyer = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="bulk_purchases",
        limit_choices_to={"kind__in": BUYER_KINDS},
        verbose_name=_("buyer"),
    )
    producer = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="bulk_sales",
        limit_choices_to={"kind__in": PRODUCER_KINDS},
        verbose_name=_("producer"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_delivery_date = models.DateField(_("delivery wanted on"))
    delivery_date = models.DateField(_("delivery date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    total = models.DecimalField(_("total (yuan)"), **money)
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    settled_at = models.DateTimeField(_("settled"), null=True, blank=True)

    class Meta:
        verbose_name = _("bulk order")
        verbose_name_plural = _("bulk orders")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="bulk_total_not_negative"),
            models.CheckConstraint(
                condition=Q(status__in=["requested", "rejected"]) | Q(delivery_date__isnull=False),
                name="bulk_confirmed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.buyer} ← {self.producer}"

    def get_absolute_url(self) -> str:
        return reverse("marketplace:bulk_detail", kwargs={"pk": self.pk})

    @property
    def channel_label(self) -> "StrOrPromise":
        if self.buyer.kind == Organization.Kind.RESTAURANT:
            return _("farm-to-restaurant (餐饮对接)")
        return _("farm-to-supermarket (农超对接)")


class BulkOrderLine(LineSnapshot):
    bulk_order = models.ForeignKey(
        BulkOrder, on_delete=models.CASCADE, related_name="lines", verbose_name=_("bulk order")
    )
    variant = models.ForeignKey(
        ProductVariant,
        on_delete=models.PROTECT,
        related_name="bulk_lines",
        verbose_name=_("variant"),
    )
    requested_quantity = models.PositiveIntegerField(_("requested"))

    class Meta:
        verbose_name = _("bulk order line")
        verbose_name_plural = _("bulk order lines")
        ordering = ["bulk_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(requested_quantity__gte=1), name="bulk_line_requested_positive"
            ),
        ]


class BulkOrderEvent(OrderAuditEvent):
    bulk_order = models.ForeignKey(
        BulkOrder, on_delete=models.CASCADE, related_name="events", verbose_name=_("bulk order")
    )

    statuses = BulkOrder.Status

    class Meta(OrderAuditEvent.Meta):
        verbose_name = _("bulk order event")
        verbose_name_plural = _("bulk order events")
