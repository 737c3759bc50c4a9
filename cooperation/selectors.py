"""Reads of the cooperation programme. Every list is built with its joins and
aggregates up front, so a page or an API list costs the same few queries
whether it shows 5 rows or 500."""

import logging
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Case, Count, DecimalField, F, Prefetch, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from cooperation.models import (
    Agreement,
    AnnualSupport,
    Field,
    Figure,
    Fund,
    FundInvestment,
    Pairing,
    Project,
    Source,
)
from core import search
from core.figures import ImpactRow, LiveFigure
from core.figures import impact as impact_rows
from core.figures import live as live_figures
from organizations.models import Area, District

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)

# Reported facts first, newest first, projects without a known year last.
YEAR_DESC = (F("year").desc(nulls_last=True), "pk")
ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=14, decimal_places=2))


# --- Figures ------------------------------------------------------------------------


def figure_list() -> QuerySet[Figure]:
    return Figure.objects.select_related("source", "compared_with").order_by("order", "pk")


def headline_figures() -> list[Figure]:
    """The headline figures, in display order, each with its source loaded.

    Contract used by the home page: each item has ``value_display``, ``unit``,
    ``label``, ``source`` and ``is_reported``.
    """
    return list(figure_list().filter(is_headline=True))


# --- The dashboard ----------------------------------------------------------------------


@dataclass
class TopicFigures:
    topic: str
    label: "StrOrPromise"
    figures: list[Figure]


@dataclass
class PairingKindRow:
    kind: str
    label: "StrOrPromise"
    pairings: int
    dongcheng_sides: int
    huairou_sides: int
    demo: int
    sources: list[Source] = field(default_factory=list)

    @property
    def is_demo(self) -> bool:
        """Some of the pairings counted are demo data."""
        return self.demo > 0


@dataclass
class Dashboard:
    headline: list[Figure]
    topics: list[TopicFigures]
    support: list[AnnualSupport]
    commitment: Agreement | None
    fields: list["FieldRow"]
    pairing_kinds: list[PairingKindRow]
    live: list[LiveFigure]
    sources: list[Source] = field(default_factory=list)
    impact: "Impact | None" = None

    @property
    def project_total(self) -> int:
        return sum(f.project_count for f in self.fields)

    @property
    def support_bases(self) -> list[str]:
        """The bases present in the support-by-year chart, for its legend."""
        present = {row.basis for row in self.support}
        return [basis for basis in AnnualSupport.Basis.values if basis in present]


@dataclass
class FieldRow:
    """A row of "joint projects by field": a field with the earlier fields
    counted with it (``Field.merged_into``), their projects added up, and the
    sources those projects cite."""

    field: Field
    merged: list[Field]
    project_count: int
    demo_count: int
    project_amount: Decimal
    sources: list[Source]

    @property
    def pk(self) -> int:
        return self.field.pk

    @property
    def code(self) -> str:
        return self.field.code

    @property
    def name(self) -> str:
        return self.field.name

    @property
    def is_demo(self) -> bool:
        """Some of the projects counted are demo data."""
        return self.demo_count > 0

    def get_absolute_url(self) -> str:
        return self.field.get_absolute_url()


def _sources_by(key: str) -> dict:
    """{value of ``key``: [Source, …]}: the sources cited by the rows behind a
    count, e.g. ``"projects__field_id"``, reported ones first (one query)."""
    result: dict = {}
    found = (
        Source.objects.annotate(row_key=F(key)).filter(row_key__isnull=False).order_by().distinct()
    )
    for source in found:
        result.setdefault(source.row_key, []).append(source)
    for sources in result.values():
        sources.sort(key=lambda s: (not s.is_reported, s.pk))
    return result


def fields_with_projects() -> list[FieldRow]:
    """The fields that stand on their own, each with its own projects and those
    of the fields merged into it: ``project_count``, ``demo_count``,
    ``project_amount`` and ``sources`` (two queries, however many projects)."""
    fields = list(
        Field.objects.annotate(
            project_count=Count("projects"),
            demo_count=Count("projects", filter=Q(projects__is_demo=True)),
            project_amount=Coalesce(Sum("projects__amount"), ZERO),
        ).order_by("order", "pk")
    )
    by_pk = {f.pk: f for f in fields}
    sources = _sources_by("projects__field_id")

    def owner(f: Field) -> Field:
        # Field.clean allows one level; a chain made some other way stays apart.
        target = by_pk.get(f.merged_into_id) if f.merged_into_id else None
        return target if target is not None and target.merged_into_id is None else f

    rows = {f.pk: FieldRow(f, [], 0, 0, Decimal(0), []) for f in fields if owner(f) is f}
    for f in fields:
        row = rows[owner(f).pk]
        if row.field is not f:
            row.merged.append(f)
        row.project_count += f.project_count
        row.demo_count += f.demo_count
        row.project_amount += f.project_amount
        row.sources.extend(x for x in sources.get(f.pk, []) if x not in row.sources)
    for row in rows.values():
        row.sources.sort(key=lambda x: (not x.is_reported, x.pk))
    return list(rows.values())


