"""The demo loader: every fact of the report as reported data citing it,
demo data marked as such, and a second run that changes nothing."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from cooperation import demo
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
from cooperation.selectors import dashboard, pairing_kinds
from organizations.models import Area, District, Organization

pytestmark = pytest.mark.django_db

MODELS = [
    Source,
    District,
    Area,
    Field,
    Agreement,
    Organization,
    Project,
    Fund,
    FundInvestment,
    Pairing,
    Figure,
    AnnualSupport,
]
YI = Decimal(100_000_000)


@pytest.fixture
def loaded():
    demo.load()


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_running_twice_duplicates_nothing_and_changes_nothing():
    out = io.StringIO()
    summary = demo.load(stdout=out)
    first = counts()
    snapshot = list(
        Figure.objects.values_list("key", "value", "label_en", "source_id", "is_reported")
    )
    demo.load()
    assert counts() == first
    assert (
        list(Figure.objects.values_list("key", "value", "label_en", "source_id", "is_reported"))
        == snapshot
    )
    assert "figures" in summary and "projects" in summary
    assert "pairings: 58" in out.getvalue()  # progress shown, one line a step


def test_areas_other_apps_need_are_there_with_coordinates(loaded):
    expected = {
        ("huairou", "雁栖镇", "Yanqi Town"): ("40.40", "116.67"),
        ("huairou", "怀柔镇", "Huairou Town"): ("40.32", "116.63"),
        ("huairou", "渤海镇", "Bohai Town"): ("40.43", "116.57"),
        ("huairou", "汤河口镇", "Tanghekou Town"): ("40.73", "116.63"),
        ("huairou", "怀北镇", "Huaibei Town"): ("40.40", "116.69"),
        ("huairou", "九渡河镇", "Jiuduhe Town"): ("40.36", "116.45"),
        ("dongcheng", "前门街道", "Qianmen Sub-district"): ("39.899", "116.398"),
        ("dongcheng", "天坛街道", "Tiantan Sub-district"): ("39.882", "116.407"),
    }
    for (district, zh, en), (lat, lon) in expected.items():
        found = Area.objects.get(district__code=district, name_zh_hans=zh)
        assert found.name_en == en
        assert (found.latitude, found.longitude) == (Decimal(lat), Decimal(lon))
        assert not found.is_demo  # real places


def test_an_area_is_reused_not_duplicated_by_other_loaders(loaded):
    huairou = District.objects.get(code="huairou")
    before = Area.objects.count()
    again = demo.area(huairou, "town", "雁栖镇", "Yanqi Town", lat="40.40", lon="116.67")
    assert Area.objects.count() == before
    assert again == Area.objects.get(name_zh_hans="雁栖镇")


def test_the_report_is_the_source_of_every_reported_fact(loaded):
    report = Source.objects.get(key="people-2023-07-02")
    assert (report.publisher_zh_hans, report.publisher_en) == ("人民网", "People's Daily Online")
    assert report.title_zh_hans == "怀柔东城结对协作五年 经济社会多领域结硕果"
    assert report.published_on == date(2023, 7, 2)
    assert report.url == "http://bj.people.com.cn/"
    assert not Figure.objects.exclude(source=report).exists()
    assert not Figure.objects.filter(is_reported=False).exists()
    assert not Project.objects.filter(is_demo=False).exclude(source=report).exists()
    assert not Project.objects.filter(is_demo=True, source=report).exists()


REPORTED_FIGURES = [
    ("annual-commitment", YI, "at_least"),  # ≥1亿元 a year
    ("first-round-support", 4 * YI, "exact"),  # 4亿元
    ("joint-projects", Decimal(20), "nearly"),  # nearly 20
    ("fund-size", YI, "exact"),
    ("fund-pipeline", Decimal(28), "exact"),  # 28 companies
    ("fund-cap-per-company", Decimal(3_000_000), "at_most"),  # 300万元
    ("fund-sectors", Decimal(7), "exact"),
    ("villages-out-of-weak-status", Decimal(26), "exact"),
    ("weak-villages", Decimal(26), "exact"),
    ("chambers", Decimal(8), "exact"),
    ("towns-huairou", Decimal(16), "exact"),
    ("streets-dongcheng", Decimal(17), "exact"),
    ("teaching-exchanges", Decimal(100), "more_than"),
    ("teacher-trainings", Decimal(6000), "more_than"),
    ("resident-teachers", Decimal(20), "more_than"),
    ("teaching-visits", Decimal(39), "exact"),
    ("teaching-visit-teachers", Decimal(300), "exact"),
    ("shadow-training", Decimal(43), "exact"),
    ("schools-huairou", Decimal(4), "exact"),
    ("schools-dongcheng", Decimal(3), "exact"),
    ("medical-huairou", Decimal(3), "exact"),
    ("medical-dongcheng", Decimal(3), "exact"),
    ("tcm-teams", Decimal(10), "exact"),
    ("tcm-clinics", Decimal(150), "more_than"),
    ("student-grants", Decimal(400_000), "exact"),  # 40万元
    ("grant-students", Decimal(108), "exact"),  # 108 students
    ("support-centres", Decimal(3), "exact"),
    ("huairou-counters", Decimal(4), "exact"),
    ("named-products", Decimal(4), "exact"),
    ("joint-routes", Decimal(2), "exact"),
    ("agreement-fields", Decimal(5), "exact"),
    ("other-fields", Decimal(6), "exact"),
]


def test_every_reported_figure(loaded):
    wrong = []
    for key, value, qualifier in REPORTED_FIGURES:
        figure = Figure.objects.get(key=key)
        if (figure.value, figure.qualifier) != (value, qualifier):
            wrong.append((key, figure.value, figure.qualifier))
        assert figure.label_zh_hans and figure.label_en, key
        assert figure.unit_zh_hans and figure.unit_en, key
        assert figure.is_reported, key
    assert not wrong
    assert Figure.objects.count() == len(REPORTED_FIGURES)


def test_headline_figures_read_as_the_report_writes_them(loaded):
    with translation.override("zh-hans"):
        shown = {f.key: f.value_display + f.unit for f in dashboard().headline}
    assert shown["annual-commitment"] == "≥1亿元"
    assert shown["first-round-support"] == "4亿元"
    assert shown["joint-projects"] == "近20个"
    assert shown["teacher-trainings"] == "6000+人次"
    assert shown["student-grants"] == "40万元"
    with translation.override("en"):
        shown = {f.key: f"{f.value_display} {f.unit}" for f in dashboard().headline}
    assert shown["annual-commitment"] == "≥100 million yuan"
    assert shown["fund-pipeline"] == "28 companies"


def test_named_facts_are_in_the_notes(loaded):
    notes = " ".join(Figure.objects.values_list("note_zh_hans", flat=True))
    for name in (
        "怀柔板栗",
        "汤河红薯",
        "红梨膏",
        "虹鳟鱼",
        "前门+雁栖湖",
        "天坛+红螺寺+慕田峪",
        "三甲",
        "多场低温（北京）",
        "中科艾科米",
    ):
        assert name in notes, name


def test_the_two_agreements(loaded):
    first, second = Agreement.objects.order_by("round")
    assert (first.signed_year, first.total_commitment, first.period_start, first.period_end) == (
        2018,
        4 * YI,
        2018,
        2022,
    )
    assert "关于推动生态涵养区生态保护与绿色发展的实施意见" in first.basis_zh_hans
    assert second.signed_on == date(2023, 6, 30)
    assert (second.annual_commitment, second.annual_commitment_is_minimum) == (YI, True)
    assert (second.period_start, second.period_end) == (2023, 2027)
    assert (
        second.title_zh_hans
        == "新时代高质量推动生态涵养区生态保护和绿色发展结对协作框架协议（2023—2027年）"
    )
    assert set(second.fields.values_list("name_zh_hans", flat=True)) == {
        "生态保护",
        "生态产品价值实现",
        "绿色发展",
        "乡村振兴",
        "服务民生",
    }
    assert not first.is_demo and not second.is_demo


def test_projects_two_real_and_the_rest_demo(loaded):
    first_round = Project.objects.filter(agreement__round=1)
    assert first_round.count() == 19  # "nearly 20"
    real = set(Project.objects.filter(is_demo=False).values_list("title_zh_hans", flat=True))
    assert real == {"雁栖河生态廊道", "仪器传感器产业发展"}
    assert Project.objects.get(slug="instrument-sensor-industry").amount == YI
    # The demo first-round amounts plus the fund stay within the 4亿元.
    assert sum(p.amount or 0 for p in first_round) <= 4 * YI


def test_the_fund_and_its_pipeline(loaded):
    fund = Fund.objects.get()
    assert (fund.size, fund.per_company_cap) == (YI, Decimal(3_000_000))
    pipeline = FundInvestment.objects.filter(status="pipeline")
    assert pipeline.count() == 28
    real = set(pipeline.filter(is_demo=False).values_list("company__name_zh_hans", flat=True))
    assert real == {"多场低温（北京）", "中科艾科米"}
    assert (
        not pipeline.filter(is_demo=False).exclude(sector="").exists()
    )  # not reported, left empty
    invested = FundInvestment.objects.filter(status="invested")
    assert invested.exists() and not invested.filter(is_demo=False).exists()
    assert max(i.amount for i in invested) <= fund.per_company_cap
    assert sum(i.amount for i in invested) <= fund.size


def test_villages_all_out_of_weak_status_in_2022(loaded):
    villages = Area.objects.filter(kind="village", collectively_weak=True)
    assert villages.count() == 26
    assert set(villages.values_list("weak_status_ended", flat=True)) == {2022}
    assert not villages.filter(is_demo=False).exists()


def test_pairing_counts_match_the_report(loaded):
    rows = {row.kind: row for row in pairing_kinds()}
    assert (rows["education"].huairou_sides, rows["education"].dongcheng_sides) == (4, 3)
    assert (rows["medical"].huairou_sides, rows["medical"].dongcheng_sides) == (3, 3)
    assert (rows["town_street"].huairou_sides, rows["town_street"].dongcheng_sides) == (16, 17)
    assert (rows["chamber_village"].dongcheng_sides, rows["chamber_village"].huairou_sides) == (
        8,
        26,
    )
    assert {
        "party_building",
        "cadre_exchange",
        "culture_tourism",
        "labour",
        "sports",
        "elderly_care",
    } <= set(rows)
    assert not Pairing.objects.filter(is_demo=False).exists()  # the report names no pair


def test_support_by_year(loaded):
    rows = list(AnnualSupport.objects.order_by("year"))
    assert [r.year for r in rows] == list(range(2018, 2028))
    assert {r.amount for r in rows if r.year <= 2022} == {Decimal(80_000_000)}
    assert {r.basis for r in rows if r.year <= 2022} == {"derived"}
    assert {r.amount for r in rows if r.year >= 2023} == {YI}
    assert {r.basis for r in rows if r.year >= 2023} == {"committed"}


def test_every_text_exists_in_both_languages(loaded):
    for model, fields in [
        (Area, ["name"]),
        (Organization, ["name"]),
        (Field, ["name"]),
        (Agreement, ["title", "summary"]),
        (Project, ["title", "summary"]),
        (Fund, ["name", "description"]),
        (Figure, ["label", "unit"]),
        (Source, ["publisher", "title"]),
        (District, ["name", "description"]),
    ]:
        for field in fields:
            for language in ("zh_hans", "en"):
                missing = model.objects.filter(
                    **{f"{field}_{language}__isnull": True}
                ) | model.objects.filter(**{f"{field}_{language}": ""})
                assert not missing.exists(), (model.__name__, field, language, list(missing[:3]))
