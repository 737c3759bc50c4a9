"""Centres (消费扶贫双创中心), their Huairou zones and counters, and who works there."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.hant import Traditional
from core.models import DemoFlag
from organizations.models import Organization

from .base import PRODUCER_KINDS


class Centre(Traditional, models.Model):
    """A consumption-support centre (消费扶贫双创中心): an organization's public profile."""

    organization = models.OneToOneField(
        Organization,
        on_delete=models.PROTECT,
        related_name="centre",
        limit_choices_to={"kind": Organization.Kind.SUPPORT_CENTRE},
        verbose_name=_("organization"),
    )
    address = models.CharField(_("address"), max_length=300)
    opening_hours = models.CharField(_("opening hours"), max_length=200)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("centre")
        verbose_name_plural = _("centres")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.organization.name

    @property
    def name(self) -> str:
        return self.organization.name

    @property
    def slug(self) -> str:
        return self.organization.slug

    @property
    def is_demo(self) -> bool:
        return self.organization.is_demo


class Counter(Traditional, DemoFlag):
    """A Huairou zone or counter (怀柔专区 / 专柜) inside a centre."""

    class Kind(models.TextChoices):
        ZONE = "zone", _("Huairou zone")
        COUNTER = "counter", _("Huairou counter")

    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="counters", verbose_name=_("centre")
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COUNTER)
    location = models.CharField(
        _("where in the centre"),
        max_length=200,
        blank=True,
        help_text=_("e.g. ground floor, east entrance"),
    )
    producers = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="counters",
        limit_choices_to={"kind__in": PRODUCER_KINDS},
        verbose_name=_("producers carried"),
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="CounterStaff",
        blank=True,
        related_name="counters",
        verbose_name=_("staff"),
    )
    # WGS-84, like every coordinate on the site (core.geo); empty = the
    # centre's own (a counter inside the centre's building).
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    is_active = models.BooleanField(_("open"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")
        ordering = ["centre__position", "centre", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.centre.organization.name} · {self.name}"

    @property
    def map_point(self) -> tuple[Decimal, Decimal] | None:
        """Where to navigate to: the counter's own entrance, else its centre."""
        if self.latitude is not None and self.longitude is not None:
            return self.latitude, self.longitude
        if self.centre.latitude is not None and self.centre.longitude is not None:
            return self.centre.latitude, self.centre.longitude
        return None


class CounterStaff(models.Model):
    """Who works at a counter. They must also be a member of the centre's
    organization to open the partner panel; a centre *manager* sees every
    counter of the centre without an assignment."""

    counter = models.ForeignKey(
        Counter, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("counter")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="counter_assignments",
        verbose_name=_("user"),
    )

    class Meta:
        verbose_name = _("counter staff")
        verbose_name_plural = _("counter staff")
        constraints = [
            models.UniqueConstraint(fields=["counter", "user"], name="counter_staff_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.counter}"