def pairing_kinds(*, with_sources: bool = False) -> list[PairingKindRow]:
    """Pairings counted by kind, with how many distinct partners each side has
    (so "4 Huairou schools ↔ 3 Dongcheng schools" reads straight off the rows),
    and, ``with_sources``, the sources the pairings of each kind cite (one
    query more: the dashboard and its download show them, the kind filter not)."""
    rows = {
        row["kind"]: row
        for row in Pairing.objects.order_by()
        .values("kind")
        .annotate(
            pairings=Count("pk"),
            dc_orgs=Count("dongcheng_organization", distinct=True),
            dc_areas=Count("dongcheng_area", distinct=True),
            hr_orgs=Count("huairou_organization", distinct=True),
            hr_areas=Count("huairou_area", distinct=True),
            demo=Count("pk", filter=Q(is_demo=True)),
        )
    }
    sources = _sources_by("pairings__kind") if with_sources else {}
    result = []
    for kind in Pairing.Kind:
        row = rows.get(kind.value)
        if row is None:
            continue
        result.append(
            PairingKindRow(
                kind=kind.value,
                label=kind.label,
                pairings=row["pairings"],
                dongcheng_sides=row["dc_orgs"] + row["dc_areas"],
                huairou_sides=row["hr_orgs"] + row["hr_areas"],
                demo=row["demo"],
                sources=sources.get(kind.value, []),
            )
        )
    return result


def annual_support() -> list[AnnualSupport]:
    """Dongcheng's support by year, oldest first, with agreement and source."""
    return list(AnnualSupport.objects.select_related("agreement", "source").order_by("year"))


def dashboard() -> Dashboard:
    """Everything `/cooperation/` shows, in a constant number of queries."""
    figures = list(figure_list())
    headline = [f for f in figures if f.is_headline]
    by_topic: dict[str, list[Figure]] = {}
    for figure in figures:
        if not figure.is_headline:
            by_topic.setdefault(figure.topic, []).append(figure)
    topics = [
        TopicFigures(topic=topic.value, label=topic.label, figures=by_topic[topic.value])
        for topic in Figure.Topic
        if topic.value in by_topic
    ]
    support = annual_support()
    commitments = [s.agreement for s in support if s.agreement and s.agreement.annual_commitment]
    commitment = max(commitments, key=lambda a: a.round) if commitments else None
    sources = {f.source_id: f.source for f in figures}
    sources.update({s.source.pk: s.source for s in support if s.source is not None})
    return Dashboard(
        headline=headline,
        topics=topics,
        support=support,
        commitment=commitment,
        fields=fields_with_projects(),
        pairing_kinds=pairing_kinds(with_sources=True),
        live=live_figures(),
        sources=sorted(sources.values(), key=lambda s: (s.kind, s.pk)),
        impact=impact(),
    )


# --- The impact roll-up -------------------------------------------------------------------


@dataclass
class ImpactTotal:
    key: str
    count: int = 0
    units: int = 0
    amount: Decimal = Decimal("0")
    is_demo: bool = False

    def add(self, row: ImpactRow) -> None:
        self.count += row.count
        self.units += row.units
        self.amount += row.amount
        self.is_demo = self.is_demo or row.is_demo


@dataclass
class ImpactMonth:
    month: date
    retail: ImpactTotal
    bulk: ImpactTotal
    tours: ImpactTotal


@dataclass
class Impact:
    """What the programme's own channels sold and booked within the current
    agreement's period (its first to its last year), live from this site's
    records: by month and channel, and by village, producer, counter and route."""

    agreement: Agreement
    rows: list[ImpactRow]
    months: list[ImpactMonth]
    by_village: list[ImpactTotal]
    by_producer: list[ImpactTotal]
    by_counter: list[ImpactTotal]
    by_route: list[ImpactTotal]

    @property
    def is_demo(self) -> bool:
        return any(r.is_demo for r in self.rows)


def current_agreement() -> Agreement | None:
    return Agreement.objects.order_by("-round").first()


