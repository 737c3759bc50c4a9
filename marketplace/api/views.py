"""/api/v1/ endpoints of the marketplace: one view per operation, input
checked by a serializer, the work done by a service or a selector."""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.models import User
from core import personal
from core.api.own import OwnObjectActionView, OwnObjectsView
from core.api.schema import ERROR_RESPONSES, paginated
from core.api.search import SearchCorrectedHeader
from marketplace import errors, selectors, services
from marketplace.models import Order, Pledge, Presale, Product

from .filters import ProductFilter
from .serializers import (
    CentreSerializer,
    OrderInputSerializer,
    OrderSerializer,
    PledgeInputSerializer,
    PledgeSerializer,
    PresaleSerializer,
    ProductDetailSerializer,
    ProductSerializer,
)


@extend_schema(
    tags=["marketplace"], responses={200: ProductSerializer(many=True), **ERROR_RESPONSES(400, 429)}
)
class ProductListView(SearchCorrectedHeader, generics.ListAPIView):
    """Huairou products on sale, the report's four first. Filters: `category`,
    `vendor` (producer slug), `centre` (centre slug), `in_stock`, `in_season`,
    `q` (substring search in Chinese or English)."""

    serializer_class = ProductSerializer
    filterset_class = ProductFilter
    queryset = Product.objects.none()  # the filter set asks the selector


@extend_schema(
    tags=["marketplace"], responses={200: ProductDetailSerializer, **ERROR_RESPONSES(404, 429)}
)
class ProductDetailView(generics.RetrieveAPIView):
    """A product with its variants; each variant lists `stock`: for every open
    counter that sells it, `counter` (id) and `available` (units)."""

    serializer_class = ProductDetailSerializer
    lookup_field = "slug"

    def get_object(self):
        try:
            return selectors.product_detail(slug=self.kwargs["slug"])
        except Product.DoesNotExist:
            raise Http404 from None


@extend_schema(
    tags=["marketplace"], responses={200: CentreSerializer(many=True), **ERROR_RESPONSES(429)}
)
class CentreListView(generics.ListAPIView):
    """Consumption-support centres with address, hours, coordinates and their
    open counters (id, name, producers carried)."""

    serializer_class = CentreSerializer

    def get_queryset(self):
        return selectors.centre_list()


class _MyOrders(OwnObjectsView[Order]):
    output_serializer = OrderSerializer

    def get_own(self, pk: int) -> Order:
        return selectors.order_for_customer(user=self.request.user, pk=pk)


class OrderListCreateView(_MyOrders):
    @extend_schema(
        tags=["marketplace"],
        summary="My orders, newest first",
        responses={200: paginated(OrderSerializer), **ERROR_RESPONSES(401, 429)},
        operation_id="orders_list",
    )
    def get(self, request):
        def compute():
            # One page, and when what it shows changes with the clock alone.
            data, rows = self.page_data(selectors.orders_for_customer(user=request.user))
            return data, min(selectors.orders_next_change(rows, now=timezone.now()), default=None)

        return Response(
            personal.cached_data(
                request,
                user_id=request.user.pk,
                key_parts=(
                    request.get_host(),
                    request.get_full_path(),
                    request.LANGUAGE_CODE,
                    request.accepted_media_type,
                ),
                compute=compute,
            )
        )

    @extend_schema(
        tags=["marketplace"],
        summary="Reserve products at a counter",
        description=(
            "All lines or none. 201 with the pickup code and deadline. An unknown variant or "
            "counter, or a bad quantity, is a 400 naming the field; a variant the counter does not "
            "sell is a 400 with code `not_carried`; too little stock is a 409 with code "
            "`insufficient_stock` naming the line. Send an `Idempotency-Key` header to retry "
            "safely: the same key and body replay the first answer; another body is a 409."
        ),
        request=OrderInputSerializer,
        responses={201: OrderSerializer, **ERROR_RESPONSES(400, 401, 409, 429)},
    )
    def post(self, request):
        values = self.validated(OrderInputSerializer)

        def place() -> Order:
            try:
                return services.order_place(
                    customer=request.user,
                    counter=values["counter"],
                    lines=values["lines"],
                    language=get_language(),
                )
            except errors.UnknownVariant as error:
                # The input's fault, named like the serializer's own errors.
                raise ValidationError({"lines": [error.message]}) from None

        # order_place returns the order with its counter, centre and lines.
        return self.create_once(scope="orders", create=place, read_back=False)


