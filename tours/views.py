"""Public tour pages: the list, a route with its departures, booking (works
without JavaScript), the customer's booking page and its calendar file."""

import json
from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from rest_framework.authentication import get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from accounts.api.authentication import ApiTokenAuthentication, BearerTokenAuthentication
from core import sms
from core.errors import DomainError
from core.paging import paginate
from core.redirects import safe_next

from . import diagram, errors, ics, links, selectors, services
from .forms import ContactForm, RouteFilterForm, SeatsForm, TravellerFormSet
from .models import MAX_SEATS_PER_BOOKING, Attraction, Booking, Departure, Route, TravellerType

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
            "calendar": selectors.departure_calendar(route=route),
            "products": selectors.route_bring_home(route),
            "bring_home_km": int(selectors.BRING_HOME_KM),
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


def _seats_from(value, route: Route) -> int | None:
    """The number of travellers asked for, None if it is not one the route offers."""
    form = SeatsForm({"seats": value}, low=route.min_travellers, high=route.max_travellers)
    return form.cleaned_data["seats"] if form.is_valid() else None


def _typed_travellers(data, types) -> list[dict]:
    """The travellers as typed in a posted form, read leniently (nothing is
    refused here: this is what "Recalculate" shows again)."""
    offered = {value for value, _label, _price in types}
    try:
        count = int(data.get("t-TOTAL_FORMS", 0))
    except (TypeError, ValueError):
        count = 0
    people = []
    for i in range(max(0, min(count, MAX_SEATS_PER_BOOKING))):
        kind = data.get(f"t-{i}-type", "")
        people.append(
            {
                "name": str(data.get(f"t-{i}-name", ""))[:100],
                "type": kind if kind in offered else TravellerType.ADULT,
            }
        )
    return people


def _resized(people: list[dict], seats: int) -> list[dict]:
    """``people`` cut or grown to ``seats``; everyone kept keeps name and type."""
    people = people[:seats]
    return people + [{"name": "", "type": TravellerType.ADULT} for _i in range(seats - len(people))]


# The booking form's produce: ``produce-<variant id>`` quantities (empty or 0
# = none) and ``pickup_counter``; at most this many different products.
PRODUCE_PREFIX = "produce-"
MAX_PRODUCE_FIELDS = 50


def _typed_produce(data) -> tuple[list[dict], str | None]:
    """The produce lines of a posted booking form, and an error for a
    quantity that is not a whole number (the form shows it again)."""
    lines, error = [], None
    for key in list(data.keys())[: MAX_PRODUCE_FIELDS * 4]:
        if not key.startswith(PRODUCE_PREFIX):
            continue
        raw = str(data.get(key, "")).strip()
        if raw in ("", "0"):
            continue
        try:
            variant_id, quantity = int(key[len(PRODUCE_PREFIX) :]), int(raw)
        except ValueError:
            error = _("Quantities of produce must be whole numbers.")
            continue
        if quantity < 0:
            error = _("Quantities of produce must be whole numbers.")
            continue
        lines.append({"variant": variant_id, "quantity": quantity})
    return lines[:MAX_PRODUCE_FIELDS], error


def _produce_context(request, departure) -> dict:
    """The bring-home products with their variants and the pickup counters,
    with what was typed (a POST shown again)."""
    route = departure.route
    typed = {}
    if request.method == "POST":
        typed = {line["variant"]: line["quantity"] for line in _typed_produce(request.POST)[0]}
    products = selectors.route_bring_home(route, limit=None, with_variants=True)
    for product in products:
        for variant in product.variants_on_sale:
            variant.typed = typed.get(variant.pk, "")
    counters = selectors.trip_counters(route) if products else []
    chosen = request.POST.get("pickup_counter", "") if request.method == "POST" else ""
    if not chosen and counters:
        chosen = str(counters[0].pk)
    return {"bring_home": products, "pickup_counters": counters, "chosen_counter": chosen}


def _booking_page(request, departure, *, travellers, contact, people, status=200, **extra):
    route = departure.route
    types = departure.price_table()
    quote = selectors.booking_quote(departure, [p["type"] for p in people])
    counts = {line.type: {"count": line.count, "subtotal": line.subtotal} for line in quote.lines}
    context = {
        "route": route,
        "departure": departure,
        "bookable": departure.is_bookable(),
        "full": departure.seats_left <= 0,
        "seats_form": SeatsForm(
            initial={"seats": len(people)}, low=route.min_travellers, high=route.max_travellers
        ),
        "travellers": travellers,
        "contact": contact,
        "quote": quote,
        "price_rows": [
            {
                "type": value,
                "label": label,
                "price": price,
                **counts.get(value, {"count": 0, "subtotal": Decimal("0.00")}),
            }
            for value, label, price in types
        ],
        "types": types,
        "prices_json": json.dumps({value: f"{price:.2f}" for value, _label, price in types}),
        "error": None,
        "notice": None,
        **_produce_context(request, departure),
        **extra,
    }
    return render(request, "tours/book.html", context, status=status)


