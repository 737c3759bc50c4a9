"""Stock per (variant, counter) and its ledger."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .catalogue import ProductVariant
from .places import Counter

if TYPE_CHECKING:
    from .lots import Lot


class Stock(models.Model):
    """One variant at one counter: a cache of its ledger, changed only under a row lock.

    ``on_hand`` is what is physically at the counter (the sum of the ledger's
    ``quantity``); ``held`` is what open orders have reserved (the sum of its
    ``held_delta``). What a customer may still reserve is on_hand − held, plus
    the holds of orders whose pickup deadline has passed (see selectors).
    """

    variant = models.ForeignKey(
        ProductVariant, on_delete=models.PROTECT, related_name="stocks", verbose_name=_("variant")
    )
    counter = models.ForeignKey(
        Counter, on_delete=models.PROTECT, related_name="stocks", verbose_name=_("counter")
    )
    on_hand = models.PositiveIntegerField(_("on hand"), default=0)
    held = models.PositiveIntegerField(_("held by open orders"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("stock")
        verbose_name_plural = _("stock")
        ordering = ["counter", "variant"]
        constraints = [
            models.UniqueConstraint(fields=["variant", "counter"], name="stock_unique_place"),
            models.CheckConstraint(condition=Q(on_hand__gte=0), name="stock_on_hand_not_negative"),
            models.CheckConstraint(condition=Q(held__gte=0), name="stock_held_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.variant} @ {self.counter}"


class StockMovement(models.Model):
    """One row of the ledger. Rows are only ever added, never changed or deleted."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("receipt")
        HOLD = "hold", _("hold for an order")
        RELEASE = "release", _("release of a cancelled order")
        EXPIRY_RELEASE = "expiry_release", _("release of an expired order")
        SALE = "sale", _("sale")
        RETURN = "return", _("return")
        CORRECTION = "correction", _("correction")
        SALE_UNDONE = "sale_undone", _("hand-over undone")

    stock = models.ForeignKey(
        Stock, on_delete=models.PROTECT, related_name="movements", verbose_name=_("stock")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    quantity = models.IntegerField(_("change on hand"), default=0)
    held_delta = models.IntegerField(_("change held"), default=0)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    order = models.ForeignKey(
        "Order",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="movements",
        verbose_name=_("order"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    # Set by services.stock_receive: the lot the receipt created.
    lot: "Lot"

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Each kind moves the figures in one direction only; an order's
            # rows name their order, the others say why.
            models.CheckConstraint(
                condition=(
                    Q(kind="receipt", quantity__gt=0, held_delta=0, order__isnull=True)
                    | Q(kind="hold", quantity=0, held_delta__gt=0, order__isnull=False)
                    | Q(
                        kind__in=["release", "expiry_release"],
                        quantity=0,
                        held_delta__lt=0,
                        order__isnull=False,
                    )
                    | Q(kind="sale", quantity__lt=0, order__isnull=False)
                    # A mistaken hand-over undone at the desk: back on hand and held.
                    | Q(kind="sale_undone", quantity__gt=0, held_delta__gt=0, order__isnull=False)
                    | Q(kind="return", quantity__gt=0, held_delta=0)
                    | (
                        Q(kind="correction", held_delta=0, order__isnull=True)
                        & ~Q(quantity=0)
                        & ~Q(reason="")
                    )
                ),
                name="movement_kind_shape",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity:+d}/{self.held_delta:+d} · {self.stock}"
