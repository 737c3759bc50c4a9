"""Tours in the two staff sites.

``/admin/`` (district staff) sees and edits everything. ``/vendor/`` (tour
operators) sees only the routes of its own organizations, their departures,
bookings and waitlist: every queryset, foreign-key choice, custom page and
CSV goes through the operator's scope (``OrgScopedAdmin``), and an object of
another operator is a 404 there. Status changes never happen by editing a
field: actions and the pages below call the services, which lock, check and
audit.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
)

from core import cache as cache_lib
from core import personal
from core.admin_tools import ContentChangedMixin as BaseContentChangedMixin
from core.admin_tools import (
    DomainErrorsAsMessagesMixin,
    ImageInline,
    ProvenanceLastMixin,
    ReadOnlyInline,
    ReadOnlyMixin,
    StatusEventColumns,
    act_on_each,
    csv_response,
    status_filter,
)
from core.errors import DomainError
from organizations.models import Organization
from organizations.vendor import (
    OrgScopedAdmin,
    ReadOnlyOrgScopedAdmin,
    VendorInlineMixin,
    vendor_site,
)

from . import selectors, services
from .forms import CancelDepartureForm, CheckInForm, PaymentForm
from .models import (
    Attraction,
    AttractionImage,
    Booking,
    BookingEvent,
    BookingTraveller,
    Departure,
    DeparturePrice,
    Route,
    RouteImage,
    RouteStop,
    WaitlistEntry,
)

TOUR_OPERATOR = (Organization.Kind.TOUR_OPERATOR,)


class ContentChangedMixin(BaseContentChangedMixin):
    """Routes, stops, prices and places are public: edits invalidate the cache."""

    content_changed = staticmethod(services.content_changed)


def vendor_inline(inline: type, *, editable: bool) -> type:
    """``inline`` on /vendor/ for tour operators' members: ``editable`` ones
    (stops, prices) may be changed and deleted; the others are read-only."""
    return type(
        f"Vendor{inline.__name__}",
        (VendorInlineMixin, inline),
        {"editable": editable, "deletable": editable, "member_kinds": TOUR_OPERATOR},
    )


# --- Attractions (district staff) ----------------------------------------------------------


class AttractionImageInline(ImageInline):
    model = AttractionImage


class RouteImageInline(ImageInline):
    model = RouteImage


@admin.register(Attraction)
class AttractionAdmin(ProvenanceLastMixin, ContentChangedMixin, TranslationAdmin):
    list_display = ["name", "district", "area", "latitude", "longitude", "is_demo"]
    list_filter = ["district", "is_demo"]
    search_fields = ["name_zh_hans", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [AttractionImageInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("district", "area")


# --- Routes ------------------------------------------------------------------------------


class RouteStopInline(TranslationStackedInline):
    model = RouteStop
    extra = 0
    fields = [("order", "day", "time", "stay_minutes"), "attraction", "note"]
    ordering = ["order"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "attraction":
            kwargs["queryset"] = Attraction.objects.select_related("district").order_by(
                "district", "name"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RouteAdminBase(ProvenanceLastMixin, ContentChangedMixin, TranslationAdmin):
    list_display = [
        "title",
        "operator",
        "duration_days",
        "base_price",
        "is_published",
        "in_report",
        "is_demo",
    ]
    list_filter = ["is_published", "in_report", "is_demo", "duration_days"]
    search_fields = ["title_zh_hans", "title_en", "slug"]
    prepopulated_fields = {"slug": ["title_en"]}
    inlines = [RouteStopInline, RouteImageInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("operator")


@admin.register(Route)
class RouteAdmin(RouteAdminBase):
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "operator":
            kwargs["queryset"] = Organization.objects.filter(kind=Organization.Kind.TOUR_OPERATOR)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RouteVendorAdmin(OrgScopedAdmin, RouteAdminBase):
    org_path = "operator"
    org_kinds = TOUR_OPERATOR
    scoped_fk = {"operator": ""}
    list_filter = ["is_published", "duration_days"]
    # Whether a route is in the report, featured or demo data is the district's call.
    exclude = ["in_report", "featured_rank", "is_demo", "price_is_demo"]
    inlines = [vendor_inline(RouteStopInline, editable=True)]


# --- Departures ------------------------------------------------------------------------------


class DeparturePriceInline(admin.TabularInline):
    model = DeparturePrice
    extra = 0
    fields = ["traveller_type", "amount"]


class BookingInline(ReadOnlyInline):
    model = Booking
    show_change_link = True
    fields = (
        "code",
        "status",
        "seats",
        "contact_name",
        "contact_phone",
        "total_price",
        "payment_timing",
    )
    readonly_fields = fields
    ordering = ["created_at"]
    verbose_name_plural = gettext_lazy("bookings")


class WaitlistInline(ReadOnlyInline):
    model = WaitlistEntry
    fields = ("created_at", "status", "seats", "contact_name", "contact_phone", "booking")
    readonly_fields = fields
    ordering = ["created_at", "pk"]


class DepartureForm(forms.ModelForm):
    class Meta:
        model = Departure
        fields = ["route", "date", "start_time", "capacity", "cutoff_hours", "is_demo"]

    def clean(self):
        data = super().clean()
        if self.instance.pk and data.get("capacity") is not None:
            taken = selectors.seats_taken(departure=self.instance)
            if data["capacity"] < taken:
                self.add_error(
                    "capacity",
                    _("The capacity cannot be lower than the %(taken)s seats already booked.")
                    % {"taken": taken},
                )
        return data


class DepartureAdminBase(DomainErrorsAsMessagesMixin, admin.ModelAdmin):
    form = DepartureForm
    list_display = [
        "__str__",
        "date",
        "start_time",
        "capacity",
        "seats_taken_display",
        "seats_left_display",
        "waitlist_display",
        "status",
        "links",
    ]
    list_filter = ["status", ("route", admin.RelatedOnlyFieldListFilter), "date"]
    date_hierarchy = "date"
    readonly_fields = ["status", "cancel_reason", "cancelled_at"]
    inlines = [DeparturePriceInline, BookingInline, WaitlistInline]

    def get_readonly_fields(self, request, obj=None):
        # A departure stays on its route: its bookings were made for that route.
        return [*super().get_readonly_fields(request, obj), *(["route"] if obj else [])]

    actions = ["close_booking", "reopen_booking"]
    ordering = ["date", "start_time"]

    def get_queryset(self, request):
        return selectors.with_waitlist_count(
            selectors.with_seats(super().get_queryset(request))
        ).select_related("route")

    def scoped(self, request, queryset):
        """``queryset`` cut to what this admin shows: all of it here, the
        member's organizations' in the partner panel (OrgScopedAdmin)."""
        return queryset

    @admin.display(description=gettext_lazy("seats taken"), ordering="seats_taken")
    def seats_taken_display(self, obj):
        return obj.seats_taken

    @admin.display(description=gettext_lazy("seats left"), ordering="seats_left")
    def seats_left_display(self, obj):
        return obj.seats_left

    @admin.display(description=gettext_lazy("waiting"), ordering="waitlist_count")
    def waitlist_display(self, obj):
        return obj.waitlist_count

    @admin.display(description=gettext_lazy("operations"))
    def links(self, obj):
        site = self.admin_site.name
        manifest = reverse(f"{site}:tours_departure_manifest", args=[obj.pk])
        if obj.status == Departure.Status.CANCELLED:
            return format_html('<a href="{}">{}</a>', manifest, _("Manifest CSV"))
        cancel = reverse(f"{site}:tours_departure_cancel", args=[obj.pk])
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            manifest,
            _("Manifest CSV"),
            cancel,
            _("Cancel…"),
        )

    def save_model(self, request, obj, form, change):
        services.departure_save(departure=obj, by=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.content_changed()

    def _set_status(self, request, queryset, status):
        act_on_each(
            self,
            request,
            queryset.order_by("pk"),
            lambda departure: services.departure_set_status(
                departure=departure, status=status, by=request.user
            ),
            done_message=lambda done: (
                ngettext("%(count)s departure changed.", "%(count)s departures changed.", done)
                % {"count": done}
            ),
        )

    @admin.action(
        description=gettext_lazy("Close booking for the selected departures"),
        permissions=["change"],
    )
    def close_booking(self, request, queryset):
        self._set_status(request, queryset, Departure.Status.CLOSED)

    @admin.action(
        description=gettext_lazy("Open booking again for the selected departures"),
        permissions=["change"],
    )
    def reopen_booking(self, request, queryset):
        self._set_status(request, queryset, Departure.Status.SCHEDULED)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/manifest.csv", view(self.manifest_view), name="tours_departure_manifest"
            ),
            path("<int:pk>/cancel/", view(self.cancel_view), name="tours_departure_cancel"),
            *super().get_urls(),
        ]

    def _departure(self, request, pk: int, *, figures: bool = True) -> Departure:
        if not self.has_view_permission(request):
            raise PermissionDenied
        if figures:
            departure = self.get_queryset(request).filter(pk=pk).first()
        else:
            # Without the list's seat counts, and kept in the shared cache
            # while nothing it depends on changes: the member's memberships
            # (their person version), the departure, a route's operator (the
            # editorial scope).
            user = request.user
            departure = cache_lib.remembered(
                f"panel-departure:{self.admin_site.name}:{user.pk}:{pk}",
                version_keys=[
                    *cache_lib.scope_keys(("editorial", "organizations")),
                    cache_lib.item_key("person", user.pk),
                    cache_lib.item_key("departure", pk),
                ],
                compute=lambda: (
                    self.scoped(request, Departure.objects.select_related("route"))
                    .filter(pk=pk)
                    .first()
                ),
                seconds=settings.PERSONAL_CACHE_SECONDS,
            )
        if departure is None:  # not there, or another operator's
            raise Http404
        return departure

    def manifest_view(self, request, pk: int):
        departure = self._departure(request, pk, figures=False)
        # Stored per operator and language until a booking, traveller or the
        # departure changes (tours.signals), an order at a counter its
        # produce is collected from changes (marketplace.signals), or what it
        # shows changes with the clock (a hold expiring, a pickup deadline).
        return personal.cached_page(
            request,
            render=lambda: self._manifest_csv(request, departure),
            items=lambda: [
                ("departure", departure.pk),
                *(("counter", c) for c in selectors.manifest_counters(departure=departure)),
            ],
        )

    def _manifest_csv(self, request, departure: Departure):
        filename = f"manifest-{departure.route.slug}-{departure.date:%Y%m%d}-{departure.start_time:%H%M}.csv"
        header = [
            _("Booking code"),
            _("Status"),
            _("Traveller"),
            _("Traveller type"),
            _("Price"),
            _("Contact name"),
            _("Contact phone"),
            _("Paid"),
            _("Payment method"),
            _("Produce"),
            _("Collected at"),
            _("Pickup code"),
            _("Produce status"),
        ]
        bookings = list(selectors.manifest(departure=departure))
        now = timezone.now()
        personal.valid_until(request, selectors.manifest_next_change(bookings, now=now))
        rows = (
            [
                booking.code,
                booking.get_status_display(),
                traveller.name,
                traveller.get_traveller_type_display(),
                traveller.price,
                booking.contact_name,
                booking.contact_phone,
                booking.get_payment_timing_display() if booking.paid_at else "",
                booking.get_payment_method_display() if booking.paid_at else "",
                # who collects what: on the booking's first row only, once
                *(selectors.produce_columns(booking) if first else ["", "", "", ""]),
            ]
            for booking in bookings
            for first, traveller in ((i == 0, t) for i, t in enumerate(booking.travellers.all()))
        )
        return csv_response(filename, header, rows)

    def cancel_view(self, request, pk: int):
        departure = self._departure(request, pk)
        if not self.has_change_permission(request, departure):
            raise PermissionDenied
        form = CancelDepartureForm(request.POST or None)
        changelist = reverse(f"{self.admin_site.name}:tours_departure_changelist")
        if request.method == "POST" and form.is_valid():
            try:
                count = services.departure_cancel(
                    departure=departure, by=request.user, reason=form.cleaned_data["reason"]
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "Departure cancelled; %(count)s booking cancelled and its customer told "
                        "by e-mail or text message.",
                        "Departure cancelled; %(count)s bookings cancelled and their customers "
                        "told by e-mail or text message.",
                        count,
                    )
                    % {"count": count},
                    messages.SUCCESS,
                )
                return redirect(changelist)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Cancel departure %(departure)s") % {"departure": departure},
            "departure": departure,
            "form": form,
            "opts": self.model._meta,
            "changelist_url": changelist,
        }
        return TemplateResponse(
            request,
            "tours/admin/cancel_departure.html",
            context,
            status=400 if form.errors else 200,
        )


@admin.register(Departure)
class DepartureAdmin(DepartureAdminBase):
    pass


class DepartureVendorAdmin(OrgScopedAdmin, DepartureAdminBase):
    org_path = "route__operator"
    org_kinds = TOUR_OPERATOR
    scoped_fk = {"route": "operator"}
    inlines = [
        vendor_inline(DeparturePriceInline, editable=True),
        vendor_inline(BookingInline, editable=False),
        vendor_inline(WaitlistInline, editable=False),
    ]
    exclude = ["is_demo"]  # the district's call (see RouteVendorAdmin)


# --- Bookings ------------------------------------------------------------------------------


class TravellerInline(ReadOnlyInline):
    model = BookingTraveller
    fields = ("name", "traveller_type", "price")
    readonly_fields = fields


class EventInline(StatusEventColumns, ReadOnlyInline):
    model = BookingEvent
    fk_name = "booking"
    fields = ("at", "actor", "from_display", "to_display", "reason_display")
    readonly_fields = fields
    ordering = ["at", "pk"]


class BookingAdminBase(ReadOnlyMixin, admin.ModelAdmin):
    # Read-only: customers book, operators never invent or edit bookings;
    # changes go through the check-in page and the actions (services).

    list_display = [
        "code",
        "departure",
        "contact_name",
        "contact_phone",
        "seats",
        "status",
        "paid_display",
        "created_at",
    ]
    list_filter = [
        "status",
        "payment_timing",
        ("departure__route", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["code", "contact_name", "contact_phone"]
    date_hierarchy = "created_at"
    change_list_template = "tours/admin/booking_change_list.html"
    inlines = [TravellerInline, EventInline]
    actions = ["mark_no_show"]
    readonly_fields = (
        "code",
        "customer",
        "departure",
        "seats",
        "contact_name",
        "contact_phone",
        "status",
        "total_price",
        "hold_expires_at",
        "payment_timing",
        "payment_method",
        "paid_at",
        "cancel_reason",
        "created_at",
        "check_in_link",
    )
    fields = readonly_fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("departure__route", "customer")

    @admin.display(description=gettext_lazy("paid"), boolean=True)
    def paid_display(self, obj):
        return obj.paid_at is not None

    @admin.display(description=gettext_lazy("check in and payment"))
    def check_in_link(self, obj):
        url = reverse(f"{self.admin_site.name}:tours_booking_check_in")
        return format_html(
            '<a href="{}?code={}">{}</a>', url, obj.code, _("Open the check-in page")
        )

    @admin.action(
        description=gettext_lazy("Record the selected bookings as no-shows"), permissions=["view"]
    )
    def mark_no_show(self, request, queryset):
        act_on_each(
            self,
            request,
            queryset.order_by("pk"),
            lambda booking: services.booking_mark_no_show(booking=booking, by=request.user),
            label=lambda booking: booking.code,
            done_message=lambda done: (
                ngettext(
                    "%(count)s booking marked as a no-show.",
                    "%(count)s bookings marked as no-shows.",
                    done,
                )
                % {"count": done}
            ),
        )

    def get_urls(self):
        return [
            path(
                "check-in/",
                self.admin_site.admin_view(self.check_in_view),
                name="tours_booking_check_in",
            ),
            *super().get_urls(),
        ]

    def _find(self, request, code: str) -> Booking:
        return services.booking_by_code_for_operator(
            code=code, user=request.user, within=self.get_queryset(request)
        )

    def check_in_view(self, request):
        """Type (or scan) a code, see the booking, then check in, record a
        no-show, or record the payment (in advance or on the day)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        url = reverse(f"{self.admin_site.name}:tours_booking_check_in")
        booking, status = None, 200
        code = request.POST.get("code") or request.GET.get("code") or ""
        form = CheckInForm({"code": code} if code else None)
        payment = PaymentForm(request.POST if request.POST.get("action") == "pay" else None)
        if code:
            try:
                booking = self._find(request, code)
            except DomainError as exc:
                form.add_error("code", exc.message)
                status = 404
        if request.method == "POST" and booking is not None:
            action = request.POST.get("action")
            try:
                if action == "check_in":
                    services.booking_check_in(booking=booking, by=request.user)
                    done = _("%(code)s checked in.")
                elif action == "no_show":
                    services.booking_mark_no_show(booking=booking, by=request.user)
                    done = _("%(code)s recorded as a no-show.")
                elif action == "pay" and payment.is_valid():
                    services.booking_record_payment(
                        booking=booking,
                        by=request.user,
                        method=payment.cleaned_data["method"],
                        timing=payment.cleaned_data["timing"],
                    )
                    done = _("Payment of %(code)s recorded.")
                else:
                    raise DomainError(
                        _("Choose what to do with this booking."), code="invalid_action"
                    )
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
                status = exc.status_code
            else:
                self.message_user(request, done % {"code": booking.code}, messages.SUCCESS)
                return redirect(f"{url}?code={booking.code}")
            booking = self._find(request, booking.code)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Check in by booking code"),
            "form": form,
            "payment": payment if booking is not None else None,
            "booking": booking,
            "events": selectors.booking_events(booking=booking) if booking is not None else [],
            "today": timezone.localdate(),
            # The task-focused desk (tours.desk), for the operator's staff.
            "desk_url": "/vendor/desk/check-in/" if self.admin_site.name == "vendor" else "",
            "opts": self.model._meta,
            "url": url,
        }
        return TemplateResponse(request, "tours/admin/check_in.html", context, status=status)