def _recalculated(request, departure, people: list[dict], seats: int, *, notice=None):
    """The form again for ``seats`` travellers with what was typed, and its
    total: nothing is booked (the no-JavaScript "Recalculate" step)."""
    people = _resized(people, seats)
    types = departure.price_table()
    travellers = TravellerFormSet(prefix="t", initial=people, form_kwargs={"types": types})
    contact = ContactForm(
        initial={k: request.POST.get(k, "") for k in ("contact_name", "contact_phone")}
    )
    return _booking_page(
        request, departure, travellers=travellers, contact=contact, people=people, notice=notice
    )


def _changed_count(request, route: Route, people: list[dict]) -> int | None:
    """The new number of travellers when the form's number was changed but the
    travellers were not (no JavaScript, no "Recalculate"), else None."""
    if "seats" not in request.POST:  # a client that posts the travellers only
        return None
    seats = _seats_from(request.POST.get("seats"), route)
    return seats if seats is not None and seats != len(people) else None


CHECK_AND_BOOK = gettext_noop(
    "The number of travellers changed: check the travellers and the total, then book."
)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def book(request, slug: str, departure_id: int):
    """GET: the form for N travellers (N from ?seats=). POST with
    ``recalculate``: the same form resized, with what was typed and the new
    total. POST: book, or say why not."""
    departure = _departure_or_404(slug, departure_id)
    route = departure.route
    types = departure.price_table()
    if request.method != "POST":
        seats = _seats_from(request.GET.get("seats"), route) or route.min_travellers
        name = request.user.get_full_name() or ""
        people = [{"name": name if i == 0 else "", "type": "adult"} for i in range(seats)]
        travellers = TravellerFormSet(prefix="t", initial=people, form_kwargs={"types": types})
        contact = ContactForm(
            initial={"contact_name": name, "contact_phone": request.user.phone or ""}
        )
        return _booking_page(
            request, departure, travellers=travellers, contact=contact, people=people
        )
    people = _typed_travellers(request.POST, types)
    if "recalculate" in request.POST:
        seats = _seats_from(request.POST.get("seats"), route) or len(people) or 1
        return _recalculated(request, departure, people, seats)
    if (changed := _changed_count(request, route, people)) is not None:
        return _recalculated(request, departure, people, changed, notice=_(CHECK_AND_BOOK))
    travellers = TravellerFormSet(request.POST, prefix="t", form_kwargs={"types": types})
    contact = ContactForm(request.POST)
    produce, produce_error = _typed_produce(request.POST)
    if not (travellers.is_valid() and contact.is_valid()) or produce_error:
        return _booking_page(
            request,
            departure,
            travellers=travellers,
            contact=contact,
            people=people,
            status=400,
            error=produce_error,
        )
    try:
        booking = services.booking_create(
            customer=request.user,
            departure_id=departure.pk,
            seats=len(travellers.forms),
            travellers=[
                {"name": f.cleaned_data["name"], "type": f.cleaned_data["type"]} for f in travellers
            ],
            language=request.LANGUAGE_CODE,
            produce=produce,
            pickup_counter=request.POST.get("pickup_counter") if produce else None,
            **contact.cleaned_data,
        )
    except DomainError as exc:
        return _booking_page(
            request,
            departure,
            travellers=travellers,
            contact=contact,
            people=people,
            status=exc.status_code,
            error=exc.message,
            full=departure.seats_left <= 0 or isinstance(exc, errors.DepartureFull),
        )
    if produce:
        messages.success(
            request,
            _(
                "Booked. Your booking code is %(code)s; your produce is reserved, see its pickup code below."
            )
            % {"code": booking.code},
        )
    else:
        messages.success(
            request, _("Booked. Your booking code is %(code)s.") % {"code": booking.code}
        )
    return redirect("tours:booking", code=booking.code)


