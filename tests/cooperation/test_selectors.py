from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import translation

from cooperation import selectors
from cooperation.models import FundInvestment, Pairing, Project
from core import figures
from tests.factories import AreaFactory, DongchengFactory, OrganizationFactory

from .factories import (
    AgreementFactory,
    AnnualSupportFactory,
    FieldFactory,
    FigureFactory,
    FundFactory,
    FundInvestmentFactory,
    PairingFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


def test_headline_figures_in_order_with_their_source(django_assert_num_queries):
    second = FigureFactory(order=2, is_headline=True)
    first = FigureFactory(order=1, is_headline=True)
    FigureFactory(order=0, is_headline=False)
    with django_assert_num_queries(1):
        figures = selectors.headline_figures()
        assert [f.source.publisher for f in figures]  # loaded with the figures
    assert figures == [first, second]
    # The contract the home page relies on.
    with translation.override("en"):
        assert figures[0].value_display == "100 million"
    assert figures[0].unit and figures[0].label and figures[0].is_reported


def test_live_figures_come_from_every_registered_provider_in_order():
    with figures.only(provider, lambda: [figures.LiveFigure(label="Seats", value=3)]):
        assert figures.live() == [
            figures.LiveFigure(label="Sales", value=Decimal("12.5"), unit="yuan", note=""),
            figures.LiveFigure(label="Seats", value=3),
        ]


def provider():
    return [{"label": "Sales", "value": Decimal("12.5"), "unit": "yuan"}]


def test_dashboard_groups_figures_and_counts(build_programme):
    build_programme(6)
    board = selectors.dashboard()
    assert len(board.headline) == 3
    assert [t.topic for t in board.topics] == ["overview", "fund", "education"]
    assert [s.year for s in board.support] == list(range(2018, 2028))
    assert board.commitment.round == 1
    assert board.project_total == 6
    assert {f.project_count for f in board.fields} == {2}
    assert [r.kind for r in board.pairing_kinds] == ["education", "town_street", "sports"]
    assert board.support_bases == ["derived"]
    assert len(board.sources) == 1


def test_pairing_kinds_count_distinct_partners_on_each_side():
    dongcheng = DongchengFactory()
    schools = [OrganizationFactory(district=dongcheng) for _ in range(3)]
    for index in range(4):
        PairingFactory(
            kind=Pairing.Kind.EDUCATION,
            dongcheng_area=None,
            dongcheng_organization=schools[index % 3],
        )
    (row,) = selectors.pairing_kinds()
    assert (row.kind, row.pairings, row.huairou_sides, row.dongcheng_sides, row.demo) == (
        "education",
        4,
        4,
        3,
        4,
    )


def test_fields_with_projects_sum_amounts():
    field = FieldFactory()
    ProjectFactory(field=field, amount=Decimal("100"), is_demo=True)
    ProjectFactory(field=field, amount=None)
    FieldFactory()
    counted = {f.pk: f for f in selectors.fields_with_projects()}
    assert counted[field.pk].project_count == 2
    assert counted[field.pk].demo_count == 1
    assert counted[field.pk].project_amount == Decimal("100")
    assert {f.project_count for f in counted.values()} == {0, 2}


def test_agreement_list_annotates_projects():
    agreement = AgreementFactory()
    ProjectFactory.create_batch(2, agreement=agreement, amount=Decimal("10"))
    (row,) = selectors.agreement_list()
    assert (row.project_count, row.project_amount) == (2, Decimal("20"))


def test_agreement_detail_prefetches_and_404s(django_assert_num_queries):
    agreement = AgreementFactory(slug="2023-2027")
    agreement.fields.set([FieldFactory()])
    ProjectFactory.create_batch(3, agreement=agreement)
    AnnualSupportFactory(year=2023, agreement=agreement)
    FundFactory(agreement=agreement)
    with django_assert_num_queries(5):
        found = selectors.agreement_detail(slug="2023-2027")
        assert len(found.projects.all()) == 3
        assert [p.field.name for p in found.projects.all()]
        assert len(found.fields.all()) == 1
        assert len(found.annual_support.all()) == 1
        assert len(found.funds.all()) == 1
    with pytest.raises(Http404):
        selectors.agreement_detail(slug="nope")


def test_project_filters():
    town = AreaFactory(kind="town")
    village = AreaFactory(kind="village", parent=town, district=town.district)
    field = FieldFactory(code="rural")
    agreement = AgreementFactory(slug="a2")
    in_town = ProjectFactory(
        area=town, field=field, status=Project.Status.COMPLETED, title_en="Chestnut orchards"
    )
    in_village = ProjectFactory(
        area=village, agreement=agreement, title_zh_hans="红薯产业", summary_en="sweet potatoes"
    )
    elsewhere = ProjectFactory()

    assert set(selectors.project_list()) == {in_town, in_village, elsewhere}
    assert list(selectors.project_list(field=field)) == [in_town]
    assert list(selectors.project_list(status="completed")) == [in_town]
    assert list(selectors.project_list(agreement=agreement)) == [in_village]
    # A town's projects include its villages'.
    assert set(selectors.project_list(area=town)) == {in_town, in_village}
    # Search looks at both languages whatever the page's language.
    with translation.override("zh-hans"):
        assert list(selectors.project_list(q="chestnut")) == [in_town]
    with translation.override("en"):
        assert list(selectors.project_list(q="红薯")) == [in_village]
        assert list(selectors.project_list(q="  SWEET potatoes ")) == [in_village]


def test_reported_projects_come_first_then_newest():
    old = ProjectFactory(year=2018)
    unknown_year = ProjectFactory(year=None)
    new = ProjectFactory(year=2022)
    demo = ProjectFactory(year=2025, is_demo=True)
    assert list(selectors.project_list()) == [new, old, unknown_year, demo]


def test_project_detail():
    project = ProjectFactory(slug="corridor")
    assert selectors.project_detail(slug="corridor") == project
    with pytest.raises(Http404):
        selectors.project_detail(slug="missing")


def test_project_filter_choices_offer_only_areas_with_projects():
    town = AreaFactory(kind="town")
    village = AreaFactory(kind="village", parent=town, district=town.district)
    AreaFactory(kind="town")  # no projects
    ProjectFactory(area=village)
    choices = selectors.project_filter_choices()
    assert set(choices["areas"]) == {town, village}


def test_pairing_list_filters_by_kind_and_follows_the_report_order():
    sports = PairingFactory(kind=Pairing.Kind.SPORTS)
    school = PairingFactory(kind=Pairing.Kind.EDUCATION)
    assert list(selectors.pairing_list(kind="sports")) == [sports]
    assert list(selectors.pairing_list()) == [school, sports]


def test_pairing_groups_share_a_common_note(django_assert_num_queries):
    villages = PairingFactory.create_batch(
        3, kind=Pairing.Kind.CHAMBER_VILLAGE, note_zh_hans="示例"
    )
    mixed = [
        PairingFactory(kind=Pairing.Kind.SPORTS, note_zh_hans="甲", is_demo=False),
        PairingFactory(kind=Pairing.Kind.SPORTS, note_zh_hans="乙"),
    ]
    with django_assert_num_queries(1):
        groups = selectors.pairing_groups()
    assert [(g.kind, g.pairings) for g in groups] == [
        ("chamber_village", villages),
        ("sports", mixed),
    ]
    assert (groups[0].common_note, groups[0].all_demo) == ("示例", True)
    assert (groups[1].common_note, groups[1].all_demo) == ("", False)
    assert [g.kind for g in selectors.pairing_groups(kind="sports")] == ["sports"]


def test_fund_overview_counts_and_caps(django_assert_num_queries):
    fund = FundFactory(size=Decimal("10000000"))
    FundInvestmentFactory.create_batch(3, fund=fund, sector="ai")
    FundInvestmentFactory(fund=fund, sector="")
    FundInvestmentFactory(
        fund=fund,
        sector="ai",
        status="invested",
        amount=Decimal("2500000"),
        invested_on="2023-01-01",
    )
    with django_assert_num_queries(2):
        (overview,) = selectors.fund_overviews()
        names = [i.company.name for i in overview.investments]
    assert len(names) == 5
    assert len(overview.pipeline) == 4
    assert len(overview.invested) == 1
    assert overview.invested_total == Decimal("2500000")
    assert overview.remaining == Decimal("7500000")
    assert overview.cap_used_percent == Decimal("25.0")
    sectors = {row.sector: row for row in overview.sectors}
    assert (sectors["ai"].pipeline, sectors["ai"].invested, sectors["ai"].invested_amount) == (
        3,
        1,
        Decimal("2500000"),
    )
    assert sectors[""].pipeline == 1  # sector not reported
    assert len(sectors) == len(FundInvestment.Sector) + 1


def test_figure_list_is_ordered():
    b = FigureFactory(order=2)
    a = FigureFactory(order=1)
    assert list(selectors.figure_list()) == [a, b]
