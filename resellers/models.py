"""Travel resellers (OTAs, hotel desks, the districts' tourism portals) who
sell the joint routes through the OCTO API (``resellers.api``).

A reseller is an organization of the directory with an account of its own:
every booking it makes is an ordinary ``tours.Booking`` whose customer is
that account, so seat locks, the waitlist, check-in, the manifest and the
e-mails treat it like any other. ``ResellerBooking`` adds what OCTO knows
about it: the reseller's UUID (an idempotency key) and reference, the unit
items, the contact as given, and the commission rate at the time of sale.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization
from tours.models import Booking


class Reseller(models.Model):
    organization = models.OneToOneField(
        Organization,
        on_delete=models.PROTECT,
        related_name="reseller",
        verbose_name=_("organization"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reseller",
        verbose_name=_("booking account"),
        help_text=_("The account the reseller's bookings are made in."),
    )
    commission_rate = models.DecimalField(
        _("commission rate"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.1000"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("0.5"))],
        help_text=_("The reseller's share of the retail price, e.g. 0.1 for 10%."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("reseller")
        verbose_name_plural = _("resellers")
        ordering = ["organization__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(commission_rate__gte=0) & Q(commission_rate__lte=Decimal("0.5")),
                name="reseller_commission_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organization)


class ResellerKey(models.Model):
    """An API key of a reseller: shown once, only its SHA-256 is stored."""

    reseller = models.ForeignKey(
        Reseller, on_delete=models.CASCADE, related_name="keys", verbose_name=_("reseller")
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("key prefix"), max_length=8, editable=False)
    name = models.CharField(_("name"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.reseller})"


class ResellerBooking(models.Model):
    reseller = models.ForeignKey(
        Reseller, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("reseller")
    )
    booking = models.OneToOneField(
        Booking,
        on_delete=models.PROTECT,
        related_name="reseller_booking",
        verbose_name=_("booking"),
    )
    uuid = models.UUIDField(_("reseller's UUID"))
    reseller_reference = models.CharField(_("reseller's reference"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # [{"uuid", "unitId", "resellerReference"}], one a seat, in the booking's traveller order.
    unit_items = models.JSONField(_("unit items"), default=list)
    contact = models.JSONField(_("contact"), default=dict, blank=True)
    commission_rate = models.DecimalField(_("commission rate"), max_digits=5, decimal_places=4)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("reseller booking")
        verbose_name_plural = _("reseller bookings")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["reseller", "uuid"], name="reseller_booking_uuid"),
        ]
        indexes = [
            models.Index(fields=["reseller", "reseller_reference"], name="reseller_booking_ref"),
        ]

    def __str__(self) -> str:
        return f"{self.reseller}: {self.booking}"

    @property
    def commission(self) -> Decimal:
        return (self.booking.total_price * self.commission_rate).quantize(Decimal("0.01"))