@login_required
@require_POST
def waitlist_join(request, slug: str, departure_id: int):
    departure = _departure_or_404(slug, departure_id)
    types = departure.price_table()
    people = _typed_travellers(request.POST, types)
    if (changed := _changed_count(request, departure.route, people)) is not None:
        return _recalculated(request, departure, people, changed, notice=_(CHECK_AND_BOOK))
    travellers = TravellerFormSet(request.POST, prefix="t", form_kwargs={"types": types})
    contact = ContactForm(request.POST)
    if not (travellers.is_valid() and contact.is_valid()):
        return _booking_page(
            request,
            departure,
            travellers=travellers,
            contact=contact,
            people=people,
            status=400,
            full=True,
        )
    try:
        services.waitlist_join(
            customer=request.user,
            departure_id=departure.pk,
            seats=len(travellers.forms),
            travellers=[
                {"name": f.cleaned_data["name"], "type": f.cleaned_data["type"]} for f in travellers
            ],
            language=request.LANGUAGE_CODE,
            **contact.cleaned_data,
        )
    except DomainError as exc:
        return _booking_page(
            request,
            departure,
            travellers=travellers,
            contact=contact,
            people=people,
            status=exc.status_code,
            error=exc.message,
            full=not isinstance(exc, errors.SeatsAvailable),
        )
    how = sms.how_we_tell(
        email=request.user.email, phone=contact.cleaned_data.get("contact_phone"), urgent=True
    )
    messages.success(
        request,
        _(
            "You are on the waitlist. If seats become free we hold them for you and "
            "tell you %(how)s."
        )
        % {"how": how}
        if how
        else _(
            "You are on the waitlist. If seats become free we hold them for you: "
            "check your account, as we have no e-mail address or mobile number to tell you."
        ),
    )
    return redirect("account")


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
    cancel_order = request.POST.get("cancel_order") == "yes"
    return _booking_action(
        request,
        code,
        lambda booking: services.booking_cancel(
            booking=booking, by=request.user, cancel_order=cancel_order
        ),
        _("Your booking and its produce order are cancelled.")
        if cancel_order
        else _("Your booking is cancelled."),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def booking_reschedule(request, code: str):
    """GET: the other dates of the route, with seats left and the new total.
    POST ``departure``: move the booking there (works without JavaScript)."""
    booking = _own_booking(request, code)
    status, error = 200, None
    if request.method == "POST":
        try:
            services.booking_reschedule(
                booking=booking, departure_id=request.POST.get("departure"), by=request.user
            )
        except DomainError as exc:
            status, error = exc.status_code, exc.message
            booking = _own_booking(request, code)
        else:
            messages.success(
                request, _("Your booking now departs on the date you chose; the code is the same.")
            )
            return redirect("tours:booking", code=booking.code)
    return render(
        request,
        "tours/booking_reschedule.html",
        {
            "booking": booking,
            "options": selectors.reschedule_options(booking=booking)
            if booking.can_reschedule()
            else [],
            "error": error,
        },
        status=status,
    )


def _calendar_booking(request, code: str) -> Booking | HttpResponse:
    """The booking whose calendar file is asked for, by one of three proofs:
    a signature for this booking (``?sig=``, tours.links.calendar_url: a
    phone's calendar app), an API token in the ``Authorization`` header
    (``Token``/``Bearer``: the mobile app; never a token in the query string),
    or the web session. Anything else: 401 for a bad token, the sign-in page
    for a browser, 404 for a bad signature or someone else's booking."""
    signature = request.GET.get("sig")
    if signature is not None:
        if not links.calendar_signature_ok(code, signature):
            raise Http404
        try:
            return selectors.booking_by_code(code=code)
        except Booking.DoesNotExist:
            raise Http404 from None
    user = request.user
    if get_authorization_header(request):
        try:
            found = next(
                (
                    result
                    for auth in (ApiTokenAuthentication(), BearerTokenAuthentication())
                    if (result := auth.authenticate(request)) is not None
                ),
                None,
            )
        except AuthenticationFailed as exc:
            return _unauthorized(str(exc.detail), exc.get_codes())
        if found is None:
            return _unauthorized(_("Send the API token as Authorization: Token <key>."), "token")
        user = found[0]
    elif not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        return selectors.booking_for_customer(user=user, code=code)
    except Booking.DoesNotExist:
        raise Http404 from None


def _unauthorized(message: str, code) -> HttpResponse:
    response = JsonResponse({"detail": message, "code": code}, status=401)
    response["WWW-Authenticate"] = 'Token realm="api"'
    return response


@require_safe
def booking_ics(request, code: str):
    booking = _calendar_booking(request, code)
    if isinstance(booking, HttpResponse):
        return booking
    stops = selectors.route_stops(booking.departure.route)
    response = HttpResponse(
        ics.booking_calendar(booking, stops=stops, request=request),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="tour-{booking.code}.ics"'
    # Someone's own booking: never kept by a shared cache, whichever proof came.
    patch_cache_control(response, private=True, no_cache=True)
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
