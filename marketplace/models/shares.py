"""Institutional purchase shares (预留份额): a budget unit's yearly food budget
and the share of it reserved for Huairou products, which its settled bulk
orders count toward (``selectors.shares``)."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import DemoFlag
from organizations.models import Organization

DEFAULT_SHARE_RATE = Decimal("0.10")  # the national 832 platform's minimum since 2021


class PurchaseShare(DemoFlag):
    buyer = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="purchase_shares",
        verbose_name=_("unit"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    food_budget = models.DecimalField(
        _("food purchasing budget (yuan)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    share_rate = models.DecimalField(
        _("reserved share"),
        max_digits=4,
        decimal_places=3,
        default=DEFAULT_SHARE_RATE,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("Part of the food budget reserved for Huairou products, 0–1 (0.10 = 10%)."),
    )
    has_canteen = models.BooleanField(
        _("has a canteen"),
        default=True,
        help_text=_("A unit without a canteen has no target; it is still listed in the filing."),
    )

    class Meta:
        verbose_name = _("institutional purchase share")
        verbose_name_plural = _("institutional purchase shares")
        ordering = ["-year", "buyer_id"]
        constraints = [
            models.UniqueConstraint(fields=["buyer", "year"], name="purchase_share_once_a_year"),
            models.CheckConstraint(
                condition=Q(share_rate__gte=0) & Q(share_rate__lte=1),
                name="purchase_share_rate_0_1",
            ),
            models.CheckConstraint(
                condition=Q(food_budget__gte=0), name="purchase_share_budget_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.buyer} {self.year}"

    @property
    def target(self) -> Decimal | None:
        """Budget × rate; None for a unit without a canteen."""
        if not self.has_canteen:
            return None
        return (self.food_budget * self.share_rate).quantize(Decimal("0.01"))
