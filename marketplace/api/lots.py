"""/api/v1/ lots: a partner's lots and their receipts (``lots/``), and the
public trace of one lot (``trace/<gtin>/<lot>/``, what its QR code's page
shows: where the goods come from and where they were sold, nobody's name)."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from core.api.own import OwnObjectsView
from core.api.schema import ERROR_RESPONSES, paginated
from marketplace import selectors, services
from marketplace.models import Lot

from .serializers import LotReceiptSerializer, LotSerializer, LotTraceSerializer


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
