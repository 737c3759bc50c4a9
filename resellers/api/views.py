"""The OCTO supplier API at /api/octo/ (docs.octo.travel, core specification
with the octo/pricing capability). Its shapes are OCTO's own, not the site's
API's: these views are left out of the site's OpenAPI schema, whose place the
OCTO specification takes (tests/resellers check answers against it)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework import exceptions
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.throttling import UserRateThrottle
from core.links import absolute_url
from tours import selectors as tour_selectors
from tours.links import check_in_url
from tours.models import Departure

from .. import octo, selectors, services
from ..errors import OctoError, bad_request
from .authentication import ResellerKeyAuthentication

MAX_DAYS = 366


def octo_exception_handler(exc, context):
    if isinstance(exc, OctoError):
        return Response(exc.body(), status=exc.status_code)
    if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
        return Response(
            {"error": "UNAUTHORIZED", "errorMessage": str(exc.detail)},
            status=401,
            headers={"WWW-Authenticate": "Bearer"},
        )
    if isinstance(exc, exceptions.PermissionDenied):
        return Response({"error": "FORBIDDEN", "errorMessage": str(exc.detail)}, status=403)
    if isinstance(exc, exceptions.Throttled):
        return Response(
            {"error": "BAD_REQUEST", "errorMessage": str(exc.detail)},
            status=429,
            headers={"Retry-After": str(int(exc.wait or 1))},
        )
    if isinstance(exc, exceptions.MethodNotAllowed):
        return Response({"error": "BAD_REQUEST", "errorMessage": str(exc.detail)}, status=405)
    if isinstance(exc, exceptions.APIException):  # parse errors, unsupported media type
        return Response(
            {"error": "BAD_REQUEST", "errorMessage": str(exc.detail)}, status=exc.status_code
        )
    return None  # a real bug: Django's 500


class IsReseller(IsAuthenticated):
    message = "This key is not a reseller's."

    def has_permission(self, request, view):
        return bool(super().has_permission(request, view) and hasattr(request.auth, "reseller"))


class OctoView(APIView):
    authentication_classes = [ResellerKeyAuthentication]
    permission_classes = [IsReseller]
    throttle_classes = [UserRateThrottle]
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]
    schema = None  # OCTO's own specification documents these

    def get_exception_handler(self):
        return octo_exception_handler

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        asked = request.headers.get("Octo-Capabilities", "")
        self.capabilities = [c.strip() for c in asked.split(",") if c.strip() in octo.CAPABILITIES]
        self.pricing = octo.PRICING in self.capabilities

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Octo-Capabilities"] = ", ".join(getattr(self, "capabilities", []))
        response["Cache-Control"] = "no-store"
        return response

    @property
    def reseller(self):
        return self.request.auth.reseller

    @property
    def commission(self):
        return self.reseller.commission_rate

    def body(self) -> dict:
        data = self.request.data
        if not isinstance(data, dict):
            raise bad_request("The body must be a JSON object.")
        return data

    def booking_answer(self, rb, status: int = 200) -> Response:
        url = absolute_url(check_in_url(rb.booking.code, self.request), self.request)
        return Response(octo.booking(rb, pricing=self.pricing, check_in_url=url), status=status)


class SupplierView(OctoView):
    def get(self, request):
        return Response(
            {
                "id": "dongcheng-huairou",
                "name": "东城–怀柔结对协作 Dongcheng–Huairou paired cooperation",
                "endpoint": request.build_absolute_uri(reverse("octo-root")),
                "contact": {
                    "website": request.build_absolute_uri("/tours/"),
                    "email": None,
                    "telephone": None,
                    "address": "北京市东城区 Dongcheng District, Beijing",
                },
            }
        )


class CapabilitiesView(OctoView):
    def get(self, request):
        return Response(
            [
                {
                    "id": octo.PRICING,
                    "revision": 1,
                    "required": False,
                    "dependencies": [],
                    "docs": "https://docs.octo.travel/octo-api-capabilities/pricing",
                }
            ]
        )


def _upcoming(now: dt.datetime):
    today = timezone.localtime(now).date()
    return (
        tour_selectors.with_seats(Departure.objects.filter(date__gte=today), now)
        .filter(status=Departure.Status.SCHEDULED)
        .select_related("route")
        .prefetch_related("prices")
        .order_by("date", "start_time")
    )


class ProductListView(OctoView):
    def get(self, request):
        now = timezone.now()
        routes = (
            tour_selectors.published_routes()
            .order_by("pk")
            .prefetch_related(Prefetch("departures", queryset=_upcoming(now), to_attr="upcoming"))
        )
        return Response([self.product(route) for route in routes])

    def product(self, route):
        route.start_times = [d.start_time for d in route.upcoming]
        fares = octo.route_fares(route.upcoming) or {"adult": route.base_price}
        return octo.product(
            route,
            fares,
            pricing=self.pricing,
            commission=self.commission,
            locale=translation.get_language() or "zh-hans",
        )


class ProductDetailView(ProductListView):
    def get(self, request, product_id):
        now = timezone.now()
        route = services.product_route(product_id)
        route.upcoming = list(_upcoming(now).filter(route=route))
        return Response(self.product(route))


def _dates(data) -> tuple[dt.date, dt.date]:
    try:
        start = dt.date.fromisoformat(str(data.get("localDateStart")))
        end = dt.date.fromisoformat(str(data.get("localDateEnd")))
    except ValueError:
        raise bad_request("localDateStart and localDateEnd are dates (YYYY-MM-DD).") from None
    if end < start or (end - start).days >= MAX_DAYS:
        raise bad_request(
            f"localDateEnd must be on or after localDateStart, within {MAX_DAYS} days."
        )
    return start, end


def _wanted(data) -> list[str]:
    units = data.get("units") or []
    if not isinstance(units, list):
        raise bad_request("units must be a list of {id, quantity}.")
    wanted: list[str] = []
    for entry in units:
        if not isinstance(entry, dict):
            raise bad_request("units must be a list of {id, quantity}.")
        quantity = entry.get("quantity")
        if isinstance(quantity, bool) or not isinstance(quantity, int) or not 0 <= quantity <= 10:
            raise bad_request("units[].quantity must be a whole number from 0 to 10.")
        if entry.get("id") not in octo.UNIT_TYPES:
            raise OctoError(
                "INVALID_UNIT_ID", "There is no unit with this id.", unitId=str(entry.get("id"))
            )
        wanted += [entry["id"]] * quantity
    return wanted


class AvailabilityView(OctoView):
    def post(self, request):
        data = self.body()
        route = services.product_route(data.get("productId"))
        services.check_option(data.get("optionId"))
        wanted = _wanted(data)
        now = timezone.now()
        departures = _upcoming(now).filter(route=route)
        if "availabilityIds" in data:
            ids = data["availabilityIds"]
            if not isinstance(ids, list) or not ids or len(ids) > 100:
                raise bad_request("availabilityIds must list 1 to 100 availability ids.")
            starts = [octo.parse_availability_id(str(i)) for i in ids]
            if any(s is None for s in starts):
                raise bad_request("Each availability id is an ISO 8601 date and time.")
            departures = [d for d in departures if d.starts_at in set(starts)]
        else:
            start, end = _dates(data)
            departures = departures.filter(date__range=(start, end))
        return Response(self.slots(departures, now, wanted))

    def slots(self, departures, now, wanted) -> list[dict]:
        return [
            octo.availability(
                d, now=now, wanted=wanted, pricing=self.pricing, commission=self.commission
            )
            for d in departures
        ]


class CalendarView(AvailabilityView):
    def post(self, request):
        data = self.body()
        route = services.product_route(data.get("productId"))
        services.check_option(data.get("optionId"))
        wanted = _wanted(data)
        start, end = _dates(data)
        now = timezone.now()
        by_day: dict[dt.date, list[dict]] = {}
        for departure, slot in zip(
            departures := list(_upcoming(now).filter(route=route, date__range=(start, end))),
            self.slots(departures, now, wanted),
            strict=True,
        ):
            by_day.setdefault(departure.date, []).append(slot)
        days = []
        day = start
        while day <= end:
            slots = by_day.get(day)
            if slots:
                days.append(octo.calendar_day(day, slots, pricing=self.pricing))
            else:
                days.append(
                    {
                        "localDate": day.isoformat(),
                        "available": False,
                        "status": "CLOSED",
                        "vacancies": 0,
                        "capacity": 0,
                        "openingHours": [],
                    }
                )
            day += dt.timedelta(days=1)
        return Response(days)


class BookingListView(OctoView):
    def post(self, request):
        rb, _made = services.reserve(
            reseller=self.reseller, data=self.body(), language=translation.get_language()
        )
        return self.booking_answer(rb)

    def get(self, request):
        found = selectors.bookings_for(
            reseller=self.reseller,
            reseller_reference=request.query_params.get("resellerReference"),
            supplier_reference=request.query_params.get("supplierReference"),
        )
        url = lambda rb: absolute_url(check_in_url(rb.booking.code, request), request)  # noqa: E731
        return Response(
            [octo.booking(rb, pricing=self.pricing, check_in_url=url(rb)) for rb in found]
        )


class BookingDetailView(OctoView):
    def get(self, request, uuid):
        return self.booking_answer(services.booking_of(self.reseller, uuid))

    def patch(self, request, uuid):
        rb = services.booking_of(self.reseller, uuid)
        return self.booking_answer(services.update(rb=rb, data=self.body()))


class BookingConfirmView(OctoView):
    def post(self, request, uuid):
        rb = services.booking_of(self.reseller, uuid)
        return self.booking_answer(services.confirm(rb=rb, data=self.body()))


class BookingExtendView(OctoView):
    def post(self, request, uuid):
        rb = services.booking_of(self.reseller, uuid)
        return self.booking_answer(services.extend(rb=rb, data=self.body()))


class BookingCancelView(OctoView):
    def post(self, request, uuid):
        rb = services.booking_of(self.reseller, uuid)
        return self.booking_answer(services.cancel(rb=rb, data=self.body()))


class RootView(OctoView):
    def get(self, request):
        return Response({"name": "OCTO supplier API", "supplier": reverse("octo-supplier")})
