"""Categories, certifications, products, their variants, tier prices and images."""

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.gs1 import validate_gtin
from core.hant import Traditional
from core.images import ImageWithRenditions
from core.models import DemoFlag
from core.search import Searchable, translated_values
from organizations.models import Area, Organization

from .base import PRODUCER_KINDS, money, month_validators

CENT = Decimal("0.01")

if TYPE_CHECKING:
    from ..selectors.availability import CounterAvailability
    from .places import Centre


class Category(Traditional, models.Model):
    slug = models.SlugField(_("slug"), unique=True, max_length=60)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class Certification(Traditional, models.Model):
    """A label a product may carry, e.g. a national geographical indication."""

    slug = models.SlugField(_("slug"), unique=True, max_length=60)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Product(Traditional, Searchable, DemoFlag):
    slug = models.SlugField(_("slug"), unique=True, max_length=80)
    producer = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="products",
        limit_choices_to={"kind__in": PRODUCER_KINDS},
        verbose_name=_("producer"),
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="products", verbose_name=_("category")
    )
    origin_area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="products",
        verbose_name=_("origin"),
        help_text=_("The village or town it comes from; empty means the producer's own area."),
    )
    name = models.CharField(_("name"), max_length=120)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    storage = models.CharField(_("storage"), max_length=200, blank=True)
    season_start_month = models.PositiveSmallIntegerField(
        _("season starts (month)"), null=True, blank=True, validators=month_validators
    )
    season_end_month = models.PositiveSmallIntegerField(
        _("season ends (month)"),
        null=True,
        blank=True,
        validators=month_validators,
        help_text=_("May be earlier than the start (e.g. 10 to 3). Leave both empty for all year."),
    )
    shelf_life_days = models.PositiveIntegerField(_("shelf life (days)"), null=True, blank=True)
    certifications = models.ManyToManyField(
        Certification, blank=True, related_name="products", verbose_name=_("certifications")
    )
    bulk_min_quantity = models.PositiveIntegerField(
        _("minimum bulk order"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("Fewest units (over all its variants) a shop or restaurant may order at once."),
    )
    is_reported = models.BooleanField(
        _("named in the report"),
        default=False,
        help_text=_("One of the four products the 2023 report names; shown first."),
    )
    is_active = models.BooleanField(_("on sale"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Columns modeltranslation adds for `name` (see translation.py).
    name_zh_hans: str | None
    name_zh_hant: str | None
    name_en: str | None
    # Set by selectors.product_detail and selectors.products_near.
    centres: list["Centre"]
    distance_km: float

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["-is_reported", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(season_start_month__isnull=True, season_end_month__isnull=True)
                | Q(
                    season_start_month__gte=1,
                    season_start_month__lte=12,
                    season_end_month__gte=1,
                    season_end_month__lte=12,
                ),
                name="product_season_both_or_neither",
            ),
            models.CheckConstraint(
                condition=Q(bulk_min_quantity__gte=1), name="product_bulk_min_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("marketplace:product_detail", kwargs={"slug": self.slug})

    SEARCH_BODY_FIELDS = ("summary", "description")
    SEARCH_SELECT_RELATED = ("producer__area", "category", "origin_area")

    def search_context(self) -> list[str | None]:
        return product_search_context(self)

    @property
    def village(self) -> Area | None:
        """Whom a purchase supports: the origin, else the producer's own area."""
        return self.origin_area or self.producer.area

    @property
    def all_year(self) -> bool:
        return self.season_start_month is None

    def in_season(self, month: int) -> bool:
        start, end = self.season_start_month, self.season_end_month
        if start is None or end is None:  # all year: both or neither are set
            return True
        return start <= month <= end if start <= end else (month >= start or month <= end)

    @property
    def in_season_now(self) -> bool:
        return self.in_season(timezone.localdate().month)

    @property
    def season_months(self) -> list[int]:
        return [m for m in range(1, 13) if self.in_season(m)]


def product_search_context(product) -> list[str | None]:
    """The producer's, category's and villages' names, so 栗香峪 finds its
    chestnuts. Also used by the migration that fills the columns."""
    related = [product.producer, product.category, product.origin_area, product.producer.area]
    return [v for obj in related if obj is not None for v in translated_values(obj, "name")]


class ProductVariant(Traditional, models.Model):
    """What a customer puts in the basket: e.g. a 500 g bag or a 2.5 kg gift box."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="variants", verbose_name=_("product")
    )
    sku = models.CharField(_("SKU"), max_length=40, unique=True)
    gtin = models.CharField(
        _("GTIN"),
        max_length=14,
        blank=True,
        validators=[validate_gtin],
        help_text=_(
            "The bar code number on the bag: 14 digits with the GS1 check digit "
            "(a 13-digit EAN with a leading 0). Its lots' QR codes need it."
        ),
    )
    name = models.CharField(_("name"), max_length=120)
    unit_price = models.DecimalField(_("unit price (yuan)"), **money)
    weight_grams = models.PositiveIntegerField(_("weight (g)"), null=True, blank=True)
    is_active = models.BooleanField(_("on sale"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    # Columns modeltranslation adds for `name` (see translation.py).
    name_zh_hans: str | None
    name_zh_hant: str | None
    name_en: str | None
    # Set by selectors.product_detail.
    availability: list["CounterAvailability"]
    total_available: int

    class Meta:
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        ordering = ["product", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(unit_price__gt=0), name="variant_price_positive"),
            models.UniqueConstraint(
                fields=["gtin"], condition=~Q(gtin=""), name="variant_unique_gtin"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product.name} · {self.name}"

    @property
    def price_per_500g(self) -> Decimal | None:
        """The price of 500 g of it, to compare a bag with a box (None when the
        weight is not known: it is then priced per piece, jar or box)."""
        if not self.weight_grams:
            return None
        return (self.unit_price * 500 / self.weight_grams).quantize(CENT, ROUND_HALF_UP)


class PriceTier(models.Model):
    """A business buyer's unit price from ``min_quantity`` units upwards."""

    variant = models.ForeignKey(
        ProductVariant, on_delete=models.CASCADE, related_name="tiers", verbose_name=_("variant")
    )
    min_quantity = models.PositiveIntegerField(
        _("from quantity"), validators=[MinValueValidator(1)]
    )
    unit_price = models.DecimalField(_("unit price (yuan)"), **money)

    class Meta:
        verbose_name = _("tier price")
        verbose_name_plural = _("tier prices")
        ordering = ["variant", "min_quantity"]
        constraints = [
            models.UniqueConstraint(fields=["variant", "min_quantity"], name="tier_unique_step"),
            models.CheckConstraint(condition=Q(unit_price__gt=0), name="tier_price_positive"),
            models.CheckConstraint(condition=Q(min_quantity__gte=1), name="tier_min_positive"),
        ]

    def __str__(self) -> str:
        return f"≥{self.min_quantity}: ¥{self.unit_price}"


class ProductImage(Traditional, ImageWithRenditions):
    UPLOAD_DIR = "products"

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="images", verbose_name=_("product")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("product image")
        verbose_name_plural = _("product images")
        ordering = ["product", "position", "pk"]

    def __str__(self) -> str:
        return self.alt_text or self.image.name or ""
