"""Public tour pages: the list, a route with its departures, booking (works
without JavaScript), the customer's booking page and its calendar file."""

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.errors import DomainError
from core.paging import paginate
from core.redirects import safe_next

from . import diagram, errors, ics, selectors, services
from .forms import ContactForm, RouteFilterForm, SeatsForm, TravellerFormSet
from .models import Attraction, Booking, Departure, Route

if TYPE_CHECKING:
    from .selectors import DepartureWithSeats

ROUTES_PER_PAGE = 12


@require_safe
def route_list(request):
    form = RouteFilterForm(
        request.GET or None,
        districts=selectors.district_choices(),
        durations=selectors.duration_choices(),
    )
    filters = {}
    status = 200
    if form.is_bound:
        if form.is_valid():
            filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        else:
            status = 400
    page, query = paginate(
        request, selectors.route_list(**filters, with_images=True), ROUTES_PER_PAGE
    )
    return render(
        request,
        "tours/route_list.html",
        {"form": form, "page": page, "routes": page.object_list, "query": query},
        status=status,
    )


@require_safe
def route_detail(request, slug: str):
    try:
        route = selectors.route_detail(slug=slug)
    except Route.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "tours/route_detail.html",
        {
            "route": route,
            "days": selectors.route_stops_by_day(route),
            "diagram": diagram.build(route.stops.all()),
            "departures": route.upcoming,
            "products": selectors.route_nearby_products(route),
        },
    )


@require_safe
def attraction_detail(request, slug: str):
    try:
        attraction = selectors.attraction_detail(slug=slug)
    except Attraction.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "tours/attraction_detail.html",
        {"attraction": attraction, "routes": selectors.attraction_routes(attraction)},
    )


def _departure_or_404(slug: str, departure_id: int) -> "DepartureWithSeats":
    try:
        return selectors.bookable_departure(route_slug=slug, departure_id=departure_id)
    except Departure.DoesNotExist:
        raise Http404 from None


def _seats_from(value, default: int = 1) -> int:
    form = SeatsForm({"seats": value})
    return form.cleaned_data["seats"] if form.is_valid() else default


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def book(request, slug: str, departure_id: int):
    """GET: the form for N travellers (N from ?seats=). POST: book, or say why not."""
    departure = _departure_or_404(slug, departure_id)
    types = departure.price_table()
    initial_name = request.user.get_full_name() or ""
    contact_initial = {"contact_name": initial_name, "contact_phone": request.user.phone or ""}
    status, error = 200, None
    full = departure.seats_left <= 0
    if request.method == "POST":
        travellers = TravellerFormSet(request.POST, prefix="t", form_kwargs={"types": types})
        contact = ContactForm(request.POST)
        seats = travellers.total_form_count() if travellers.management_form.is_valid() else 1
        if travellers.is_valid() and contact.is_valid():
            try:
                booking = services.booking_create(
                    customer=request.user,
                    departure_id=departure.pk,
                    seats=len(travellers.forms),
                    travellers=[
                        {"name": f.cleaned_data["name"], "type": f.cleaned_data["type"]}
                        for f in travellers
                    ],
                    language=request.LANGUAGE_CODE,
                    **contact.cleaned_data,
                )
            except DomainError as exc:
                error, status = exc.message, exc.status_code
                full = full or isinstance(exc, errors.DepartureFull)
            else:
                messages.success(
                    request, _("Booked. Your booking code is %(code)s.") % {"code": booking.code}
                )
                return redirect("tours:booking", code=booking.code)
        else:
            status = 400
    else:
        seats = _seats_from(request.GET.get("seats"))
        travellers = TravellerFormSet(
            prefix="t",
            initial=[
                {"name": initial_name if i == 0 else "", "type": "adult"} for i in range(seats)
            ],
            form_kwargs={"types": types},
        )
        contact = ContactForm(initial=contact_initial)
    return render(
        request,
        "tours/book.html",
        {
            "route": departure.route,
            "departure": departure,
            "bookable": departure.is_bookable(),
            "full": full,
            "seats_form": SeatsForm(initial={"seats": seats}),
            "travellers": travellers,
            "contact": contact,
            "error": error,
        },
        status=status,
    )