@extend_schema(
    tags=["marketplace"], responses={200: OrderSerializer, **ERROR_RESPONSES(401, 404, 429)}
)
class OrderDetailView(generics.RetrieveAPIView):
    """One of my orders (another customer's is a 404)."""

    permission_classes = [IsAuthenticated]
    serializer_class = OrderSerializer

    def get_queryset(self):
        return selectors.orders_for_customer(user=self.request.user)


@extend_schema(
    tags=["marketplace"],
    summary="Cancel my order",
    description="Only before the counter has it ready (then ask the counter): otherwise a 409.",
    request=None,
    responses={200: OrderSerializer, **ERROR_RESPONSES(401, 404, 409, 429)},
)
class OrderCancelView(OwnObjectActionView[Order], _MyOrders):
    def act(self, order: Order) -> None:
        assert isinstance(self.request.user, User)  # permission_classes: IsAuthenticated
        services.order_transition(order=order, to=Order.Status.CANCELLED, by=self.request.user)


# --- Harvest presales -------------------------------------------------------------------


@extend_schema(
    tags=["marketplace"],
    summary="Harvest presales taking pledges",
    responses={200: PresaleSerializer(many=True), **ERROR_RESPONSES(429)},
)
class PresaleListView(generics.ListAPIView):
    """Presales taking pledges now: product, price, expected yield, units
    pledged so far, the window. A pledge needs no deposit: when the harvest is
    in, each pledge gets an ordinary reserved order (in full, or pro rata
    when the harvest is smaller than the pledges)."""

    serializer_class = PresaleSerializer

    def get_queryset(self):
        return selectors.open_presales()


class _MyPledges(OwnObjectsView[Pledge]):
    output_serializer = PledgeSerializer

    def get_own(self, pk: int) -> Pledge:
        return selectors.pledge_for_customer(user=self.request.user, pk=pk)


class PresalePledgeView(_MyPledges):
    @extend_schema(
        tags=["marketplace"],
        summary="Pledge units of a harvest presale",
        description=(
            "Pledges `quantity` units collected at `counter`; a second pledge replaces the "
            "first. 409 `presale_closed` outside the window or once allocated; 400 "
            "`not_carried` for a counter that doesn't sell this producer's products."
        ),
        request=PledgeInputSerializer,
        responses={201: PledgeSerializer, **ERROR_RESPONSES(400, 401, 404, 409, 429)},
    )
    def post(self, request, pk: int):
        values = self.validated(PledgeInputSerializer)
        if not Presale.objects.filter(pk=pk).exclude(status=Presale.Status.CANCELLED).exists():
            raise Http404
        return self.create_once(
            scope="pledges",
            create=lambda: services.presale_pledge(
                customer=request.user,
                presale_id=pk,
                counter=values["counter"],
                quantity=values["quantity"],
                language=get_language(),
            ),
        )


class PledgeListView(_MyPledges):
    @extend_schema(
        tags=["marketplace"],
        summary="My pledges, newest first",
        responses={200: paginated(PledgeSerializer), **ERROR_RESPONSES(401, 429)},
        operation_id="pledges_list",
    )
    def get(self, request):
        return self.page(selectors.pledges_for_customer(user=request.user))


@extend_schema(
    tags=["marketplace"],
    summary="Withdraw a pledge before the harvest is allocated",
    request=None,
    responses={200: PledgeSerializer, **ERROR_RESPONSES(401, 404, 409, 429)},
)
class PledgeWithdrawView(OwnObjectActionView[Pledge], _MyPledges):
    def act(self, pledge: Pledge) -> None:
        assert isinstance(self.request.user, User)
        services.pledge_withdraw(pledge=pledge, by=self.request.user)

    def get_own(self, pk: int) -> Pledge:
        # A withdrawn pledge is answered as it is now.
        return (
            Pledge.objects.filter(customer_id=self.request.user.pk)
            .select_related("presale__variant__product")
            .get(pk=pk)
        )
