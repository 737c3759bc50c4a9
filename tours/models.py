"""Joint tourism routes: attractions, routes with ordered stops, dated
departures with seats, bookings, the waitlist and the audit of every change.

Seats are never stored as a counter: what a departure has left is its capacity
minus the seats of its active bookings (see ``selectors.seats_taken``), read
under a row lock on the departure when booking. Nothing a report or an audit
needs is deleted: bookings and waitlist entries change status instead.
"""

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.hant import Traditional
from core.images import ImageWithRenditions
from core.models import DemoFlag, StatusEvent
from core.payments import PaymentMethod
from core.search import Searchable
from organizations.models import Area, District, Organization

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_SEATS_PER_BOOKING = 10
# A departure is "almost full" from this share of its capacity left (or
# ALMOST_FULL_SEATS, whichever is more): the route page's calendar marks it.
ALMOST_FULL_SHARE = Decimal("0.2")
ALMOST_FULL_SEATS = 5


def is_almost_full(seats_left: int, capacity: int) -> bool:
    """Seats are still free, but at most 20 % of the capacity or 5 seats."""
    return 0 < seats_left <= max(ALMOST_FULL_SEATS, int(capacity * ALMOST_FULL_SHARE))


LOCAL_TZ = ZoneInfo(settings.TIME_ZONE)


class TravellerType(models.TextChoices):
    ADULT = "adult", _("adult")
    CHILD = "child", _("child")
    SENIOR = "senior", _("senior")
    STUDENT = "student", _("student")


