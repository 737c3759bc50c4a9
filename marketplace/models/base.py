"""Constants shared by the marketplace's models, services and forms, and what
both kinds of order (reserve-and-collect and bulk) are made of: lines that
keep what was sold as it was at the time, and an audit trail."""

from typing import TypedDict

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import StatusEvent
from organizations.models import Area, Organization

PRODUCER_KINDS = (Organization.Kind.PRODUCER, Organization.Kind.COOPERATIVE)
BUYER_KINDS = (Organization.Kind.SUPERMARKET, Organization.Kind.RESTAURANT)

# Per order line at a counter: more than this is not a household purchase
# (shops and restaurants use the bulk channel) and is refused as absurd.
MAX_LINE_QUANTITY = 99
MAX_ORDER_LINES = 30
# Per bulk order line: a truckload, not a typo.
MAX_BULK_LINE_QUANTITY = 100_000
# At or below this many units a counter shows "few left" instead of "in stock".
FEW_LEFT = 5


class MoneyDigits(TypedDict):
    """The DecimalField arguments of an amount of money, spread with `**`."""

    max_digits: int
    decimal_places: int


money: MoneyDigits = {"max_digits": 12, "decimal_places": 2}
month_validators = [MinValueValidator(1), MaxValueValidator(12)]


class LineSnapshot(models.Model):
    """A line of an order: the names, code and price are copied from the
    catalogue when it is written, so later edits never rewrite a sale, and
    the village it supports stays the one it supported at the time."""

    village = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("village"),
    )
    product_name = models.CharField(_("product"), max_length=120)
    variant_name = models.CharField(_("variant"), max_length=120)
    sku = models.CharField(_("SKU"), max_length=40)
    unit_price = models.DecimalField(_("unit price (yuan)"), **money)
    quantity = models.PositiveIntegerField(_("quantity"))
    line_total = models.DecimalField(_("line total (yuan)"), **money)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.product_name} · {self.variant_name} × {self.quantity}"


class OrderAuditEvent(StatusEvent):
    """A status change of an order or a bulk order and who made it."""

    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
        help_text=_("Empty: the system (e.g. the expiry job)."),
    )

    # The audited model's status choices, for the labels (StatusEvent.status_label).
    statuses: type[models.TextChoices]

    class Meta(StatusEvent.Meta):
        abstract = True
