"""Factories for the cooperation programme (districts, areas and organizations
are in tests/factories.py)."""

from datetime import date
from decimal import Decimal

import factory

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
from organizations.models import Organization
from tests.factories import AreaFactory, DistrictFactory, DongchengFactory, OrganizationFactory


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ("key",)

    key = "people-2023-07-02"
    publisher_zh_hans = "人民网"
    publisher_en = "People's Daily Online"
    title_zh_hans = "怀柔东城结对协作五年 经济社会多领域结硕果"
    title_en = "Huairou and Dongcheng: five years of paired cooperation"
    published_on = date(2023, 7, 2)
    url = "http://bj.people.com.cn/"
    kind = Source.Kind.REPORTED


class DemoSourceFactory(SourceFactory):
    key = "demo"
    publisher_zh_hans = "本站"
    publisher_en = "This site"
    title_zh_hans = "示例数据"
    title_en = "Demo data"
    published_on = None
    url = ""
    kind = Source.Kind.DEMO


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Field
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"field-{n}")
    name_zh_hans = factory.Sequence(lambda n: f"领域{n}")
    name_en = factory.Sequence(lambda n: f"Field {n}")
    order = factory.Sequence(int)


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement
        django_get_or_create = ("round",)

    round = factory.Sequence(lambda n: n + 1)
    slug = factory.LazyAttribute(lambda a: f"round-{a.round}")
    title_zh_hans = factory.LazyAttribute(lambda a: f"第{a.round}轮框架协议")
    title_en = factory.LazyAttribute(lambda a: f"Framework agreement, round {a.round}")
    signed_year = 2023
    signed_on = date(2023, 6, 30)
    period_start = 2023
    period_end = 2027
    annual_commitment = Decimal("100000000")
    annual_commitment_is_minimum = True
    source = factory.SubFactory(SourceFactory)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    slug = factory.Sequence(lambda n: f"project-{n}")
    title_zh_hans = factory.Sequence(lambda n: f"共建项目{n}")
    title_en = factory.Sequence(lambda n: f"Joint project {n}")
    field = factory.SubFactory(FieldFactory)
    agreement = factory.SubFactory(AgreementFactory)
    area = factory.SubFactory(AreaFactory, kind="town")
    amount = Decimal("5000000")
    status = Project.Status.PLANNED
    year = 2024
    summary_zh_hans = "示例"
    summary_en = "Example"
    source = factory.SubFactory(SourceFactory)


class FundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fund
        django_get_or_create = ("slug",)

    slug = "sensor-fund"
    name_zh_hans = "仪器传感器产业发展基金"
    name_en = "Instrument & Sensor Industry Development Fund"
    size = Decimal("100000000")
    per_company_cap = Decimal("3000000")
    source = factory.SubFactory(SourceFactory)


class CompanyFactory(OrganizationFactory):
    kind = Organization.Kind.FUND_COMPANY
    slug = factory.Sequence(lambda n: f"company-{n}")
    name_zh_hans = factory.Sequence(lambda n: f"企业{n}")
    name_en = factory.Sequence(lambda n: f"Company {n}")


class FundInvestmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundInvestment

    fund = factory.SubFactory(FundFactory)
    company = factory.SubFactory(CompanyFactory)
    sector = FundInvestment.Sector.SENSORS
    stage = FundInvestment.Stage.SEED
    status = FundInvestment.Status.PIPELINE


class PairingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pairing

    kind = Pairing.Kind.TOWN_STREET
    dongcheng_area = factory.SubFactory(
        AreaFactory, district=factory.SubFactory(DongchengFactory), kind="subdistrict"
    )
    huairou_area = factory.SubFactory(
        AreaFactory, district=factory.SubFactory(DistrictFactory), kind="town"
    )
    since = 2018
    is_demo = True


class FigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Figure

    key = factory.Sequence(lambda n: f"figure-{n}")
    label_zh_hans = factory.Sequence(lambda n: f"数字{n}")
    label_en = factory.Sequence(lambda n: f"Figure {n}")
    value = Decimal("100000000")
    unit_zh_hans = "元"
    unit_en = "yuan"
    as_of = date(2023, 7, 2)
    source = factory.SubFactory(SourceFactory)
    is_headline = True
    order = factory.Sequence(int)


class AnnualSupportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualSupport
        django_get_or_create = ("year",)

    year = factory.Sequence(lambda n: 2018 + n)
    amount = Decimal("80000000")
    basis = AnnualSupport.Basis.DERIVED
    source = factory.SubFactory(SourceFactory)
