"""/api/v1/ lots: a partner's lots and their receipts (``lots/``), and the
public trace of one lot (``trace/<gtin>/<lot>/``, what its QR code's page
shows: where the goods come from and where they were sold, nobody's name)."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from core.api.own import OwnObjectsView
from core.api.schema import ERROR_RESPONSES, paginated
from core.api.strict import StrictIntegerField
from core.links import absolute_url
from marketplace import selectors, services
from marketplace.models import Counter, Lot, ProductVariant
from marketplace.templatetags.marketplace_tags import osm_url
from organizations.models import Area


class LotVillageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    map_url = serializers.SerializerMethodField(help_text="An OpenStreetMap link, or null.")

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_map_url(self, area: Area) -> str | None:
        return osm_url(area) or None


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


class LotListCreateView(OwnObjectsView[Lot]):
    output_serializer = LotSerializer

    def get_own(self, pk: int) -> Lot:
        return selectors.lots_for_partner(self.request.user).get(pk=pk)

    @extend_schema(
        tags=["lots"],
        summary="My lots, newest first",
        description=(
            "Counter staff: the lots received at their counters; producers: the lots of their "
            "goods (district staff: all). Anyone else gets an empty list."
        ),
        responses={200: paginated(LotSerializer), **ERROR_RESPONSES(401, 429)},
        operation_id="lots_list",
    )
    def get(self, request):
        return self.page(selectors.lots_for_partner(request.user))

    @extend_schema(
        tags=["lots"],
        summary="Receive goods at a counter (a receipt and its lot)",
        description=(
            "Counter staff record goods that arrived: a ledger receipt and the lot it makes. "
            "403 `not_allowed` for anyone else; 400 `invalid_lot` for a bad code or dates, "
            "`not_carried` for a producer the counter does not sell; 409 `lot_code_taken`."
        ),
        request=LotReceiptSerializer,
        responses={201: LotSerializer, **ERROR_RESPONSES(400, 401, 403, 409, 429)},
    )
    def post(self, request):
        values = self.validated(LotReceiptSerializer)
        assert isinstance(request.user, User)  # permission_classes: IsAuthenticated

        def receive() -> Lot:
            movement = services.stock_receive(
                counter=values["counter"],
                variant=values["variant"],
                quantity=values["quantity"],
                by=request.user,
                reason=values.get("note", ""),
                lot=services.LotDetails(
                    code=values.get("lot", ""),
                    village=values.get("village"),
                    harvested_on=values.get("harvested_on"),
                    best_before=values.get("best_before"),
                    certificate=values["certificate"],
                    certificate_number=values.get("certificate_number", ""),
                ),
            )
            return movement.lot

        return self.create_once(scope="lots", create=receive)


@extend_schema(
    tags=["lots"],
    summary="A lot's public trace",
    description=(
        "What the lot's QR code page (`/01/<gtin>/10/<lot>`) shows: product, producer, village "
        "with its coordinates, harvest and best-before dates, the counter and the certificate. "
        "Nothing about any buyer. A GTIN-8, -12 or -13 is read as the GTIN-14 it pads to."
    ),
    responses={200: LotTraceSerializer, **ERROR_RESPONSES(404, 429)},
)
class LotTraceView(APIView):
    def get(self, request, gtin: str, lot: str):
        try:
            found = selectors.lot_trace(gtin=gtin, code=lot)
        except Lot.DoesNotExist:
            raise Http404 from None
        return Response(LotTraceSerializer(found, context={"request": request}).data)
