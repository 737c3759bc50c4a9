from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from cooperation.models import AnnualSupport, FundInvestment, Pairing, Project, Source
from tests.factories import AreaFactory, DistrictFactory, DongchengFactory, OrganizationFactory

from .factories import (
    AgreementFactory,
    AnnualSupportFactory,
    DemoSourceFactory,
    FieldFactory,
    FigureFactory,
    FundFactory,
    FundInvestmentFactory,
    PairingFactory,
    ProjectFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


def violates(factory, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


def test_source_string_and_url():
    source = SourceFactory()
    assert str(source) == "人民网, 2023-07-02: 怀柔东城结对协作五年 经济社会多领域结硕果"
    assert source.get_absolute_url() == source.url
    assert source.is_reported
    demo = DemoSourceFactory()
    assert str(demo) == "本站: 示例数据"
    assert not demo.is_reported


def test_a_reported_source_needs_a_date():
    violates(SourceFactory, key="undated", published_on=None, kind=Source.Kind.REPORTED)


def test_translated_names_follow_the_language():
    field = FieldFactory(name_zh_hans="乡村振兴", name_en="Rural revitalisation")
    with translation.override("en"):
        assert str(field) == "Rural revitalisation"
    with translation.override("zh-hans"):
        assert str(field) == "乡村振兴"
    chinese_only = FieldFactory(name_zh_hans="服务民生", name_en=None)
    with translation.override("en"):
        assert chinese_only.name == "服务民生"  # falls back to Chinese


def test_agreement_committed_total():
    five_years = AgreementFactory(
        period_start=2023, period_end=2027, annual_commitment=Decimal("100000000")
    )
    assert five_years.years == 5
    assert five_years.committed_total == Decimal("500000000")
    fixed = AgreementFactory(annual_commitment=None, total_commitment=Decimal("400000000"))
    assert fixed.committed_total == Decimal("400000000")
    unknown = AgreementFactory(annual_commitment=None, total_commitment=None)
    assert unknown.committed_total is None
    assert five_years.get_absolute_url() == f"/cooperation/agreements/{five_years.slug}/"


def test_agreement_constraints():
    violates(AgreementFactory, period_start=2027, period_end=2023)
    violates(AgreementFactory, annual_commitment=Decimal("-1"))
    violates(AgreementFactory, total_commitment=Decimal("0"))
    violates(AgreementFactory, round=0, slug="round-zero")


def test_agreement_clean_checks_the_signing_date_against_the_year():
    agreement = AgreementFactory.build(signed_year=2018, signed_on=date(2023, 6, 30))
    with pytest.raises(ValidationError) as error:
        agreement.clean()
    assert "signed_on" in error.value.message_dict


def test_project_constraints_and_clean():
    violates(ProjectFactory, amount=Decimal("0"))
    violates(ProjectFactory, year=1900)
    project = ProjectFactory(year=None, amount=None)  # both may be unknown
    assert project.get_absolute_url() == f"/cooperation/projects/{project.slug}/"
    outside = ProjectFactory.build(agreement=project.agreement, year=2030, field=project.field)
    with pytest.raises(ValidationError) as error:
        outside.clean()
    assert "year" in error.value.message_dict


def test_project_only_moves_forward():
    project = ProjectFactory(status=Project.Status.IN_PROGRESS)
    assert project.can_move_to(Project.Status.COMPLETED)
    assert not project.can_move_to(Project.Status.PLANNED)
    assert not project.can_move_to(Project.Status.IN_PROGRESS)


def test_fund_constraints():
    violates(FundFactory, slug="f1", per_company_cap=Decimal("3000001"))
    violates(FundFactory, slug="f2", size=Decimal("1000000"), per_company_cap=Decimal("2000000"))
    violates(FundFactory, slug="f3", size=Decimal("0"))
    fund = FundFactory()
    assert fund.get_absolute_url() == "/cooperation/fund/#fund-sensor-fund"


def test_fund_investment_database_caps():
    # The report's rule, enforced by the database whatever path writes the row.
    violates(FundInvestmentFactory, amount=Decimal("3000000.01"))
    violates(FundInvestmentFactory, amount=Decimal("0"))
    violates(
        FundInvestmentFactory,
        status=FundInvestment.Status.INVESTED,
        amount=None,
        invested_on=date(2023, 1, 1),
    )
    violates(
        FundInvestmentFactory,
        status=FundInvestment.Status.INVESTED,
        amount=Decimal("1"),
        invested_on=None,
    )
    violates(
        FundInvestmentFactory, status=FundInvestment.Status.PIPELINE, invested_on=date(2023, 1, 1)
    )
    row = FundInvestmentFactory(amount=Decimal("3000000"))
    violates(FundInvestmentFactory, fund=row.fund, company=row.company)  # one row per company
    with translation.override("en"):
        assert str(row) == f"{row.company} (in the pipeline)"
    assert row.get_absolute_url() == f"/cooperation/fund/#investment-{row.pk}"


def test_pairing_needs_exactly_one_partner_on_each_side():
    dongcheng_area = AreaFactory(district=DongchengFactory(), kind="subdistrict")
    huairou_area = AreaFactory(district=DistrictFactory(), kind="town")
    school = OrganizationFactory(district=DongchengFactory())
    violates(PairingFactory, dongcheng_area=None, huairou_area=huairou_area)
    violates(
        PairingFactory,
        dongcheng_area=dongcheng_area,
        dongcheng_organization=school,
        huairou_area=huairou_area,
    )
    pairing = PairingFactory(
        dongcheng_area=None, dongcheng_organization=school, huairou_area=huairou_area
    )
    assert pairing.dongcheng_side == school
    assert pairing.huairou_side == huairou_area
    assert str(pairing) == f"{school} ↔ {huairou_area}"
    assert (
        pairing.get_absolute_url()
        == f"/cooperation/pairings/?kind=town_street#pairing-{pairing.pk}"
    )


def test_pairing_clean_checks_the_districts():
    huairou_area = AreaFactory(district=DistrictFactory(), kind="town")
    wrong = Pairing(
        kind=Pairing.Kind.SPORTS, dongcheng_area=huairou_area, huairou_area=huairou_area
    )
    with pytest.raises(ValidationError) as error:
        wrong.clean()
    assert "dongcheng_area" in error.value.message_dict
    neither = Pairing(kind=Pairing.Kind.SPORTS, huairou_area=huairou_area)
    with pytest.raises(ValidationError) as error:
        neither.clean()
    assert "dongcheng_organization" in error.value.message_dict


def test_figure_value_display_and_reported_source():
    figure = FigureFactory(value=Decimal("100000000"), qualifier="at_least")
    with translation.override("zh-hans"):
        assert figure.value_display == "≥1亿"
        assert str(figure).startswith(figure.label_zh_hans)
    with translation.override("en"):
        assert figure.value_display == "≥100 million"
    assert figure.get_absolute_url() == f"/cooperation/#figure-{figure.key}"
    demo_figure = FigureFactory.build(source=DemoSourceFactory(), is_reported=True)
    with pytest.raises(ValidationError):
        demo_figure.clean()
    violates(FigureFactory, value=Decimal("-1"))


def test_annual_support_constraints_and_string():
    row = AnnualSupportFactory(year=2018, amount=Decimal("80000000"))
    with translation.override("zh-hans"):
        assert str(row) == "2018: 8000万"
    assert row.get_absolute_url() == "/cooperation/#support-by-year"
    violates(AnnualSupportFactory, year=2019, amount=Decimal("0"))
    violates(AnnualSupportFactory, year=1990)
    assert AnnualSupport.Basis.COMMITTED.label
