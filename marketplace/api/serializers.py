"""Output serializers read what the selectors prefetched (no query of their
own); input serializers only check shapes, the services check the rules.
Nothing a client sends can set a price, a status or a vendor: those fields
are not in any input serializer, and unknown fields are ignored."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core import geo
from core.api.strict import StrictIntegerField
from core.links import absolute_url
from marketplace import selectors
from marketplace.models import (
    MAX_LINE_QUANTITY,
    MAX_ORDER_LINES,
    MAX_PLEDGE,
    Counter,
    Lot,
    Order,
    ProductVariant,
)
from organizations.models import Area


class RenditionSerializer(serializers.Serializer):
    webp = serializers.CharField()
    jpeg = serializers.CharField()


class ImageSerializer(serializers.Serializer):
    alt_text = serializers.CharField()
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)
    small = serializers.SerializerMethodField()
    medium = serializers.SerializerMethodField()

    def _rendition(self, image, size):
        request = self.context.get("request")
        return {key: absolute_url(url, request) for key, url in image.rendition(size).items()}

    @extend_schema_field(RenditionSerializer)
    def get_small(self, image):
        return self._rendition(image, "small")

    @extend_schema_field(RenditionSerializer)
    def get_medium(self, image):
        return self._rendition(image, "medium")


class NamedSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class VillageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()


class ProducerSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    village = VillageSerializer(source="area", allow_null=True)
    is_demo = serializers.BooleanField()


class SeasonSerializer(serializers.Serializer):
    start_month = serializers.IntegerField(source="season_start_month", allow_null=True)
    end_month = serializers.IntegerField(source="season_end_month", allow_null=True)
    months = serializers.ListField(child=serializers.IntegerField(), source="season_months")


class ProductSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    summary = serializers.CharField()
    category = NamedSerializer()
    producer = ProducerSerializer()
    village = VillageSerializer(allow_null=True, help_text="Whom a purchase supports")
    # Any field: ProductDetailSerializer declares them as method fields.
    price_from: serializers.Field = serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True
    )
    in_stock: serializers.Field = serializers.BooleanField(
        help_text="Can be reserved now at some counter"
    )
    season = SeasonSerializer(source="*")
    image = serializers.SerializerMethodField()
    is_reported = serializers.BooleanField(help_text="Named in the 2023 report")
    is_demo = serializers.BooleanField()
    url = serializers.SerializerMethodField(help_text="The web page")

    @extend_schema_field(ImageSerializer(allow_null=True))
    def get_image(self, product):
        images = getattr(product, "image_list", [])
        return ImageSerializer(images[0], context=self.context).data if images else None

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, product):
        return absolute_url(product.get_absolute_url(), self.context.get("request"))


class CounterStockSerializer(serializers.Serializer):
    counter = serializers.IntegerField(source="counter.pk", help_text="Counter id (see centres/)")
    available = serializers.IntegerField(help_text="Units that can be reserved now")
    level = serializers.ChoiceField(choices=["in", "few", "out"])


class TierSerializer(serializers.Serializer):
    min_quantity = serializers.IntegerField()
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2)


class VariantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sku = serializers.CharField()
    gtin = serializers.CharField(
        help_text="The bar code number (GTIN-14 with its GS1 check digit), or empty; with a "
        "lot it makes the trace link `/01/<gtin>/10/<lot>`."
    )
    name = serializers.CharField()
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2)
    weight_grams = serializers.IntegerField(allow_null=True)
    stock = CounterStockSerializer(source="availability", many=True)
    tiers = TierSerializer(
        source="tiers.all", many=True, help_text="Bulk prices for shops and restaurants"
    )


class ProductDetailSerializer(ProductSerializer):
    description = serializers.CharField()
    storage = serializers.CharField()
    shelf_life_days = serializers.IntegerField(allow_null=True)
    certifications = NamedSerializer(source="certifications.all", many=True)
    bulk_min_quantity = serializers.IntegerField()
    images = serializers.SerializerMethodField()
    variants = VariantSerializer(source="active_variants", many=True)
    in_stock = serializers.SerializerMethodField()
    price_from = serializers.SerializerMethodField()

    @extend_schema_field(ImageSerializer(many=True))
    def get_images(self, product):
        return ImageSerializer(product.image_list, many=True, context=self.context).data

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_in_stock(self, product):
        return any(v.total_available > 0 for v in product.active_variants)

    @extend_schema_field(serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True))
    def get_price_from(self, product):
        prices = [v.unit_price for v in product.active_variants]
        return f"{min(prices):.2f}" if prices else None


class OpeningPeriodSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(help_text="0 = Monday … 6 = Sunday")
    opens = serializers.TimeField(format="%H:%M")
    closes = serializers.TimeField(format="%H:%M")


class OpeningExceptionSerializer(serializers.Serializer):
    date = serializers.DateField()
    opens = serializers.TimeField(format="%H:%M", allow_null=True, help_text="null: closed all day")
    closes = serializers.TimeField(format="%H:%M", allow_null=True)
    note = serializers.CharField()


class CounterSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    location = serializers.CharField()
    latitude = serializers.FloatField(
        allow_null=True, help_text="WGS-84; null: at the centre's coordinates"
    )
    longitude = serializers.FloatField(allow_null=True)
    producers = NamedSerializer(
        source="producer_list", many=True, help_text="Producers this counter sells"
    )
    opening_hours = OpeningPeriodSerializer(
        source="opening_hours.all",
        many=True,
        help_text="Weekly hours (pickup deadlines fall inside them); none: always open",
    )
    opening_exceptions = OpeningExceptionSerializer(
        source="upcoming_exceptions",
        many=True,
        help_text="Closures and changed hours of the coming weeks",
    )
    is_demo = serializers.BooleanField()


class CentreSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    address = serializers.CharField()
    opening_hours = serializers.CharField()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    phone = serializers.CharField()
    is_demo = serializers.BooleanField()
    counters = CounterSerializer(source="counter_list", many=True)


# --- Orders ------------------------------------------------------------------------------


class OrderLineInputSerializer(serializers.Serializer):
    # An id only: the service loads every line's variant in one query and
    # names the ids that are not on sale (the view reports that on `lines`).
    variant = StrictIntegerField(
        min_value=1, max_value=2**63 - 1, help_text="Variant id (see products/<slug>/)"
    )
    quantity = StrictIntegerField(min_value=1, max_value=MAX_LINE_QUANTITY)


@extend_schema_field(OpenApiTypes.INT)
class OpenCounterField(serializers.Field):
    """An active counter's id (a JSON integer, checked like every id), read
    as the counter with its centre (and the centre's organization, which
    holds its name and slug: the answer shows where to collect the order),
    from the shared cache (``selectors.open_counter``)."""

    default_error_messages = {"does_not_exist": _("No open counter has the id {pk_value}.")}
    pk_field = StrictIntegerField(min_value=1, max_value=2**63 - 1)

    def to_internal_value(self, data) -> Counter:
        pk = self.pk_field.run_validation(data)
        counter = selectors.open_counter(pk)
        if counter is None:
            self.fail("does_not_exist", pk_value=pk)
        return counter

    def to_representation(self, value):
        return value.pk


class OrderInputSerializer(serializers.Serializer):
    counter = OpenCounterField(help_text="An open counter's id (see centres/)")
    # The stub's Serializer() lacks ListSerializer's max_length (many=True passes it on).
    lines = OrderLineInputSerializer(many=True, allow_empty=False, max_length=MAX_ORDER_LINES)  # type: ignore[call-arg]


class OrderCentreSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    address = serializers.CharField()
    opening_hours = serializers.CharField()
    phone = serializers.CharField()


class OrderCounterSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    centre = OrderCentreSerializer()


class OrderLineSerializer(serializers.Serializer):
    variant = serializers.IntegerField(source="variant_id")
    sku = serializers.CharField()
    product_name = serializers.CharField()
    variant_name = serializers.CharField()
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2)
    quantity = serializers.IntegerField()
    line_total = serializers.DecimalField(max_digits=12, decimal_places=2)


class OrderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    pickup_code = serializers.CharField(
        help_text="Six characters to show (or read out) at the counter"
    )
    qr_text = serializers.CharField(
        source="pickup_code",
        help_text="The exact text the order's QR code encodes (on its web page too): "
        "the pickup code, which the counter's scanner types into its code box. Draw it "
        "as a standard QR code, never Micro QR (error correction M, a quiet zone of 4 "
        "modules, dark on a white background).",
    )
    status = serializers.SerializerMethodField(
        help_text="placed, ready, collected, cancelled or expired"
    )
    status_label = serializers.SerializerMethodField()
    counter = OrderCounterSerializer()
    placed_at = serializers.DateTimeField()
    pickup_deadline = serializers.DateTimeField()
    total = serializers.DecimalField(max_digits=12, decimal_places=2)
    payment_method = serializers.CharField()
    can_cancel = serializers.SerializerMethodField()
    lines = OrderLineSerializer(many=True, source="line_list")
    url = serializers.SerializerMethodField(help_text="The web page, with the QR code")

    @extend_schema_field(serializers.ChoiceField(choices=Order.Status.values))
    def get_status(self, order):
        # An order past its deadline has expired, whether or not the job has run.
        return order.effective_status()

    @extend_schema_field(OpenApiTypes.STR)
    def get_status_label(self, order):
        return str(order.get_effective_status_display())

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_can_cancel(self, order):
        return order.can_cancel_by_customer()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, order):
        return absolute_url(order.get_absolute_url(), self.context.get("request"))


# --- Harvest presales -----------------------------------------------------------------


class PresaleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    product = serializers.CharField(source="variant.product.name")
    product_slug = serializers.CharField(source="variant.product.slug")
    variant = serializers.CharField(source="variant.name")
    variant_id = serializers.IntegerField()
    producer = serializers.CharField(source="variant.product.producer.name")
    price = serializers.DecimalField(max_digits=12, decimal_places=2)
    expected_yield = serializers.IntegerField()
    pledged = serializers.IntegerField(
        help_text="Units pledged so far (withdrawn ones not counted)."
    )
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    harvest_note = serializers.CharField()
    status = serializers.ChoiceField(choices=["open", "allocated", "cancelled"])
    actual_yield = serializers.IntegerField(allow_null=True)
    is_demo = serializers.BooleanField()


class PledgeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    presale = serializers.IntegerField(source="presale_id")
    product = serializers.CharField(source="presale.variant.product.name")
    variant = serializers.CharField(source="presale.variant.name")
    counter = serializers.IntegerField(source="counter_id")
    quantity = serializers.IntegerField()
    allocated = serializers.IntegerField(
        allow_null=True, help_text="Units allocated; null until the harvest is in."
    )
    status = serializers.ChoiceField(
        choices=["pledged", "allocated", "reduced", "not_served", "withdrawn"],
        help_text="`reduced`: part of the pledge, the harvest being smaller than all pledges.",
    )
    order = serializers.IntegerField(
        source="order_id", allow_null=True, help_text="The reserved order made of the allocation."
    )
    created_at = serializers.DateTimeField()


class PledgeInputSerializer(serializers.Serializer):
    counter = serializers.PrimaryKeyRelatedField(
        queryset=Counter.objects.filter(is_active=True),
        pk_field=StrictIntegerField(),
        error_messages={"does_not_exist": _("No open counter has the id {pk_value}.")},
    )
    quantity = StrictIntegerField(min_value=1, max_value=MAX_PLEDGE)


# --- Lots (api/lots.py) ---


class LotVillageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    map_url = serializers.SerializerMethodField(help_text="An OpenStreetMap link, or null.")

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_map_url(self, area: Area) -> str | None:
        return geo.openstreetmap_url(area.latitude, area.longitude) or None


class _LotBase(serializers.Serializer):
    gtin = serializers.CharField(source="variant.gtin", help_text="14 digits, or empty.")
    lot = serializers.CharField(source="code")
    product = serializers.CharField(source="variant.product.name")
    product_slug = serializers.CharField(source="variant.product.slug")
    variant_name = serializers.CharField(source="variant.name")
    producer = serializers.CharField(source="producer.name")
    producer_slug = serializers.CharField(source="producer.slug")
    village = LotVillageSerializer(allow_null=True)
    harvested_on = serializers.DateField(allow_null=True)
    best_before = serializers.DateField(allow_null=True)
    centre = serializers.CharField(source="counter.centre.name")
    counter_name = serializers.CharField(source="counter.name")
    certificate = serializers.ChoiceField(choices=Lot.Certificate.choices)
    certificate_label = serializers.CharField(source="get_certificate_display")
    certificate_number = serializers.CharField()
    recorded = serializers.BooleanField(help_text="False: stock from before lots were recorded.")
    trace_url = serializers.SerializerMethodField(
        help_text="The lot's GS1 Digital Link (its QR code), or null without a GTIN."
    )

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_trace_url(self, lot: Lot) -> str | None:
        return absolute_url(lot.trace_path, self.context.get("request")) or None


class LotTraceSerializer(_LotBase):
    """What anyone may read about a lot."""


class LotSerializer(_LotBase):
    """A partner's lot: the public trace plus the figures."""

    id = serializers.IntegerField()
    variant = serializers.IntegerField(source="variant_id")
    counter = serializers.IntegerField(source="counter_id")
    quantity_received = serializers.IntegerField()
    remaining = serializers.IntegerField()
    received_at = serializers.DateTimeField()


class LotReceiptSerializer(serializers.Serializer):
    counter = serializers.PrimaryKeyRelatedField(
        queryset=Counter.objects.filter(is_active=True),
        pk_field=StrictIntegerField(),
        error_messages={"does_not_exist": _("No open counter has the id {pk_value}.")},
    )
    variant = serializers.PrimaryKeyRelatedField(
        queryset=ProductVariant.objects.select_related("product__producer"),
        pk_field=StrictIntegerField(),
        error_messages={"does_not_exist": _("No product has the variant id {pk_value}.")},
    )
    quantity = StrictIntegerField(min_value=1, max_value=100_000)
    lot = serializers.CharField(
        max_length=20, required=False, allow_blank=True, help_text="Empty draws HR<year>-<n>."
    )
    village = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.all(),
        pk_field=StrictIntegerField(),
        required=False,
        allow_null=True,
        help_text="An area id; empty means the product's own village.",
    )
    harvested_on = serializers.DateField(required=False, allow_null=True)
    best_before = serializers.DateField(required=False, allow_null=True)
    certificate = serializers.ChoiceField(
        choices=Lot.Certificate.choices, required=False, default=Lot.Certificate.NONE
    )
    certificate_number = serializers.CharField(max_length=60, required=False, allow_blank=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
