"""Where the programme happens and who acts in it: the two districts, their
towns, sub-districts and villages, organizations and their members. Every
other app builds on these."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.hant import Traditional
from core.models import DemoFlag
from core.search import Searchable


class District(Traditional, models.Model):
    """东城区 (the supporting side) or 怀柔区 (the supported side)."""

    class Role(models.TextChoices):
        SUPPORTING = "supporting", _("supporting")
        SUPPORTED = "supported", _("supported")

    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        # The tables kept their names when the directory left the cooperation app.
        db_table = "cooperation_district"
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Area(Traditional, DemoFlag):
    """A town, township, sub-district or village inside a district."""

    class Kind(models.TextChoices):
        TOWN = "town", _("town")
        TOWNSHIP = "township", _("township")
        SUBDISTRICT = "subdistrict", _("sub-district")
        VILLAGE = "village", _("village")

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="areas", verbose_name=_("district")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    collectively_weak = models.BooleanField(
        _("collectively weak village"),
        default=False,
        help_text=_("集体经济薄弱村 when the cooperation began."),
    )
    weak_status_ended = models.PositiveSmallIntegerField(
        _("year weak status ended"),
        null=True,
        blank=True,
        help_text=_("The year the village left weak status (脱薄)."),
    )

    class Meta:
        # The tables kept their names when the directory left the cooperation app.
        db_table = "cooperation_area"
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["district", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "kind", "name"], name="area_unique_name"),
            models.CheckConstraint(
                condition=models.Q(weak_status_ended__isnull=True)
                | models.Q(collectively_weak=True),
                name="area_weak_end_needs_weak",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Organization(Traditional, Searchable, DemoFlag):
    """Anyone who acts in the programme: a school, a producer, a centre, an operator…"""

    class Kind(models.TextChoices):
        SCHOOL = "school", _("school")
        KINDERGARTEN = "kindergarten", _("kindergarten")
        HOSPITAL = "hospital", _("hospital")
        HEALTH_CENTRE = "health_centre", _("community health centre")
        CHAMBER = "chamber", _("chamber of commerce")
        VILLAGE_COLLECTIVE = "village_collective", _("village collective")
        PRODUCER = "producer", _("producer")
        COOPERATIVE = "cooperative", _("cooperative")
        SUPPORT_CENTRE = "support_centre", _("consumption-support centre")
        TOUR_OPERATOR = "tour_operator", _("tour operator")
        RESELLER = "reseller", _("travel reseller")
        FUND_COMPANY = "fund_company", _("fund company")
        GOVERNMENT = "government", _("government body")
        SUPERMARKET = "supermarket", _("supermarket")
        RESTAURANT = "restaurant", _("restaurant")

    slug = models.SlugField(_("slug"), unique=True, max_length=80)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, db_index=True)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="organizations", verbose_name=_("district")
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        verbose_name=_("area"),
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Membership",
        related_name="organizations",
        verbose_name=_("members"),
    )

    class Meta:
        # The tables kept their names when the directory left the cooperation app.
        db_table = "cooperation_organization"
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    SEARCH_BODY_FIELDS = ("description",)


class Membership(models.Model):
    """A user acting for an organization; what they may do follows the role."""

    class Role(models.TextChoices):
        MANAGER = "manager", _("manager")
        STAFF = "staff", _("staff")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organization"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STAFF)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        # The tables kept their names when the directory left the cooperation app.
        db_table = "cooperation_membership"
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.get_role_display()})"