class Attraction(Traditional, Searchable, DemoFlag):
    """A real place a route stops at (a street, a temple, a section of the Wall)."""

    slug = models.SlugField(_("slug"), unique=True, max_length=80)
    name = models.CharField(_("name"), max_length=120)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="attractions", verbose_name=_("district")
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attractions",
        verbose_name=_("town or sub-district"),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))],
    )
    description = models.TextField(_("description"), blank=True)
    opening_info = models.TextField(
        _("opening information"), blank=True, help_text=_("Opening hours, seasons, tickets.")
    )

    class Meta:
        verbose_name = _("attraction")
        verbose_name_plural = _("attractions")
        ordering = ["district", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("tours:attraction", kwargs={"slug": self.slug})

    SEARCH_BODY_FIELDS = ("description",)


class AttractionImage(Traditional, ImageWithRenditions):
    UPLOAD_DIR = "attractions"

    attraction = models.ForeignKey(
        Attraction, on_delete=models.CASCADE, related_name="images", verbose_name=_("attraction")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("attraction image")
        verbose_name_plural = _("attraction images")
        ordering = ["attraction", "position", "pk"]

    def __str__(self) -> str:
        return self.alt_text or f"{self.attraction} #{self.position}"


class Route(Traditional, Searchable, DemoFlag):
    """A joint route, e.g. the report's “前门+雁栖湖”, run by a tour operator."""

    slug = models.SlugField(_("slug"), unique=True, max_length=80)
    title = models.CharField(_("title"), max_length=160)
    summary = models.TextField(_("summary"), help_text=_("One or two sentences for lists."))
    description = models.TextField(_("description"), blank=True)
    duration_days = models.PositiveSmallIntegerField(
        _("duration (days)"), default=1, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    operator = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="routes",
        limit_choices_to={"kind": Organization.Kind.TOUR_OPERATOR},
        verbose_name=_("operator"),
    )
    base_price = models.DecimalField(
        _("base price (yuan)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("The adult price of a departure that sets none of its own."),
    )
    price_is_demo = models.BooleanField(
        _("price is demo data"), default=False, help_text=_("The price is invented for the demo.")
    )
    highlights = models.TextField(_("highlights"), blank=True, help_text=_("One per line."))
    included = models.TextField(_("what is included"), blank=True, help_text=_("One per line."))
    meeting_point = models.CharField(_("meeting point"), max_length=255, blank=True)
    min_travellers = models.PositiveSmallIntegerField(
        _("fewest travellers per booking"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SEATS_PER_BOOKING)],
    )
    max_travellers = models.PositiveSmallIntegerField(
        _("most travellers per booking"),
        default=MAX_SEATS_PER_BOOKING,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SEATS_PER_BOOKING)],
    )
    is_published = models.BooleanField(_("published"), default=True)
    in_report = models.BooleanField(
        _("named in the report"),
        default=False,
        help_text=_("One of the joint routes the 2 July 2023 report names."),
    )
    featured_rank = models.PositiveSmallIntegerField(
        _("home page order"),
        null=True,
        blank=True,
        help_text=_("Lower comes first; empty = not featured."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("route")
        verbose_name_plural = _("routes")
        ordering = [models.F("featured_rank").asc(nulls_last=True), "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_days__gte=1), name="route_duration_positive"
            ),
            models.CheckConstraint(condition=Q(base_price__gte=0), name="route_price_not_negative"),
            models.CheckConstraint(
                condition=Q(min_travellers__gte=1)
                & Q(max_travellers__lte=MAX_SEATS_PER_BOOKING)
                & Q(min_travellers__lte=F("max_travellers")),
                name="route_travellers_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("tours:detail", kwargs={"slug": self.slug})

    # Stops are matched through their attractions' own columns (selectors.route_list).
    SEARCH_NAME_FIELDS = ("title",)
    SEARCH_BODY_FIELDS = ("summary", "description", "highlights")

    def clean(self):
        super().clean()
        if (
            self.min_travellers
            and self.max_travellers
            and self.min_travellers > self.max_travellers
        ):
            raise ValidationError(
                {"max_travellers": _("The most travellers cannot be fewer than the fewest.")}
            )

    @property
    def highlight_list(self) -> list[str]:
        return [line.strip() for line in (self.highlights or "").splitlines() if line.strip()]

    @property
    def included_list(self) -> list[str]:
        return [line.strip() for line in (self.included or "").splitlines() if line.strip()]


class RouteImage(Traditional, ImageWithRenditions):
    """A picture of a route as a whole (the list's card, the page's header)."""

    UPLOAD_DIR = "routes"

    route = models.ForeignKey(
        Route, on_delete=models.CASCADE, related_name="images", verbose_name=_("route")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("route image")
        verbose_name_plural = _("route images")
        ordering = ["route", "position", "pk"]

    def __str__(self) -> str:
        return self.alt_text or f"{self.route} #{self.position}"


class RouteStop(Traditional, models.Model):
    route = models.ForeignKey(
        Route, on_delete=models.CASCADE, related_name="stops", verbose_name=_("route")
    )
    # "order" alone is the shop's order (订单); here it is the stop's place.
    order = models.PositiveSmallIntegerField(pgettext_lazy("place in a sequence", "order"))
    day = models.PositiveSmallIntegerField(_("day"), default=1, validators=[MinValueValidator(1)])
    time = models.TimeField(_("time"), null=True, blank=True)
    stay_minutes = models.PositiveSmallIntegerField(
        _("length of stay (minutes)"), null=True, blank=True
    )
    attraction = models.ForeignKey(
        Attraction, on_delete=models.PROTECT, related_name="stops", verbose_name=_("attraction")
    )
    note = models.TextField(_("note"), blank=True)

    # Set by selectors.route_stops_by_day: its place in the whole route.
    number: int

    class Meta:
        verbose_name = _("route stop")
        verbose_name_plural = _("route stops")
        ordering = ["route", "order"]
        constraints = [
            models.UniqueConstraint(fields=["route", "order"], name="route_stop_unique_order"),
            models.CheckConstraint(condition=Q(day__gte=1), name="route_stop_day_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.route} · {self.order}. {self.attraction}"

    def clean(self):
        try:
            route = self.route
        except Route.DoesNotExist:  # not attached yet: the inline form attaches it
            return
        if self.day and self.day > route.duration_days:
            raise ValidationError(
                {
                    "day": _("The route lasts %(days)s days; this stop is on day %(day)s.")
                    % {"days": route.duration_days, "day": self.day}
                }
            )

    @property
    def ends_at(self) -> dt.time | None:
        if self.time is None or not self.stay_minutes:
            return None
        end = dt.datetime.combine(dt.date(2000, 1, 1), self.time) + dt.timedelta(
            minutes=self.stay_minutes
        )
        return end.time()


class Departure(DemoFlag):
    """A dated run of a route with a number of seats."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        CLOSED = "closed", _("closed for booking")
        CANCELLED = "cancelled", _("cancelled")

    route = models.ForeignKey(
        Route, on_delete=models.PROTECT, related_name="departures", verbose_name=_("route")
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    capacity = models.PositiveIntegerField(
        _("capacity (seats)"), validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED, db_index=True
    )
    cutoff_hours = models.PositiveSmallIntegerField(
        _("booking cut-off (hours before start)"),
        default=12,
        validators=[MaxValueValidator(24 * 30)],
        help_text=_("Bookings close this many hours before the start."),
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("departure")
        verbose_name_plural = _("departures")
        ordering = ["date", "start_time", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["route", "date", "start_time"], name="departure_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="departure_capacity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.route} · {self.date:%Y-%m-%d} {self.start_time:%H:%M}"

    @property
    def starts_at(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.start_time, tzinfo=LOCAL_TZ)

    @property
    def booking_closes_at(self) -> dt.datetime:
        return self.starts_at - dt.timedelta(hours=self.cutoff_hours)

    def is_bookable(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.SCHEDULED and now < self.booking_closes_at

    @cached_property
    def fares(self) -> dict[str, Decimal]:
        """{traveller type: the departure's own price}, from ``prices``
        (prefetched by the selectors; ``services.common.lock_departure`` sets
        it from the shared cache)."""
        return {price.traveller_type: price.amount for price in self.prices.all()}

    def price_for(self, traveller_type: str) -> Decimal | None:
        """The price of one seat for ``traveller_type``; None = not offered.

        An adult seat always has a price: the route's base price unless the
        departure sets its own.
        """
        if traveller_type in self.fares:
            return self.fares[traveller_type]
        if traveller_type == TravellerType.ADULT:
            return self.route.base_price
        return None

    def price_table(self) -> list[tuple[str, "StrOrPromise", Decimal]]:
        """[(type, label, price)] of the traveller types offered, adult first."""
        table: list[tuple[str, StrOrPromise, Decimal]] = []
        for value, label in TravellerType.choices:
            amount = self.price_for(value)
            if amount is not None:
                table.append((value, label, amount))
        return table


class DeparturePrice(models.Model):
    departure = models.ForeignKey(
        Departure, on_delete=models.CASCADE, related_name="prices", verbose_name=_("departure")
    )
    traveller_type = models.CharField(
        _("traveller type"), max_length=10, choices=TravellerType.choices
    )
    amount = models.DecimalField(
        _("price (yuan)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        verbose_name = _("price")
        verbose_name_plural = _("prices")
        ordering = ["departure", "traveller_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["departure", "traveller_type"], name="departure_price_unique_type"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="departure_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_traveller_type_display()}: {self.amount}"


class SeatRequest(models.Model):
    """Seats a customer asks for on a departure, and whom to call about them:
    a booking, or a waitlist entry, whose seats and contact are copied into a
    booking when seats are offered. ``language`` is the one the customer
    used, so the e-mails about it are written in it."""

    seats = models.PositiveSmallIntegerField(
        _("seats"), validators=[MinValueValidator(1), MaxValueValidator(MAX_SEATS_PER_BOOKING)]
    )
    contact_name = models.CharField(_("contact name"), max_length=100)
    contact_phone = models.CharField(_("contact phone"), max_length=30)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Booking(SeatRequest):
    """Seats on a departure for one customer, shown at check-in by its code."""

    class Status(models.TextChoices):
        HELD = "held", _("offered from the waitlist")
        CONFIRMED = "confirmed", _("confirmed")
        PAID = "paid", _("paid")
        CHECKED_IN = "checked_in", _("checked in")
        NO_SHOW = "no_show", _("no-show")
        CANCELLED = "cancelled", _("cancelled")
        LAPSED = "lapsed", _("lapsed")

    class PaymentTiming(models.TextChoices):
        ADVANCE = "advance", _("in advance")
        ON_THE_DAY = "on_the_day", _("on the day")

    # Statuses whose seats count against the capacity (a held offer only until
    # its deadline: see selectors.seats_taken).
    SEATED = (Status.CONFIRMED, Status.PAID, Status.CHECKED_IN, Status.NO_SHOW)
    ACTIVE = (Status.HELD, Status.CONFIRMED, Status.PAID)

    code = models.CharField(_("booking code"), max_length=12, unique=True)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="tour_bookings",
        verbose_name=_("customer"),
    )
    departure = models.ForeignKey(
        Departure, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("departure")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, db_index=True)
    total_price = models.DecimalField(_("total price (yuan)"), max_digits=12, decimal_places=2)
    hold_expires_at = models.DateTimeField(_("confirm before"), null=True, blank=True)
    payment_timing = models.CharField(
        _("paid"), max_length=20, choices=PaymentTiming.choices, blank=True
    )
    payment_method = models.CharField(
        _("payment method"), max_length=20, choices=PaymentMethod.choices, blank=True
    )
    paid_at = models.DateTimeField(_("payment recorded at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_at = models.DateTimeField(_("booked at"), default=timezone.now)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(seats__gte=1) & Q(seats__lte=MAX_SEATS_PER_BOOKING),
                name="booking_seats_range",
            ),
            models.CheckConstraint(
                condition=~Q(status="held") | Q(hold_expires_at__isnull=False),
                name="booking_hold_has_deadline",
            ),
            models.CheckConstraint(
                condition=Q(total_price__gte=0), name="booking_total_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["departure", "status"], name="booking_departure_status")]

    def __str__(self) -> str:
        return self.code

    def is_hold_expired(self, now: dt.datetime | None = None) -> bool:
        # A held booking always has a deadline (booking_hold_has_deadline).
        return (
            self.status == self.Status.HELD
            and self.hold_expires_at is not None
            and self.hold_expires_at <= (now or timezone.now())
        )

    def can_cancel(self, now: dt.datetime | None = None) -> bool:
        """What the customer may do; operators can also cancel after the start."""
        return self.status in self.ACTIVE and (now or timezone.now()) < self.departure.starts_at

    def can_reschedule(self, now: dt.datetime | None = None) -> bool:
        """Confirmed or paid, before the departure: it may move to another date."""
        return (
            self.status in (self.Status.CONFIRMED, self.Status.PAID)
            and (now or timezone.now()) < self.departure.starts_at
        )

    def can_confirm(self, now: dt.datetime | None = None) -> bool:
        return self.status == self.Status.HELD and not self.is_hold_expired(now)

    @property
    def is_active(self) -> bool:
        """Still going ahead: shows its QR code and calendar link."""
        return self.status in self.ACTIVE

    @property
    def is_paid(self) -> bool:
        return self.paid_at is not None

    @cached_property
    def traveller_list(self) -> list["BookingTraveller"]:
        """The travellers, from the prefetch when there is one. A new booking
        comes with the ones just written (``services.common.create_booking``),
        so the answer to it does not read them back."""
        return list(self.travellers.all())

    @property
    def produce_order(self):
        """The linked marketplace order (BookingProduce), or None."""
        try:
            return self.produce.order
        except models.ObjectDoesNotExist:
            return None


class BookingTraveller(models.Model):
    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, related_name="travellers", verbose_name=_("booking")
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    traveller_type = models.CharField(
        _("traveller type"),
        max_length=10,
        choices=TravellerType.choices,
        default=TravellerType.ADULT,
    )
    price = models.DecimalField(_("price (yuan)"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("traveller")
        verbose_name_plural = _("travellers")
        ordering = ["booking", "pk"]

    def __str__(self) -> str:
        return self.name or str(self.get_traveller_type_display())


class BookingProduce(models.Model):
    """The produce a booking brings home: an ordinary reserve-and-collect
    order of the marketplace (pickup code, held stock), linked here because
    tours may know the marketplace and the marketplace never knows tours.
    One order per booking: it is collected at one counter, chosen "on the
    way" (a Huairou counter near a stop) or "on return" (a Dongcheng one)."""

    class Leg(models.TextChoices):
        ON_THE_WAY = "on_the_way", _("on the way")
        ON_RETURN = "on_return", _("on return")

    booking = models.OneToOneField(
        Booking, on_delete=models.PROTECT, related_name="produce", verbose_name=_("booking")
    )
    order = models.OneToOneField(
        "marketplace.Order",
        on_delete=models.PROTECT,
        related_name="trip",
        verbose_name=_("order"),
    )
    leg = models.CharField(_("collected"), max_length=12, choices=Leg.choices)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("produce of a booking")
        verbose_name_plural = _("produce of bookings")

    def __str__(self) -> str:
        return f"{self.booking_id} → {self.order_id}"


class WaitlistEntry(SeatRequest):
    """A customer waiting for seats on a full departure, served in order."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting")
        OFFERED = "offered", _("offered seats")
        LAPSED = "lapsed", _("offer lapsed")
        CANCELLED = "cancelled", _("left the waitlist")

    departure = models.ForeignKey(
        Departure, on_delete=models.PROTECT, related_name="waitlist", verbose_name=_("departure")
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="tour_waitlist",
        verbose_name=_("customer"),
    )
    # [{"name": ..., "type": ...}] copied into the booking when seats are offered.
    travellers = models.JSONField(_("travellers"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.WAITING, db_index=True
    )
    booking = models.OneToOneField(
        Booking,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="waitlist_entry",
        verbose_name=_("offered booking"),
    )
    created_at = models.DateTimeField(_("joined at"), default=timezone.now)

    # Set by the waiting_entries template tag: 1 for the first one waiting.
    position: int

    class Meta:
        verbose_name = _("waitlist entry")
        verbose_name_plural = _("waitlist entries")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(seats__gte=1) & Q(seats__lte=MAX_SEATS_PER_BOOKING),
                name="waitlist_seats_range",
            ),
            models.UniqueConstraint(
                fields=["departure", "customer"],
                condition=Q(status="waiting"),
                name="waitlist_one_waiting_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.departure} · {self.customer} ({self.seats})"


class BookingEvent(StatusEvent):
    """The audit trail: every status change of a booking, waitlist entry or
    departure, with who (None = the system), when, from, to and why."""

    departure = models.ForeignKey(
        Departure, on_delete=models.PROTECT, related_name="events", verbose_name=_("departure")
    )
    booking = models.ForeignKey(
        Booking,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("booking"),
    )
    waitlist_entry = models.ForeignKey(
        WaitlistEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("waitlist entry"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )

    class Meta(StatusEvent.Meta):
        verbose_name = _("booking event")
        verbose_name_plural = _("booking events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.from_label or '∅'} → {self.to_label}"

    def status_choices(self) -> type[models.TextChoices]:
        # One trail for three kinds of row: whose statuses these are.
        if self.booking_id:
            return Booking.Status
        if self.waitlist_entry_id:
            return WaitlistEntry.Status
        return Departure.Status