def impact(agreement: Agreement | None = None) -> Impact | None:
    agreement = agreement or current_agreement()
    if agreement is None:
        return None
    rows = impact_rows(date(agreement.period_start, 1, 1), date(agreement.period_end, 12, 31))

    def grouped(attribute: str, channels: tuple[str, ...]) -> list[ImpactTotal]:
        totals: dict[str, ImpactTotal] = {}
        for row in rows:
            key = getattr(row, attribute)
            if row.channel in channels and key:
                totals.setdefault(key, ImpactTotal(key=key)).add(row)
        return sorted(totals.values(), key=lambda t: (-t.amount, t.key))

    months: dict[date, ImpactMonth] = {}
    for row in rows:
        month = months.setdefault(
            row.month,
            ImpactMonth(
                row.month, ImpactTotal("retail"), ImpactTotal("bulk"), ImpactTotal("tours")
            ),
        )
        getattr(month, row.channel).add(row)
    return Impact(
        agreement=agreement,
        rows=rows,
        months=[months[m] for m in sorted(months)],
        by_village=grouped("village", ("retail", "bulk")),
        by_producer=grouped("producer", ("retail", "bulk")),
        by_counter=grouped("counter", ("retail",)),
        by_route=grouped("route", ("tours",)),
    )


# --- Agreements -------------------------------------------------------------------------


def agreement_list() -> QuerySet[Agreement]:
    return (
        Agreement.objects.select_related("source")
        .prefetch_related("fields")
        .annotate(
            project_count=Count("projects", distinct=True),
            project_amount=Coalesce(Sum("projects__amount"), ZERO),
        )
        .order_by("round")
    )


def agreement_detail(*, slug: str) -> Agreement:
    projects = Project.objects.select_related("field", "area").order_by("is_demo", *YEAR_DESC)
    return get_object_or_404(
        Agreement.objects.select_related("source").prefetch_related(
            "fields",
            Prefetch("projects", queryset=projects),
            Prefetch("funds", queryset=Fund.objects.order_by("pk")),
            Prefetch("annual_support", queryset=AnnualSupport.objects.order_by("year")),
        ),
        slug=slug,
    )


# --- Projects ---------------------------------------------------------------------------


def filter_projects(
    queryset: QuerySet[Project],
    *,
    field: Field | None = None,
    status: str | None = None,
    agreement: Agreement | None = None,
    area: Area | None = None,
    q: str | None = None,
) -> QuerySet[Project]:
    """Narrows ``queryset`` by the public filters. ``q`` is the site search
    (core.search) over the title and summary in every language, so a Chinese
    query finds a project on the English page and the other way round."""
    if field is not None:
        # With the earlier fields counted with it (Field.merged_into), as the
        # dashboard counts them.
        queryset = queryset.filter(Q(field=field) | Q(field__merged_into=field))
    if status:
        queryset = queryset.filter(status=status)
    if agreement is not None:
        queryset = queryset.filter(agreement=agreement)
    if area is not None:
        # A town's projects include those in its villages.
        queryset = queryset.filter(Q(area=area) | Q(area__parent=area))
    if q and q.strip():
        # The site search (core.search), best matches first.
        ordering = queryset.query.order_by or Project._meta.ordering or ()
        return search.filter_queryset(queryset, q).order_by("-search_rank", *ordering)
    return queryset


def project_list(**filters) -> QuerySet[Project]:
    queryset = Project.objects.select_related(
        "field", "agreement", "area", "lead_organization", "source"
    ).order_by("is_demo", *YEAR_DESC)
    return filter_projects(queryset, **filters)


def project_detail(*, slug: str) -> Project:
    return get_object_or_404(
        Project.objects.select_related(
            "field", "agreement", "area__district", "lead_organization", "source"
        ),
        slug=slug,
    )


def project_filter_choices() -> dict:
    """Choices for the project filters: every field and agreement, and the areas
    that have projects (an area with none would only ever give an empty list)."""
    return {
        "fields": Field.objects.order_by("order", "pk"),
        "agreements": Agreement.objects.order_by("round"),
        "areas": Area.objects.filter(
            Q(projects__isnull=False) | Q(children__projects__isnull=False)
        )
        .distinct()
        .order_by("district", "kind", "pk"),
    }


# --- Pairings ---------------------------------------------------------------------------


# Kinds in the order the report (and Pairing.Kind) lists them, not alphabetically.
KIND_ORDER = Case(
    *(When(kind=kind, then=Value(index)) for index, kind in enumerate(Pairing.Kind.values)),
    default=Value(len(Pairing.Kind.values)),
)


