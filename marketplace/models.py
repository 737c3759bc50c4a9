"""Huairou products sold at Dongcheng's consumption-support counters.

Catalogue (categories, products, variants, images, tier prices), the places
that sell them (centres and their counters), the stock ledger, the
reserve-and-collect orders of the public, and the bulk orders of supermarkets
and restaurants (农超对接 / 餐饮对接). Workflows live in ``services.py``; the
models hold fields, constraints and small state questions only.
"""

from datetime import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.images import ImageWithRenditions
from cooperation.models import Area, Organization

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

money = {"max_digits": 12, "decimal_places": 2}
month_validators = [MinValueValidator(1), MaxValueValidator(12)]


# --- Catalogue -----------------------------------------------------------------


class Category(models.Model):
    slug = models.SlugField(_("slug"), unique=True, max_length=60)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class Certification(models.Model):
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


class Product(models.Model):
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
    is_demo = models.BooleanField(
        _("demo data"), default=False, help_text=_("Invented for the demo, not from the report.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

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

    @property
    def village(self) -> Area | None:
        """Whom a purchase supports: the origin, else the producer's own area."""
        return self.origin_area or self.producer.area

    @property
    def all_year(self) -> bool:
        return self.season_start_month is None

    def in_season(self, month: int) -> bool:
        if self.all_year:
            return True
        start, end = self.season_start_month, self.season_end_month
        return start <= month <= end if start <= end else (month >= start or month <= end)

    @property
    def in_season_now(self) -> bool:
        return self.in_season(timezone.localdate().month)

    @property
    def season_months(self) -> list[int]:
        return [m for m in range(1, 13) if self.in_season(m)]


class ProductVariant(models.Model):
    """What a customer puts in the basket: e.g. a 500 g bag or a 2.5 kg gift box."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="variants", verbose_name=_("product")
    )
    sku = models.CharField(_("SKU"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    unit_price = models.DecimalField(_("unit price (yuan)"), **money)
    weight_grams = models.PositiveIntegerField(_("weight (g)"), null=True, blank=True)
    is_active = models.BooleanField(_("on sale"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        ordering = ["product", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(unit_price__gt=0), name="variant_price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.product.name} · {self.name}"


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


class ProductImage(ImageWithRenditions):
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
        return self.alt_text or self.image.name


# --- Where products are sold -------------------------------------------------------


class Centre(models.Model):
    """A consumption-support centre (消费扶贫双创中心): an organization's public profile."""

    organization = models.OneToOneField(
        Organization,
        on_delete=models.PROTECT,
        related_name="centre",
        limit_choices_to={"kind": Organization.Kind.SUPPORT_CENTRE},
        verbose_name=_("organization"),
    )
    address = models.CharField(_("address"), max_length=300)
    opening_hours = models.CharField(_("opening hours"), max_length=200)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("centre")
        verbose_name_plural = _("centres")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.organization.name

    @property
    def name(self) -> str:
        return self.organization.name

    @property
    def slug(self) -> str:
        return self.organization.slug

    @property
    def is_demo(self) -> bool:
        return self.organization.is_demo


class Counter(models.Model):
    """A Huairou zone or counter (怀柔专区 / 专柜) inside a centre."""

    class Kind(models.TextChoices):
        ZONE = "zone", _("Huairou zone")
        COUNTER = "counter", _("Huairou counter")

    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="counters", verbose_name=_("centre")
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COUNTER)
    location = models.CharField(
        _("where in the centre"),
        max_length=200,
        blank=True,
        help_text=_("e.g. ground floor, east entrance"),
    )
    producers = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="counters",
        limit_choices_to={"kind__in": PRODUCER_KINDS},
        verbose_name=_("producers carried"),
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="CounterStaff",
        blank=True,
        related_name="counters",
        verbose_name=_("staff"),
    )
    is_active = models.BooleanField(_("open"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_demo = models.BooleanField(
        _("demo data"), default=False, help_text=_("Invented for the demo, not from the report.")
    )

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")
        ordering = ["centre__position", "centre", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.centre.organization.name} · {self.name}"


class CounterStaff(models.Model):
    """Who works at a counter. They must also be a member of the centre's
    organization to open the partner panel; a centre *manager* sees every
    counter of the centre without an assignment."""

    counter = models.ForeignKey(
        Counter, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("counter")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="counter_assignments",
        verbose_name=_("user"),
    )

    class Meta:
        verbose_name = _("counter staff")
        verbose_name_plural = _("counter staff")
        constraints = [
            models.UniqueConstraint(fields=["counter", "user"], name="counter_staff_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.counter}"


# --- Stock -----------------------------------------------------------------------------


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


# --- Reserve-and-collect orders ---------------------------------------------------------


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("cash")
    WECHAT = "wechat", _("WeChat Pay")
    ALIPAY = "alipay", _("Alipay")
    CARD = "card", _("bank card")
    OTHER = "other", _("other")


class Order(models.Model):
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
    is_demo = models.BooleanField(
        _("demo data"), default=False, help_text=_("Invented for the demo, not from the report.")
    )

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

    def effective_status(self, now: datetime | None = None) -> str:
        return self.Status.EXPIRED if self.is_overdue(now) else self.status

    def get_effective_status_display(self) -> str:
        return self.Status(self.effective_status()).label

    def can_cancel_by_customer(self, now: datetime | None = None) -> bool:
        return self.status == self.Status.PLACED and not self.is_overdue(now)

    @property
    def pickup_code_display(self) -> str:
        """Two groups of three are easier to read aloud: ``K7P 3XW``."""
        code = self.pickup_code
        return f"{code[:3]} {code[3:]}" if len(code) == 6 else code


class OrderLine(models.Model):
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

    def __str__(self) -> str:
        return f"{self.product_name} · {self.variant_name} × {self.quantity}"


class OrderEvent(models.Model):
    """The audit log: every change of an order's status, by whom and why."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="events", verbose_name=_("order")
    )
    from_status = models.CharField(_("from"), max_length=12, blank=True)
    to_status = models.CharField(_("to"), max_length=12)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
        help_text=_("Empty: the system (e.g. the expiry job)."),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    reason = models.CharField(_("why"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"

    @property
    def to_label(self) -> str:
        return Order.Status(self.to_status).label


# --- Bulk channel (农超对接 / 餐饮对接) -----------------------------------------------------


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


class BulkOrder(models.Model):
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
    is_demo = models.BooleanField(
        _("demo data"), default=False, help_text=_("Invented for the demo, not from the report.")
    )

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
    def channel_label(self) -> str:
        if self.buyer.kind == Organization.Kind.RESTAURANT:
            return _("farm-to-restaurant (餐饮对接)")
        return _("farm-to-supermarket (农超对接)")


class BulkOrderLine(models.Model):
    bulk_order = models.ForeignKey(
        BulkOrder, on_delete=models.CASCADE, related_name="lines", verbose_name=_("bulk order")
    )
    variant = models.ForeignKey(
        ProductVariant,
        on_delete=models.PROTECT,
        related_name="bulk_lines",
        verbose_name=_("variant"),
    )
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
    requested_quantity = models.PositiveIntegerField(_("requested"))
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = models.DecimalField(_("unit price (yuan)"), **money)
    line_total = models.DecimalField(_("line total (yuan)"), **money)

    class Meta:
        verbose_name = _("bulk order line")
        verbose_name_plural = _("bulk order lines")
        ordering = ["bulk_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(requested_quantity__gte=1), name="bulk_line_requested_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_name} · {self.variant_name} × {self.quantity}"


class BulkOrderEvent(models.Model):
    bulk_order = models.ForeignKey(
        BulkOrder, on_delete=models.CASCADE, related_name="events", verbose_name=_("bulk order")
    )
    from_status = models.CharField(_("from"), max_length=12, blank=True)
    to_status = models.CharField(_("to"), max_length=12)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    reason = models.CharField(_("why"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("bulk order event")
        verbose_name_plural = _("bulk order events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"

    @property
    def to_label(self) -> str:
        return BulkOrder.Status(self.to_status).label


# --- Partner-panel views of the same rows (proxy models: no tables of their own) ------------
# The /vendor/ site registers one ModelAdmin per model, each scoped to one kind
# of organization; these give producers and counter staff their own pages.


class ProducerStock(Stock):
    class Meta:
        proxy = True
        verbose_name = _("stock of my products")
        verbose_name_plural = _("stock of my products")


class CounterStock(Stock):
    class Meta:
        proxy = True
        verbose_name = _("stock at my counter")
        verbose_name_plural = _("stock at my counters")


class CounterOrder(Order):
    class Meta:
        proxy = True
        verbose_name = _("order at my counter")
        verbose_name_plural = _("orders at my counters")


class ProducerSale(OrderLine):
    class Meta:
        proxy = True
        verbose_name = _("order of my products")
        verbose_name_plural = _("orders of my products")


class SalesReport(OrderLine):
    class Meta:
        proxy = True
        verbose_name = _("sales report")
        verbose_name_plural = _("sales report")


class BulkPurchase(BulkOrder):
    class Meta:
        proxy = True
        verbose_name = _("bulk purchase")
        verbose_name_plural = _("bulk purchases")
