"""The programme itself: sources, fields, agreements, joint projects, the
industry fund and its investments, pairings, headline figures and Dongcheng's
support by year."""

from decimal import Decimal
from typing import TypedDict

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.hant import Traditional
from core.models import DemoFlag
from core.numbers import compact_number, figure_display
from core.search import Searchable
from organizations.models import Area, Organization

# The report's rule for the Instrument & Sensor Industry Development Fund: at
# most 300万元 (3 million yuan) per company. Also enforced in the database, so
# no path (admin, shell, a future import) can store more.
FUND_MAX_PER_COMPANY = Decimal("3000000")


class MoneyDigits(TypedDict):
    """The DecimalField arguments of an amount of money, spread with `**`."""

    max_digits: int
    decimal_places: int


MONEY: MoneyDigits = {"max_digits": 12, "decimal_places": 2}


class Source(Traditional, models.Model):
    """Where a fact comes from: the 人民网 report, or this site's own demo data."""

    class Kind(models.TextChoices):
        REPORTED = "reported", _("reported")
        DEMO = "demo", _("demo")

    key = models.SlugField(
        _("key"), unique=True, help_text=_("Stable identifier used by the demo loader.")
    )
    publisher = models.CharField(_("publisher"), max_length=200)
    title = models.CharField(_("title"), max_length=300)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    url = models.URLField(_("address (URL)"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REPORTED)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["kind", "-published_on", "pk"]
        constraints = [
            # A reported fact must be traceable to a dated publication.
            models.CheckConstraint(
                condition=~models.Q(kind="reported") | models.Q(published_on__isnull=False),
                name="source_reported_has_date",
            ),
        ]

    def __str__(self) -> str:
        if self.published_on:
            return f"{self.publisher}, {self.published_on:%Y-%m-%d}: {self.title}"
        return f"{self.publisher}: {self.title}"

    def get_absolute_url(self) -> str:
        return self.url

    @property
    def is_reported(self) -> bool:
        return self.kind == self.Kind.REPORTED


class Sourced(DemoFlag):
    """A fact of the programme that names where it comes from (empty: not
    yet traced to a publication)."""

    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(class)ss",
        verbose_name=_("source"),
    )

    PROVENANCE_FIELDS = ("source", "is_demo")

    class Meta:
        abstract = True


class Field(Traditional, models.Model):
    """A field of cooperation (生态保护, 乡村振兴…), shared by agreements and projects."""

    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("display order"), default=0)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_fields",
        verbose_name=_("counted with"),
        help_text=_(
            "A field of an earlier agreement that covers the same ground as a later one "
            "(公共服务 and 服务民生, say): the dashboard and the open data count its "
            "projects under that field, and filtering by that field finds them too."
        ),
    )

    class Meta:
        verbose_name = _("field of cooperation")
        verbose_name_plural = _("fields of cooperation")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{reverse('cooperation:project_list')}?field={self.code}"

    def clean(self):
        super().clean()
        target = self.merged_into
        if target is None:
            return
        # One level only: a field is counted with a field that stands on its own.
        if target.pk == self.pk or target.merged_into_id is not None:
            raise ValidationError(
                {"merged_into": _("Choose a field that is not itself counted with another.")}
            )
        if self.pk is not None and self.merged_fields.exists():
            raise ValidationError(
                {"merged_into": _("Other fields are counted with this one; it can't be merged.")}
            )