def pairing_list(*, kind: str | None = None) -> QuerySet[Pairing]:
    queryset = Pairing.objects.select_related(
        "dongcheng_organization", "dongcheng_area", "huairou_organization", "huairou_area", "source"
    ).order_by(KIND_ORDER, "is_demo", "pk")
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset


@dataclass
class PairingGroup:
    kind: str
    label: "StrOrPromise"
    pairings: list[Pairing]

    @property
    def common_note(self) -> str:
        """The note, when every pairing of the group has the same one (shown once)."""
        notes = {p.note for p in self.pairings}
        return notes.pop() if len(notes) == 1 else ""

    @property
    def all_demo(self) -> bool:
        return all(p.is_demo for p in self.pairings)


def pairing_groups(*, kind: str | None = None) -> list[PairingGroup]:
    """Pairings grouped by kind, in the report's order (one query)."""
    groups: dict[str, PairingGroup] = {}
    labels = dict(Pairing.Kind.choices)
    for pairing in pairing_list(kind=kind):
        group = groups.setdefault(
            pairing.kind, PairingGroup(pairing.kind, labels[pairing.kind], [])
        )
        group.pairings.append(pairing)
    return list(groups.values())


# --- The fund ---------------------------------------------------------------------------


@dataclass
class SectorRow:
    sector: str
    label: "StrOrPromise"
    pipeline: int = 0
    invested: int = 0
    invested_amount: Decimal = Decimal(0)


@dataclass
class FundOverview:
    fund: Fund
    investments: list[FundInvestment]
    sectors: list[SectorRow]

    @property
    def pipeline(self) -> list[FundInvestment]:
        return [i for i in self.investments if i.status == FundInvestment.Status.PIPELINE]

    @property
    def invested(self) -> list[FundInvestment]:
        return [i for i in self.investments if i.status == FundInvestment.Status.INVESTED]

    @property
    def invested_total(self) -> Decimal:
        # An invested row always has an amount (fundinvestment_invested_has_amount_and_date).
        return sum((i.amount or Decimal(0) for i in self.invested), Decimal(0))

    @property
    def remaining(self) -> Decimal:
        return max(self.fund.size - self.invested_total, Decimal(0))

    @property
    def cap_used_percent(self) -> Decimal:
        if not self.fund.size:
            return Decimal(0)
        return (self.invested_total * 100 / self.fund.size).quantize(Decimal("0.1"))


def fund_overviews() -> list[FundOverview]:
    """Each fund with its pipeline and investments, and counts by sector
    (two queries, however many funds and companies)."""
    funds = list(Fund.objects.select_related("source", "agreement").order_by("pk"))
    investments = list(
        FundInvestment.objects.select_related("company").order_by(
            "fund", "status", "is_demo", "company__name"
        )
    )
    overviews = []
    for fund in funds:
        own = [i for i in investments if i.fund_id == fund.pk]
        sectors = {s.value: SectorRow(sector=s.value, label=s.label) for s in FundInvestment.Sector}
        unknown = SectorRow(sector="", label="")
        for investment in own:
            row = sectors.get(investment.sector, unknown)
            if investment.status == FundInvestment.Status.INVESTED:
                row.invested += 1
                row.invested_amount += investment.amount or 0
            else:
                row.pipeline += 1
        rows = list(sectors.values())
        if unknown.pipeline or unknown.invested:
            rows.append(unknown)
        overviews.append(FundOverview(fund=fund, investments=own, sectors=rows))
    return overviews


# --- The programme ledger (cooperation.iati) --------------------------------------------


@dataclass
class Ledger:
    """Everything `/cooperation/iati.xml` reports, read in a fixed number of queries."""

    agreements: list[Agreement]
    projects: list[Project]
    funds: list[FundOverview]
    pairings: list[Pairing]
    districts: dict[str, District]


def iati_ledger() -> Ledger:
    agreements = list(
        Agreement.objects.select_related("source")
        .prefetch_related(
            "fields", Prefetch("annual_support", queryset=AnnualSupport.objects.order_by("year"))
        )
        .order_by("round")
    )
    projects = list(
        Project.objects.select_related(
            "field", "agreement", "area", "lead_organization", "source"
        ).order_by("agreement__round", "is_demo", *YEAR_DESC)
    )
    return Ledger(
        agreements=agreements,
        projects=projects,
        funds=fund_overviews(),
        pairings=list(pairing_list()),
        districts={d.code: d for d in District.objects.all()},
    )
