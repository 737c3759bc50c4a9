"""GET /api/v1/purchase-shares/: the signed-in member's own units' progress
against their reserved share of Huairou products (``selectors.shares``)."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.schema import ERROR_RESPONSES
from organizations.selectors import organization_ids_for

from ..selectors.shares import share_progress


class ShareYearSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)


class ShareProgressSerializer(serializers.Serializer):
    unit = serializers.CharField()
    unit_id = serializers.IntegerField(source="share.buyer_id")
    year = serializers.IntegerField(source="share.year")
    food_budget = serializers.DecimalField(
        source="share.food_budget", max_digits=14, decimal_places=2
    )
    share_rate = serializers.DecimalField(source="share.share_rate", max_digits=4, decimal_places=3)
    has_canteen = serializers.BooleanField(source="share.has_canteen")
    target = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        allow_null=True,
        help_text="budget × share; null: no canteen",
    )
    counted = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="bulk orders settled in the year"
    )
    pending = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="confirmed or delivered, not yet settled"
    )
    reached = serializers.DecimalField(
        max_digits=8, decimal_places=4, allow_null=True, help_text="counted ÷ target"
    )
    pace = serializers.DecimalField(
        max_digits=8,
        decimal_places=4,
        allow_null=True,
        help_text="counted ÷ (target × part of the year over); < 1 is behind pace",
    )
    behind = serializers.BooleanField()
    is_demo = serializers.BooleanField(source="share.is_demo")


@extend_schema(
    tags=["marketplace"],
    parameters=[
        OpenApiParameter("year", OpenApiTypes.INT, description="default: the current year")
    ],
    responses={
        200: ShareProgressSerializer(many=True),
        **ERROR_RESPONSES(400, 401, 429),
    },
)
class PurchaseShareProgressView(APIView):
    """Progress of the units the signed-in user acts for against their reserved
    share of Huairou products for a year (empty when none has a share)."""

    permission_classes = [IsAuthenticated]

    def get(self, request: Request) -> Response:
        params = ShareYearSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        year = params.validated_data.get("year") or timezone.localdate().year
        rows = share_progress(year, buyer_ids=organization_ids_for(request.user))
        return Response(ShareProgressSerializer(rows, many=True).data)
