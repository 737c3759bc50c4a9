"""Output serializers read what the selectors prefetched (no query of their
own); input serializers only check shapes, the services check the rules."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.strict import StrictBooleanField, StrictIntegerField
from core.links import absolute_url
from marketplace.models import MAX_LINE_QUANTITY, MAX_ORDER_LINES
from tours.links import calendar_url, check_in_url
from tours.models import (
    MAX_SEATS_PER_BOOKING,
    Attraction,
    Booking,
    BookingTraveller,
    Departure,
    Route,
    RouteStop,
    TravellerType,
    WaitlistEntry,
)


class RouteOperatorSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    is_demo = serializers.BooleanField()


class AttractionRenditionSerializer(serializers.Serializer):
    webp = serializers.CharField()
    jpeg = serializers.CharField()


class AttractionImageSerializer(serializers.Serializer):
    alt_text = serializers.CharField()
    is_illustration = serializers.BooleanField(
        help_text="A drawing, not a photograph: show it labelled as an illustration"
    )
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)
    small = AttractionRenditionSerializer()
    medium = AttractionRenditionSerializer()


class AttractionSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district.code")
    district_name = serializers.CharField(source="district.name")
    area = serializers.CharField(source="area.name", default=None)
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    images = AttractionImageSerializer(many=True)

    class Meta:
        model = Attraction
        fields = [
            "slug",
            "name",
            "district",
            "district_name",
            "area",
            "latitude",
            "longitude",
            "description",
            "opening_info",
            "images",
            "is_demo",
        ]


class RouteStopSerializer(serializers.ModelSerializer):
    attraction = AttractionSerializer()

    class Meta:
        model = RouteStop
        fields = ["order", "day", "time", "stay_minutes", "note", "attraction"]


class RouteStopBriefSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    day = serializers.IntegerField()
    name = serializers.CharField(source="attraction.name")
    district = serializers.CharField(source="attraction.district.code")


class RouteSerializer(serializers.ModelSerializer):
    operator = RouteOperatorSerializer()
    # Any serializer: RouteDetailSerializer declares the full stops.
    stops: serializers.BaseSerializer = RouteStopBriefSerializer(many=True)
    next_departure = serializers.DateField(allow_null=True)
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Route
        fields = [
            "slug",
            "title",
            "summary",
            "duration_days",
            "base_price",
            "price_is_demo",
            "min_travellers",
            "max_travellers",
            "operator",
            "stops",
            "next_departure",
            "in_report",
            "is_demo",
            "web_url",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, route) -> str:
        return absolute_url(route.get_absolute_url(), self.context.get("request"))


class RouteDetailSerializer(RouteSerializer):
    stops = RouteStopSerializer(many=True)
    images = AttractionImageSerializer(
        source="image_list", many=True, help_text="Pictures of the route as a whole"
    )
    highlights = serializers.ListField(child=serializers.CharField(), source="highlight_list")
    included = serializers.ListField(child=serializers.CharField(), source="included_list")
    departures_url = serializers.SerializerMethodField()

    class Meta(RouteSerializer.Meta):
        fields = [
            *RouteSerializer.Meta.fields,
            "images",
            "description",
            "highlights",
            "included",
            "meeting_point",
            "departures_url",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_departures_url(self, route) -> str:
        path = f"{reverse('tours-api:departure-list')}?route={route.slug}"
        return absolute_url(path, self.context.get("request"))


class DeparturePriceSerializer(serializers.Serializer):
    traveller_type = serializers.ChoiceField(choices=TravellerType.choices)
    # DRF's metaclass takes declared fields off the class; the stub sees this
    # one override Field.label.
    label = serializers.CharField()  # type: ignore[assignment]
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)


class DepartureSerializer(serializers.ModelSerializer):
    route = serializers.CharField(source="route.slug")
    route_title = serializers.CharField(source="route.title")
    starts_at = serializers.DateTimeField()
    booking_closes_at = serializers.DateTimeField()
    seats_left = serializers.IntegerField()
    bookable = serializers.SerializerMethodField()
    prices = serializers.SerializerMethodField()

    class Meta:
        model = Departure
        fields = [
            "id",
            "route",
            "route_title",
            "date",
            "start_time",
            "starts_at",
            "booking_closes_at",
            "capacity",
            "seats_left",
            "status",
            "bookable",
            "prices",
            "cancel_reason",
            "is_demo",
        ]

    def get_bookable(self, departure) -> bool:
        return departure.is_bookable()

    @extend_schema_field(DeparturePriceSerializer(many=True))
    def get_prices(self, departure):
        return [
            {"traveller_type": value, "label": str(label), "amount": f"{amount:.2f}"}
            for value, label, amount in departure.price_table()
        ]


class DepartureBriefSerializer(serializers.ModelSerializer):
    route = serializers.CharField(source="route.slug")
    route_title = serializers.CharField(source="route.title")
    starts_at = serializers.DateTimeField()

    class Meta:
        model = Departure
        fields = ["id", "route", "route_title", "date", "start_time", "starts_at", "status"]


class BookingTravellerSerializer(serializers.ModelSerializer):
    type = serializers.CharField(source="traveller_type")

    class Meta:
        model = BookingTraveller
        fields = ["name", "type", "price"]


class ProduceLineSerializer(serializers.Serializer):
    variant = serializers.IntegerField(source="variant_id")
    product_name = serializers.CharField()
    variant_name = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2)


class ProduceOrderSerializer(serializers.Serializer):
    """The booking's produce: an ordinary marketplace order (see ``orders/{id}/``)."""

    id = serializers.IntegerField()
    pickup_code = serializers.CharField()
    status = serializers.CharField(
        source="effective_status", help_text="placed, ready, collected, cancelled or expired"
    )
    leg = serializers.CharField(
        source="trip.leg", help_text="Where it is collected: `on_the_way` or `on_return`."
    )
    counter = serializers.IntegerField(source="counter_id")
    counter_name = serializers.CharField(source="counter.__str__")
    pickup_deadline = serializers.DateTimeField()
    total = serializers.DecimalField(max_digits=12, decimal_places=2)
    lines = ProduceLineSerializer(many=True, source="line_list")