@login_required
@require_POST
def waitlist_join(request, slug: str, departure_id: int):
    departure = _departure_or_404(slug, departure_id)
    travellers = TravellerFormSet(
        request.POST, prefix="t", form_kwargs={"types": departure.price_table()}
    )
    contact = ContactForm(request.POST)
    error, full = None, True
    if travellers.is_valid() and contact.is_valid():
        try:
            services.waitlist_join(
                customer=request.user,
                departure_id=departure.pk,
                seats=len(travellers.forms),
                travellers=[
                    {"name": f.cleaned_data["name"], "type": f.cleaned_data["type"]}
                    for f in travellers
                ],
                language=request.LANGUAGE_CODE,
                **contact.cleaned_data,
            )
        except DomainError as exc:
            error, status = exc.message, exc.status_code
            full = not isinstance(exc, errors.SeatsAvailable)
        else:
            messages.success(
                request,
                _(
                    "You are on the waitlist. If seats become free we hold them for you and send you an e-mail."
                ),
            )
            return redirect("account")
    else:
        status = 400
    return render(
        request,
        "tours/book.html",
        {
            "route": departure.route,
            "departure": departure,
            "bookable": departure.is_bookable(),
            "full": full,
            "seats_form": SeatsForm(initial={"seats": travellers.total_form_count()}),
            "travellers": travellers,
            "contact": contact,
            "error": error,
        },
        status=status,
    )


def _own_booking(request, code: str) -> Booking:
    try:
        return selectors.booking_for_customer(user=request.user, code=code)
    except Booking.DoesNotExist:
        raise Http404 from None


@login_required
@require_safe
def booking_detail(request, code: str):
    booking = _own_booking(request, code)
    return render(request, "tours/booking_detail.html", {"booking": booking})


def _booking_action(request, code: str, action, done_message: str):
    booking = _own_booking(request, code)
    try:
        action(booking)
    except DomainError as exc:
        messages.error(request, exc.message)
        return render(
            request, "tours/booking_detail.html", {"booking": booking}, status=exc.status_code
        )
    messages.success(request, done_message)
    return redirect(safe_next(request, reverse("tours:booking", kwargs={"code": booking.code})))


@login_required
@require_POST
def booking_confirm(request, code: str):
    return _booking_action(
        request,
        code,
        lambda booking: services.booking_confirm(booking=booking, by=request.user),
        _("Confirmed: the seats are yours."),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def booking_cancel(request, code: str):
    """GET, or a POST without ``confirm`` (the booking card's button): the
    question, a page that works without JavaScript. A POST with ``confirm``
    cancels."""
    if request.method != "POST" or request.POST.get("confirm") != "yes":
        booking = _own_booking(request, code)
        return render(
            request,
            "tours/booking_cancel.html",
            {
                "booking": booking,
                "next": safe_next(request, ""),
                "keep_url": safe_next(
                    request, reverse("tours:booking", kwargs={"code": booking.code})
                ),
            },
        )
    return _booking_action(
        request,
        code,
        lambda booking: services.booking_cancel(booking=booking, by=request.user),
        _("Your booking is cancelled."),
    )


@login_required
@require_safe
def booking_ics(request, code: str):
    booking = _own_booking(request, code)
    stops = selectors.route_stops(booking.departure.route)
    response = HttpResponse(
        ics.booking_calendar(booking, stops=stops, request=request),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="tour-{booking.code}.ics"'
    return response


@login_required
@require_POST
def waitlist_leave(request, pk: int):
    entry = selectors.waitlist_for_customer(user=request.user).filter(pk=pk).first()
    if entry is None:
        raise Http404
    try:
        services.waitlist_leave(entry=entry, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("You have left the waitlist."))
    return redirect("account")
