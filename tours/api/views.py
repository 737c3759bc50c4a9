"""/api/v1/ endpoints of the tours app: one view per operation, input checked
by a serializer, the work done by a service or a selector."""

from django.http import Http404
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.models import User
from core.api.own import OwnObjectActionView, OwnObjectsView
from core.api.schema import ERROR_RESPONSES, paginated
from core.api.search import SearchCorrectedHeader
from tours import selectors, services
from tours.models import Booking, Departure, Route, WaitlistEntry

from .filters import DepartureFilter, RouteFilter
from .serializers import (
    BookingCancelInputSerializer,
    BookingInputSerializer,
    BookingSerializer,
    DepartureSerializer,
    RescheduleInputSerializer,
    RouteDetailSerializer,
    RouteSerializer,
    WaitlistEntrySerializer,
    WaitlistJoinInputSerializer,
)


@extend_schema(
    tags=["tours"], responses={200: RouteSerializer(many=True), **ERROR_RESPONSES(400, 429)}
)
class RouteListView(SearchCorrectedHeader, generics.ListAPIView):
    """Published joint routes, the report's two first. Filters: `district`
    (a stop in that district), `duration` (days), `q` (text), `date_from` /
    `date_to` (a scheduled departure in range)."""

    serializer_class = RouteSerializer
    filterset_class = RouteFilter
    queryset = Route.objects.none()  # the filter set asks the selector


@extend_schema(tags=["tours"], responses={200: RouteDetailSerializer, **ERROR_RESPONSES(404, 429)})
class RouteDetailView(generics.RetrieveAPIView):
    """A route with its stops in order (day, time, stay, attraction with
    coordinates and images)."""

    serializer_class = RouteDetailSerializer
    lookup_field = "slug"

    def get_object(self):
        try:
            return selectors.route_detail(slug=self.kwargs["slug"])
        except Route.DoesNotExist:
            raise Http404 from None


@extend_schema(
    tags=["tours"], responses={200: DepartureSerializer(many=True), **ERROR_RESPONSES(400, 429)}
)
class DepartureListView(generics.ListAPIView):
    """Departures from today (or `date_from`) up to `date_to`, optionally of
    one `route` (slug), each with `seats_left`, prices per traveller type and
    whether it can still be booked."""

    serializer_class = DepartureSerializer
    filterset_class = DepartureFilter
    queryset = Departure.objects.none()


class _MyBookings(OwnObjectsView[Booking]):
    output_serializer = BookingSerializer

    def get_own(self, pk: int) -> Booking:
        return selectors.booking_for_customer(user=self.request.user, pk=pk)


class BookingListCreateView(_MyBookings):
    @extend_schema(
        tags=["tours"],
        summary="My bookings, newest first",
        operation_id="bookings_list",
        responses={200: paginated(BookingSerializer), **ERROR_RESPONSES(401, 429)},
    )
    def get(self, request):
        return self.page(selectors.bookings_for_customer(user=request.user))

    @extend_schema(
        tags=["tours"],
        summary="Book seats on a departure",
        description=(
            "Confirmed at once when the seats are free. A full departure answers 409 with code `full`: "
            "join its waitlist with `POST departures/{id}/waitlist/`. Send an `Idempotency-Key` header "
            "to retry safely: the same key and body replay the first answer; another body is a 409."
        ),
        request=BookingInputSerializer,
        responses={201: BookingSerializer, **ERROR_RESPONSES(400, 401, 409, 429)},
    )
    def post(self, request):
        values = self.validated(BookingInputSerializer)

        def book() -> Booking:
            return services.booking_create(
                customer=request.user,
                departure_id=values["departure"],
                seats=values["seats"],
                contact_name=values["contact_name"],
                contact_phone=values["contact_phone"],
                travellers=values.get("travellers") or None,
                language=get_language(),
                produce=values.get("produce") or None,
                pickup_counter=values.get("pickup_counter"),
            )

        # booking_create returns the booking with its departure, route,
        # travellers and produce order.
        return self.create_once(scope="bookings", create=book, read_back=False)


@extend_schema(tags=["tours"], responses={200: BookingSerializer, **ERROR_RESPONSES(401, 404, 429)})
class BookingDetailView(generics.RetrieveAPIView):
    """One of my bookings (another customer's is a 404)."""

    permission_classes = [IsAuthenticated]
    serializer_class = BookingSerializer

    def get_queryset(self):
        return selectors.bookings_for_customer(user=self.request.user)