class BookingSerializer(serializers.ModelSerializer):
    departure = DepartureBriefSerializer()
    produce_order = ProduceOrderSerializer(
        read_only=True,
        allow_null=True,
        help_text="The products reserved with the booking (null when none).",
    )
    travellers = BookingTravellerSerializer(many=True, source="traveller_list")
    paid = serializers.BooleanField(source="is_paid")
    ics_url = serializers.SerializerMethodField(
        help_text="The booking's calendar file (.ics). Fetch it with the same "
        "Authorization header (Token or Bearer) as the API."
    )
    calendar_url = serializers.SerializerMethodField(
        help_text="The same calendar file behind a signature for this booking alone: "
        "no credentials needed, for handing to the phone's calendar app (open or "
        "subscribe). Anyone with the link can read this booking's calendar entry."
    )
    qr_text = serializers.SerializerMethodField(
        help_text="The exact text the booking's QR code encodes (on its web page too): "
        "the operator's check-in URL, which carries the code. Draw it as a standard QR "
        "code (error correction M, a quiet zone of 4 modules, dark on a white background) "
        "for the operator to scan."
    )

    class Meta:
        model = Booking
        fields = [
            "id",
            "code",
            "status",
            "departure",
            "seats",
            "travellers",
            "contact_name",
            "contact_phone",
            "total_price",
            "hold_expires_at",
            "paid",
            "payment_timing",
            "cancel_reason",
            "created_at",
            "ics_url",
            "calendar_url",
            "qr_text",
            "produce_order",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_ics_url(self, booking) -> str:
        path = reverse("tours:booking_ics", kwargs={"code": booking.code})
        return absolute_url(path, self.context.get("request"))

    @extend_schema_field(OpenApiTypes.URI)
    def get_calendar_url(self, booking) -> str:
        return calendar_url(booking.code, self.context.get("request"))

    @extend_schema_field(OpenApiTypes.STR)
    def get_qr_text(self, booking) -> str:
        return check_in_url(booking.code, self.context.get("request"))


class WaitlistEntrySerializer(serializers.ModelSerializer):
    departure = DepartureBriefSerializer()
    booking = serializers.CharField(
        source="booking.code",
        default=None,
        allow_null=True,
        read_only=True,
        help_text="The code of the booking offered to this entry; null while it waits.",
    )

    class Meta:
        model = WaitlistEntry
        fields = [
            "id",
            "departure",
            "seats",
            "status",
            "contact_name",
            "contact_phone",
            "booking",
            "created_at",
        ]


# --- Input ------------------------------------------------------------------------------


class BookingTravellerInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, allow_blank=True, required=False, default="")
    type = serializers.ChoiceField(choices=TravellerType.choices, default=TravellerType.ADULT)


class WaitlistJoinInputSerializer(serializers.Serializer):
    seats = StrictIntegerField(min_value=1, max_value=MAX_SEATS_PER_BOOKING)
    contact_name = serializers.CharField(max_length=100)
    contact_phone = serializers.CharField(max_length=30)
    # The stub's Serializer() lacks ListSerializer's max_length (many=True passes it on).
    travellers = BookingTravellerInputSerializer(  # type: ignore[call-arg]
        many=True,
        required=False,
        max_length=MAX_SEATS_PER_BOOKING,
        help_text="One per seat; without it, every seat is an unnamed adult.",
    )


class ProduceInputSerializer(serializers.Serializer):
    variant = StrictIntegerField(min_value=1, help_text="A product variant id.")
    quantity = StrictIntegerField(min_value=1, max_value=MAX_LINE_QUANTITY)


class BookingInputSerializer(WaitlistJoinInputSerializer):
    departure = StrictIntegerField(min_value=1)
    produce = ProduceInputSerializer(  # type: ignore[call-arg]
        many=True,
        required=False,
        max_length=MAX_ORDER_LINES,
        help_text=(
            "Products made near the route's stops (the route page's “bring home”) to reserve with "
            "the booking: an ordinary reserve-and-collect order, its pickup deadline counted from "
            "the departure. Booking and order are made together or not at all."
        ),
    )
    pickup_counter = StrictIntegerField(
        min_value=1,
        required=False,
        help_text="The counter to collect the produce at: one on the way (a Huairou counter near a "
        "stop) or on return (a Dongcheng counter). Required with `produce`.",
    )

    def validate(self, attrs):
        if attrs.get("produce") and not attrs.get("pickup_counter"):
            raise serializers.ValidationError(
                {"pickup_counter": [_("Choose the counter to collect the produce at.")]}
            )
        return attrs


class BookingCancelInputSerializer(serializers.Serializer):
    cancel_order = StrictBooleanField(
        default=False,
        help_text="Also cancel the booking's produce order (its stock hold is released). "
        "Without it the order stays and can still be collected.",
    )


class RescheduleInputSerializer(serializers.Serializer):
    departure = StrictIntegerField(
        min_value=1, help_text="The id of another departure of the same route."
    )
