"""Harvest presales: a producer sells a harvest before it is picked (怀柔板栗
ripen in September–October and sell out). Customers and business buyers
pledge quantities during a window; when the harvest is in, the producer
records the real yield and ``services.presales.presale_allocate`` shares it
out (in full if it suffices, else pro rata by the largest remainder, earliest
pledge first), each share becoming an ordinary reserved order at the counter
the buyer chose. No deposit: reserve and collect, as any order."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import DemoFlag
from organizations.models import Organization

from .base import money
from .catalogue import ProductVariant
from .orders import Order
from .places import Counter

MAX_PLEDGE = 500  # units one buyer may pledge (a restaurant's season of chestnuts)


class Presale(DemoFlag):
    class Status(models.TextChoices):
        OPEN = "open", _("taking pledges")
        ALLOCATED = "allocated", _("harvest allocated")
        CANCELLED = "cancelled", _("cancelled")

    variant = models.ForeignKey(
        ProductVariant, on_delete=models.PROTECT, related_name="presales", verbose_name=_("variant")
    )
    price = models.DecimalField(_("presale price (yuan)"), **money)
    expected_yield = models.PositiveIntegerField(
        _("expected yield (units)"), validators=[MinValueValidator(1)]
    )
    opens_at = models.DateTimeField(_("pledges open"), default=timezone.now)
    closes_at = models.DateTimeField(_("pledges close"))
    harvest_note = models.CharField(
        _("harvest"), max_length=200, blank=True, help_text=_("e.g. picked in mid-September")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    actual_yield = models.PositiveIntegerField(_("actual yield (units)"), null=True, blank=True)
    allocated_at = models.DateTimeField(_("allocated"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("harvest presale")
        verbose_name_plural = _("harvest presales")
        ordering = ["closes_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="presale_window_forward"
            ),
            models.CheckConstraint(condition=Q(price__gt=0), name="presale_price_positive"),
            models.CheckConstraint(
                condition=~Q(status="allocated") | Q(actual_yield__isnull=False),
                name="presale_allocated_has_yield",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.variant} ({self.closes_at:%Y-%m-%d})"

    def is_taking_pledges(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.OPEN and self.opens_at <= now < self.closes_at


class Pledge(models.Model):
    class Status(models.TextChoices):
        PLEDGED = "pledged", _("pledged")
        ALLOCATED = "allocated", _("allocated in full")
        REDUCED = "reduced", _("allocated in part")
        NOT_SERVED = "not_served", _("not served")
        WITHDRAWN = "withdrawn", _("withdrawn")

    presale = models.ForeignKey(
        Presale, on_delete=models.PROTECT, related_name="pledges", verbose_name=_("presale")
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="pledges",
        verbose_name=_("customer"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pledges",
        verbose_name=_("for the business"),
    )
    counter = models.ForeignKey(
        Counter, on_delete=models.PROTECT, related_name="pledges", verbose_name=_("collect at")
    )
    quantity = models.PositiveIntegerField(
        _("pledged"), validators=[MinValueValidator(1), MaxValueValidator(MAX_PLEDGE)]
    )
    allocated = models.PositiveIntegerField(_("allocated"), null=True, blank=True)
    order = models.OneToOneField(
        Order,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pledge",
        verbose_name=_("order"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLEDGED
    )
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    created_at = models.DateTimeField(_("pledged at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["presale", "customer"],
                condition=~Q(status="withdrawn"),
                name="pledge_one_per_customer",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1) & Q(quantity__lte=MAX_PLEDGE),
                name="pledge_quantity_range",
            ),
            models.CheckConstraint(
                condition=Q(allocated__isnull=True) | Q(allocated__lte=F("quantity")),
                name="pledge_allocated_within_pledge",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer} × {self.quantity} ({self.presale})"