class Agreement(Traditional, Sourced):
    """A round of the paired-cooperation framework agreement."""

    slug = models.SlugField(_("slug"), unique=True, max_length=80)
    round = models.PositiveSmallIntegerField(_("round"), unique=True)
    title = models.CharField(_("title"), max_length=300)
    signed_year = models.PositiveSmallIntegerField(_("year signed"))
    signed_on = models.DateField(
        _("date signed"),
        null=True,
        blank=True,
        help_text=_("Leave empty when only the year is known."),
    )
    period_start = models.PositiveSmallIntegerField(_("first year"))
    period_end = models.PositiveSmallIntegerField(_("last year"))
    annual_commitment = models.DecimalField(
        _("annual commitment (yuan)"), **MONEY, null=True, blank=True
    )
    annual_commitment_is_minimum = models.BooleanField(
        _("annual commitment is a minimum"),
        default=False,
        help_text=_("“No less than” (不低于) the amount."),
    )
    total_commitment = models.DecimalField(
        _("total commitment (yuan)"), **MONEY, null=True, blank=True
    )
    basis = models.CharField(
        _("policy basis"),
        max_length=300,
        blank=True,
        help_text=_("The municipal policy the agreement implements."),
    )
    fields = models.ManyToManyField(
        Field, related_name="agreements", blank=True, verbose_name=_("fields")
    )
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["round"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(round__gte=1), name="agreement_round_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="agreement_period_order",
            ),
            models.CheckConstraint(
                condition=models.Q(annual_commitment__isnull=True)
                | models.Q(annual_commitment__gt=0),
                name="agreement_annual_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(total_commitment__isnull=True)
                | models.Q(total_commitment__gt=0),
                name="agreement_total_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cooperation:agreement_detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        if self.signed_on and self.signed_year and self.signed_on.year != self.signed_year:
            errors["signed_on"] = _("The date must fall in the year signed.")
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The last year cannot come before the first year.")
        if errors:
            raise ValidationError(errors)

    @property
    def years(self) -> int:
        return self.period_end - self.period_start + 1

    @property
    def committed_total(self) -> Decimal | None:
        """The total commitment, or the annual one times the years when only that is agreed."""
        if self.total_commitment is not None:
            return self.total_commitment
        if self.annual_commitment is not None:
            return self.annual_commitment * self.years
        return None


class Project(Traditional, Searchable, Sourced):
    """A joint project (共建项目) funded under an agreement."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        COMPLETED = "completed", _("completed")

    # A project only moves forward; see services.project_set_status.
    STATUS_ORDER = (Status.PLANNED, Status.IN_PROGRESS, Status.COMPLETED)

    slug = models.SlugField(_("slug"), unique=True, max_length=80)
    title = models.CharField(_("title"), max_length=200)
    field = models.ForeignKey(
        Field, on_delete=models.PROTECT, related_name="projects", verbose_name=_("field")
    )
    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="projects", verbose_name=_("agreement")
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("area"),
    )
    lead_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_projects",
        verbose_name=_("lead organization"),
    )
    amount = models.DecimalField(
        _("amount (yuan)"),
        **MONEY,
        null=True,
        blank=True,
        help_text=_("Leave empty when not reported."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    year = models.PositiveSmallIntegerField(
        _("year started"), null=True, blank=True, help_text=_("Leave empty when not reported.")
    )
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("joint project")
        verbose_name_plural = _("joint projects")
        ordering = [models.F("year").desc(nulls_last=True), "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gt=0),
                name="project_amount_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(year__isnull=True) | models.Q(year__gte=2000, year__lte=2100),
                name="project_year_plausible",
            ),
        ]
        indexes = [models.Index(fields=["status", "field"], name="project_status_field")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cooperation:project_detail", kwargs={"slug": self.slug})

    SEARCH_NAME_FIELDS = ("title",)
    SEARCH_BODY_FIELDS = ("summary",)

    def clean(self):
        agreement = getattr(self, "agreement", None) if self.agreement_id else None
        if (
            agreement
            and self.year
            and not agreement.period_start <= self.year <= agreement.period_end
        ):
            raise ValidationError(
                {
                    "year": _(
                        "The year must lie within the agreement's period (%(start)s–%(end)s)."
                    )
                    % {"start": agreement.period_start, "end": agreement.period_end}
                }
            )

    def can_move_to(self, status: str) -> bool:
        return self.STATUS_ORDER.index(status) > self.STATUS_ORDER.index(self.status)


class Fund(Traditional, Sourced):
    """An investment fund set up with Dongcheng money (仪器传感器产业发展基金)."""

    slug = models.SlugField(_("slug"), unique=True, max_length=80)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    size = models.DecimalField(
        _("size (yuan)"), **MONEY, help_text=_("The most the fund may invest in total.")
    )
    per_company_cap = models.DecimalField(
        _("cap per company (yuan)"),
        **MONEY,
        help_text=_("The most the fund may invest in one company."),
    )
    established_year = models.PositiveSmallIntegerField(
        _("year established"), null=True, blank=True
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funds",
        verbose_name=_("agreement"),
    )

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(size__gt=0), name="fund_size_positive"),
            models.CheckConstraint(
                condition=models.Q(
                    per_company_cap__gt=0, per_company_cap__lte=FUND_MAX_PER_COMPANY
                ),
                name="fund_cap_within_rule",
            ),
            models.CheckConstraint(
                condition=models.Q(per_company_cap__lte=models.F("size")),
                name="fund_cap_within_size",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{reverse('cooperation:fund')}#fund-{self.slug}"


class FundInvestment(Traditional, DemoFlag):
    """A company in a fund's pipeline (储备项目库), or one the fund has invested in."""

    class Sector(models.TextChoices):
        INSTRUMENTS = "instruments", _("high-end instruments")
        SENSORS = "sensors", _("sensors")
        AI = "ai", _("artificial intelligence")
        NEW_ENERGY = "new_energy", _("new energy")
        NEW_MATERIALS = "new_materials", _("new materials")
        LIFE_SCIENCES = "life_sciences", _("life sciences")
        COMMERCIAL_AEROSPACE = "aerospace", _("commercial aerospace")

    class Stage(models.TextChoices):
        SEED = "seed", _("seed")
        ANGEL = "angel", _("angel")

    class Status(models.TextChoices):
        PIPELINE = "pipeline", _("in the pipeline")
        INVESTED = "invested", _("invested")

    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="investments", verbose_name=_("fund")
    )
    company = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="fund_investments",
        limit_choices_to={"kind": "fund_company"},
        verbose_name=_("company"),
    )
    sector = models.CharField(
        _("sector"),
        max_length=20,
        choices=Sector.choices,
        blank=True,
        help_text=_("Empty when not reported."),
    )
    stage = models.CharField(
        _("stage"),
        max_length=10,
        choices=Stage.choices,
        blank=True,
        help_text=_("Empty when not reported."),
    )
    amount = models.DecimalField(
        _("amount (yuan)"),
        **MONEY,
        null=True,
        blank=True,
        help_text=_(
            "Invested amount; for a pipeline company, the amount under discussion (optional)."
        ),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PIPELINE
    )
    listed_on = models.DateField(_("entered the pipeline"), null=True, blank=True)
    invested_on = models.DateField(_("invested on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("fund investment")
        verbose_name_plural = _("fund investments")
        ordering = ["fund", "status", "company__name"]
        constraints = [
            # One row per company and fund, so "at most 300万元 per company" is
            # a property of the row's amount.
            models.UniqueConstraint(
                fields=["fund", "company"], name="fundinvestment_one_per_company"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True)
                | models.Q(amount__gt=0, amount__lte=FUND_MAX_PER_COMPANY),
                name="fundinvestment_amount_within_rule",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="invested")
                | models.Q(amount__isnull=False, invested_on__isnull=False),
                name="fundinvestment_invested_has_amount_and_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="pipeline") | models.Q(invested_on__isnull=True),
                name="fundinvestment_pipeline_has_no_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return f"{reverse('cooperation:fund')}#investment-{self.pk}"


class Pairing(Traditional, Sourced):
    """A standing pair between a Dongcheng side and a Huairou side (结对).

    Each side is either an organization (a school, a chamber of commerce) or an
    area (a sub-district, a town, a village), so "16 towns ↔ 17 streets" and
    "8 chambers ↔ 26 villages" are each a set of rows.
    """

    class Kind(models.TextChoices):
        EDUCATION = "education", _("education")
        MEDICAL = "medical", _("medical")
        TOWN_STREET = "town_street", _("town ↔ sub-district")
        CHAMBER_VILLAGE = "chamber_village", _("chamber of commerce ↔ village")
        PARTY_BUILDING = "party_building", _("party building")
        CADRE_EXCHANGE = "cadre_exchange", _("cadre and talent exchange")
        CULTURE_TOURISM = "culture_tourism", _("culture and tourism")
        LABOUR = "labour", _("labour cooperation")
        SPORTS = "sports", _("sports")
        ELDERLY_CARE = "elderly_care", _("elderly care")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    dongcheng_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dongcheng_pairings",
        verbose_name=_("Dongcheng organization"),
    )
    dongcheng_area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dongcheng_pairings",
        verbose_name=_("Dongcheng area"),
    )
    huairou_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="huairou_pairings",
        verbose_name=_("Huairou organization"),
    )
    huairou_area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="huairou_pairings",
        verbose_name=_("Huairou area"),
    )
    since = models.PositiveSmallIntegerField(
        _("since (year)"), null=True, blank=True, help_text=_("Leave empty when not reported.")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    dongcheng_organization__isnull=True, dongcheng_area__isnull=False
                )
                | models.Q(dongcheng_organization__isnull=False, dongcheng_area__isnull=True),
                name="pairing_one_dongcheng_side",
            ),
            models.CheckConstraint(
                condition=models.Q(huairou_organization__isnull=True, huairou_area__isnull=False)
                | models.Q(huairou_organization__isnull=False, huairou_area__isnull=True),
                name="pairing_one_huairou_side",
            ),
            models.CheckConstraint(
                condition=models.Q(since__isnull=True) | models.Q(since__gte=2000, since__lte=2100),
                name="pairing_since_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dongcheng_side} ↔ {self.huairou_side}"

    def get_absolute_url(self) -> str:
        return f"{reverse('cooperation:pairing_list')}?kind={self.kind}#pairing-{self.pk}"

    @property
    def dongcheng_side(self):
        return self.dongcheng_organization or self.dongcheng_area

    @property
    def huairou_side(self):
        return self.huairou_organization or self.huairou_area

    def clean(self):
        errors = {}
        wrong_district = {
            "dongcheng": _("This side must be in Dongcheng District."),
            "huairou": _("This side must be in Huairou District."),
        }
        for side in ("dongcheng", "huairou"):
            org = getattr(self, f"{side}_organization", None)
            area = getattr(self, f"{side}_area", None)
            if bool(org) == bool(area):
                errors[f"{side}_organization"] = _(
                    "Choose either an organization or an area for this side."
                )
            elif (org or area).district.code != side:
                errors[f"{side}_organization" if org else f"{side}_area"] = wrong_district[side]
        if errors:
            raise ValidationError(errors)


class Figure(Traditional, models.Model):
    """A number shown on the dashboard, always with its source and whether it
    is a reported fact or demo data."""

    class Topic(models.TextChoices):
        OVERVIEW = "overview", _("the programme")
        FUND = "fund", _("industry fund")
        EDUCATION = "education", _("education")
        MEDICAL = "medical", _("medical care")
        LOW_INCOME = "low_income", _("low-income support")
        CONSUMPTION = "consumption", _("farm products")
        TOURISM = "tourism", _("culture and tourism")

    class Qualifier(models.TextChoices):
        EXACT = "exact", _("exactly")
        AT_LEAST = "at_least", _("at least")
        AT_MOST = "at_most", _("at most")
        MORE_THAN = "more_than", _("more than")
        NEARLY = "nearly", _("nearly")

    key = models.SlugField(_("key"), unique=True, max_length=80)
    label = models.CharField(_("label"), max_length=200)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    qualifier = models.CharField(
        _("qualifier"), max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    note = models.TextField(_("note"), blank=True)
    topic = models.CharField(
        _("topic"), max_length=20, choices=Topic.choices, default=Topic.OVERVIEW
    )
    is_headline = models.BooleanField(_("headline figure"), default=False)
    as_of = models.DateField(_("as of"))
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="figures", verbose_name=_("source")
    )
    is_reported = models.BooleanField(
        _("reported fact"), default=True, help_text=_("Untick for demo or derived numbers.")
    )
    compared_with = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("compared with"),
        help_text=_("Another figure this one is measured against, e.g. a commitment."),
    )
    order = models.PositiveSmallIntegerField(_("display order"), default=0)

    class Meta:
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="figure_value_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.value_display}{self.unit}"

    def get_absolute_url(self) -> str:
        return f"{reverse('cooperation:dashboard')}#figure-{self.key}"

    def clean(self):
        if self.is_reported and self.source_id and not self.source.is_reported:
            raise ValidationError({"is_reported": _("A reported fact needs a reported source.")})

    @property
    def value_display(self) -> str:
        """The value as a reader writes it, in the active language: "≥1亿", "100 million", "6000+"."""
        return figure_display(self.value, self.qualifier)


class AnnualSupport(Traditional, Sourced):
    """Dongcheng's support money for one year: reported, derived from a
    reported total, or the agreed minimum."""

    class Basis(models.TextChoices):
        REPORTED = "reported", _("reported")
        DERIVED = "derived", _("derived from a reported total")
        COMMITTED = "committed", _("agreed minimum")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    basis = models.CharField(_("basis"), max_length=10, choices=Basis.choices)
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="annual_support",
        verbose_name=_("agreement"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("annual support")
        verbose_name_plural = _("annual support")
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="annualsupport_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100),
                name="annualsupport_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {compact_number(self.amount)}"

    def get_absolute_url(self) -> str:
        return f"{reverse('cooperation:dashboard')}#support-by-year"