@extend_schema(
    tags=["tours"],
    summary="Cancel my booking",
    description=(
        "Allowed until the departure starts. The seats are offered to the waitlist in order. "
        "With `cancel_order: true` the booking's produce order is cancelled too (409 when the "
        "counter is already preparing it: then nothing is cancelled); without it the order stays."
    ),
    request=BookingCancelInputSerializer,
    responses={200: BookingSerializer, **ERROR_RESPONSES(400, 401, 404, 409, 429)},
)
class BookingCancelView(OwnObjectActionView[Booking], _MyBookings):
    def act(self, booking: Booking) -> None:
        assert isinstance(self.request.user, User)  # permission_classes: IsAuthenticated
        values = self.validated(BookingCancelInputSerializer)
        services.booking_cancel(
            booking=booking, by=self.request.user, cancel_order=values["cancel_order"]
        )


@extend_schema(
    tags=["tours"],
    summary="Confirm seats offered from the waitlist",
    description="Only for a `held` booking, before its `hold_expires_at`; afterwards a 409 `hold_expired`.",
    request=None,
    responses={200: BookingSerializer, **ERROR_RESPONSES(401, 404, 409, 429)},
)
class BookingConfirmView(OwnObjectActionView[Booking], _MyBookings):
    def act(self, booking: Booking) -> None:
        assert isinstance(self.request.user, User)  # permission_classes: IsAuthenticated
        services.booking_confirm(booking=booking, by=self.request.user)


class BookingRescheduleView(_MyBookings):
    @extend_schema(
        tags=["tours"],
        summary="Move my booking to another departure of the same route",
        operation_id="bookings_reschedule",
        description=(
            "For a `confirmed` or `paid` booking, before its departure starts. The seats move at once: "
            "the new departure's seats are checked under its lock (409 `full` when too few are left), "
            "and the seats freed on the old one are offered to its waitlist. The code and travellers stay; "
            "`total_price` becomes the new departure's fares. Another route's departure is a 400 "
            "`other_route`; the booking's own departure a 409 `invalid_transition`."
        ),
        request=RescheduleInputSerializer,
        responses={200: BookingSerializer, **ERROR_RESPONSES(400, 401, 404, 409, 429)},
    )
    def post(self, request, pk: int):
        values = self.validated(RescheduleInputSerializer)
        booking = self.get_own_or_404(pk)
        assert isinstance(request.user, User)  # permission_classes: IsAuthenticated
        services.booking_reschedule(
            booking=booking, departure_id=values["departure"], by=request.user
        )
        return Response(self.output(self.get_own(pk)))


class _MyWaitlist(OwnObjectsView[WaitlistEntry]):
    output_serializer = WaitlistEntrySerializer

    def get_own(self, pk: int) -> WaitlistEntry:
        return selectors.waitlist_for_customer(user=self.request.user).get(pk=pk)


class WaitlistJoinView(_MyWaitlist):
    @extend_schema(
        tags=["tours"],
        summary="Join a full departure's waitlist",
        description=(
            "When seats become free they are offered in the order people joined: the first entry that fits "
            "gets a `held` booking (see `bookings/`) with a deadline to confirm, and an e-mail. A departure "
            "that still has the seats answers 409 `seats_available` (book instead); a second entry 409 "
            "`already_waiting`."
        ),
        request=WaitlistJoinInputSerializer,
        responses={201: WaitlistEntrySerializer, **ERROR_RESPONSES(400, 401, 404, 409, 429)},
    )
    def post(self, request, pk: int):
        values = self.validated(WaitlistJoinInputSerializer)
        if not selectors.is_published_departure(pk):
            raise Http404
        entry = services.waitlist_join(
            customer=request.user,
            departure_id=pk,
            seats=values["seats"],
            contact_name=values["contact_name"],
            contact_phone=values["contact_phone"],
            travellers=values.get("travellers") or None,
            language=get_language(),
        )
        return Response(self.output(self.get_own(entry.pk)), status=status.HTTP_201_CREATED)


@extend_schema(
    tags=["tours"], responses={200: WaitlistEntrySerializer(many=True), **ERROR_RESPONSES(401, 429)}
)
class WaitlistListView(generics.ListAPIView):
    """My waitlist entries, newest first."""

    permission_classes = [IsAuthenticated]
    serializer_class = WaitlistEntrySerializer

    def get_queryset(self):
        return selectors.waitlist_for_customer(user=self.request.user)


@extend_schema(
    tags=["tours"],
    summary="Leave a waitlist",
    request=None,
    responses={200: WaitlistEntrySerializer, **ERROR_RESPONSES(401, 404, 409, 429)},
)
class WaitlistLeaveView(OwnObjectActionView[WaitlistEntry], _MyWaitlist):
    def act(self, entry: WaitlistEntry) -> None:
        assert isinstance(self.request.user, User)  # permission_classes: IsAuthenticated
        services.waitlist_leave(entry=entry, by=self.request.user)
