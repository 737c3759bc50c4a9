"""Lots: each stock receipt at a counter is a lot, traced from the village to the bag.

A lot is what one receipt brought to one counter: the variant, the producer
and the village it came from, its harvest (or production) date, its
best-before date and the certificate it carries. Its ``remaining`` is a cache
of its draws (``LotDraw``), changed only by ``marketplace.ledger`` under the
lock of the lot's stock row, so the lots of a (variant, counter) always add
up to that stock row's ``on_hand``.

A ``LotDraw`` says which lots one ledger row moved: a receipt fills its new
lot, a sale draws first-expiring-first-out (possibly from several lots), a
return or an undone hand-over puts units back into the lots the order drew.
Like the ledger, draws are only ever added.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import gs1
from core.models import DemoFlag
from organizations.models import Area, Organization

from .catalogue import ProductVariant
from .places import Counter
from .stock import StockMovement


def fefo_order():
    """Lots in the order sales draw them, first expiring first out: the
    earliest best-before first (lots without one last), then the oldest receipt."""
    return (models.F("best_before").asc(nulls_last=True), "received_at", "pk")


class Lot(DemoFlag):
    class Certificate(models.TextChoices):
        NONE = "none", _("none")
        COMPLIANCE = "compliance", _("commitment compliance certificate (承诺达标合格证)")
        GEOGRAPHICAL_INDICATION = "gi", _("geographical indication mark")
        ORGANIC = "organic", _("organic certificate")

    variant = models.ForeignKey(
        ProductVariant, on_delete=models.PROTECT, related_name="lots", verbose_name=_("variant")
    )
    counter = models.ForeignKey(
        Counter, on_delete=models.PROTECT, related_name="lots", verbose_name=_("counter")
    )
    code = models.CharField(
        _("lot"),
        max_length=20,
        help_text=_("Capitals, digits and hyphens, e.g. HR2026-0001; unique per product variant."),
    )
    producer = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="lots", verbose_name=_("producer")
    )
    village = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lots",
        verbose_name=_("village"),
    )
    harvested_on = models.DateField(_("harvest or production date"), null=True, blank=True)
    best_before = models.DateField(_("best before"), null=True, blank=True)
    certificate = models.CharField(
        _("certificate"), max_length=20, choices=Certificate.choices, default=Certificate.NONE
    )
    certificate_number = models.CharField(_("certificate number"), max_length=60, blank=True)
    quantity_received = models.PositiveIntegerField(_("units received"))
    remaining = models.PositiveIntegerField(_("units remaining"))
    # False for the lots the migration made of stock received before lots
    # were recorded: their origin and dates are not known.
    recorded = models.BooleanField(_("details recorded"), default=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("received by"),
    )

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["variant", "code"], name="lot_unique_code"),
            models.CheckConstraint(
                condition=Q(remaining__gte=0), name="lot_remaining_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(best_before__isnull=True)
                | Q(harvested_on__isnull=True)
                | Q(best_before__gte=models.F("harvested_on")),
                name="lot_best_before_after_harvest",
            ),
        ]
        indexes = [models.Index(fields=["variant", "counter"], name="lot_by_stock")]

    def __str__(self) -> str:
        return f"{self.code} · {self.variant}"

    @property
    def trace_path(self) -> str:
        """The lot's GS1 Digital Link path (its public trace page), or "" without a GTIN."""
        return gs1.digital_link_path(self.variant.gtin, self.code) if self.variant.gtin else ""


class LotDraw(models.Model):
    """The units one ledger row moved in or out of one lot (signed)."""

    movement = models.ForeignKey(
        StockMovement, on_delete=models.PROTECT, related_name="draws", verbose_name=_("movement")
    )
    lot = models.ForeignKey(
        Lot, on_delete=models.PROTECT, related_name="draws", verbose_name=_("lot")
    )
    quantity = models.IntegerField(_("units"))

    class Meta:
        verbose_name = _("lot draw")
        verbose_name_plural = _("lot draws")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(quantity=0), name="lot_draw_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity:+d} · {self.lot.code}"