@admin.register(Booking)
class BookingAdmin(BookingAdminBase):
    pass


class BookingVendorAdmin(ReadOnlyOrgScopedAdmin, BookingAdminBase):
    org_path = "departure__route__operator"
    org_kinds = TOUR_OPERATOR
    inlines = [
        vendor_inline(TravellerInline, editable=False),
        vendor_inline(EventInline, editable=False),
    ]


# --- Waitlist and audit ------------------------------------------------------------------------


class WaitlistAdminBase(ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "departure",
        "created_at",
        "customer",
        "contact_name",
        "contact_phone",
        "seats",
        "status",
        "booking",
    )
    list_filter = ["status", ("departure__route", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["contact_name", "contact_phone"]
    ordering = ["departure", "created_at", "pk"]
    fields = (*list_display[:-1], "travellers", "booking")
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("departure__route", "customer", "booking")
        )


@admin.register(WaitlistEntry)
class WaitlistAdmin(WaitlistAdminBase):
    pass


class WaitlistVendorAdmin(ReadOnlyOrgScopedAdmin, WaitlistAdminBase):
    org_path = "departure__route__operator"
    org_kinds = TOUR_OPERATOR


@admin.register(BookingEvent)
class BookingEventAdmin(StatusEventColumns, ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "at",
        "departure",
        "booking",
        "waitlist_entry",
        "actor",
        "from_display",
        "to_display",
        "reason_display",
    )
    list_filter = [
        status_filter(
            gettext_lazy("to"),
            "to",
            "to_status",
            (Booking.Status, WaitlistEntry.Status, Departure.Status),
        )
    ]
    search_fields = ["booking__code", "reason"]
    date_hierarchy = "at"
    fields = list_display
    readonly_fields = list_display

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("departure__route", "booking", "waitlist_entry", "actor")
        )


vendor_site.register(Route, RouteVendorAdmin)
vendor_site.register(Departure, DepartureVendorAdmin)
vendor_site.register(Booking, BookingVendorAdmin)
vendor_site.register(WaitlistEntry, WaitlistVendorAdmin)
