"""Every public page of the programme, in Chinese (/cooperation/…) and
English (/en/cooperation/…), with its query count for 5 rows and for 50."""

import re
from decimal import Decimal

import pytest
from django.utils import translation

from cooperation.models import Pairing, Project
from core import figures

from .factories import (
    AgreementFactory,
    FieldFactory,
    FigureFactory,
    FundFactory,
    FundInvestmentFactory,
    PairingFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db

LANGUAGES = [("", "zh-hans"), ("/en", "en")]


@pytest.fixture(params=LANGUAGES, ids=["zh", "en"])
def prefix(request):
    return request.param[0]


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


# --- Query counts: the same for 5 rows as for 50 ------------------------------------------

COUNTED_PAGES = [
    # figures, support by year, projects by field, pairings by kind, and the
    # sources of the fields' and the kinds' rows; the impact roll-up: the agreement,
    # collected orders, settled bulk orders, bookings
    ("/cooperation/", 10),
    ("/cooperation/agreements/", 2),  # agreements with counts, their fields
    ("/cooperation/agreements/round-1/", 5),  # agreement, fields, projects, funds, support
    ("/cooperation/projects/", 5),  # filter choices ×3, count, page
    ("/cooperation/fund/", 2),  # funds, investments
    ("/cooperation/pairings/", 2),  # kinds, pairings
    ("/cooperation/pairings/?kind=sports", 2),
]


@pytest.mark.parametrize("n", [5, 50])
@pytest.mark.parametrize(("path", "queries"), COUNTED_PAGES)
def test_pages_cost_a_constant_number_of_queries(
    client, build_programme, django_assert_num_queries, n, path, queries
):
    build_programme(n)
    for language_prefix in ("", "/en"):
        with django_assert_num_queries(queries):
            response = client.get(language_prefix + path)
        assert response.status_code == 200


@pytest.mark.parametrize("n", [5, 50])
def test_filtered_project_list_costs_a_constant_number_of_queries(
    client, build_programme, django_assert_num_queries, n
):
    programme = build_programme(n)
    field = programme["fields"][0].code
    # + one lookup for each model-backed filter (field, agreement)
    with django_assert_num_queries(7):
        response = client.get(
            f"/cooperation/projects/?field={field}&status=planned&agreement=round-1&q=项目"
        )
    assert response.status_code == 200


# --- The dashboard --------------------------------------------------------------------------


def test_dashboard_shows_figures_with_source_and_mark(client, prefix, build_programme):
    build_programme(4)
    demo_figure = FigureFactory(
        label_zh_hans="示例数字", label_en="A demo number", is_reported=False, is_headline=True
    )
    response = client.get(f"{prefix}/cooperation/")
    assert response.status_code == 200
    html = response.content.decode()
    board = response.context["dashboard"]
    for figure in board.headline:
        assert f'id="figure-{figure.key}"' in html
        assert figure.value_display in html
    assert html.count('class="badge badge-reported"') >= 4
    assert "badge badge-demo" in html  # the demo figure
    assert demo_figure.label in html
    assert "http://bj.people.com.cn/" in html
    assert html_lang(response) == ("en" if prefix else "zh-Hans")


def test_dashboard_draws_three_charts_each_with_a_table(client, prefix, build_programme):
    build_programme(6)
    html = client.get(f"{prefix}/cooperation/").content.decode()
    for chart_id in ("support-chart", "fields-chart", "pairings-chart"):
        svg = re.search(rf'<svg[^>]*id="{chart_id}".*?</svg>', html, re.S).group(0)
        assert 'role="img"' in svg
        assert f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in svg
        widths = [
            float(w) for w in re.findall(r'<rect class="bar[^"]*"[^>]*width="([\d.]+)%"', svg)
        ]
        assert widths and max(widths) > 0
    assert html.count('<details class="table-alt">') == 3
    assert 'class="chart-reference"' in html  # the commitment line
    # CSP: no inline styles or scripts.
    assert "style=" not in html
    assert "<script" not in html


def test_dashboard_text_follows_the_language(client):
    FigureFactory(
        label_zh_hans="东城区每年支持资金",
        label_en="Dongcheng's support each year",
        value=Decimal("100000000"),
        qualifier="at_least",
    )
    with translation.override("zh-hans"):
        zh = client.get("/cooperation/").content.decode()
    en = client.get("/en/cooperation/").content.decode()
    assert "东城区每年支持资金" in zh and "≥1亿" in zh
    assert "Dongcheng&#x27;s support each year" in en and "≥100 million" in en


def test_dashboard_shows_live_figures_from_other_apps(client):
    with figures.only(live_sales):
        html = client.get("/en/cooperation/").content.decode()
    assert "Counter sales" in html
    assert "3 million" in html  # numbers are shown in the reader's form
    assert "from demo orders" in html


def live_sales():
    return [
        {
            "label": "Counter sales",
            "value": Decimal("3000000"),
            "unit": "yuan",
            "note": "from demo orders",
        }
    ]


def test_an_empty_programme_still_renders(client, prefix):
    response = client.get(f"{prefix}/cooperation/")
    assert response.status_code == 200
    assert b"chart-svg" not in response.content  # no chart (the header has icons)


# --- Agreements -----------------------------------------------------------------------------


def test_agreement_pages(client, prefix):
    agreement = AgreementFactory(
        slug="2023-2027", title_zh_hans="新一轮协议", title_en="The new agreement"
    )
    agreement.fields.set([FieldFactory(name_zh_hans="乡村振兴", name_en="Rural revitalisation")])
    ProjectFactory(agreement=agreement, title_zh_hans="示范村", title_en="Model villages")
    listing = client.get(f"{prefix}/cooperation/agreements/")
    assert listing.status_code == 200
    assert agreement.get_absolute_url().removeprefix("/") in listing.content.decode()
    detail = client.get(f"{prefix}/cooperation/agreements/2023-2027/")
    assert detail.status_code == 200
    html = detail.content.decode()
    expected = ("The new agreement", "Rural revitalisation", "Model villages", "100 million yuan")
    if not prefix:
        expected = ("新一轮协议", "乡村振兴", "示范村", "1亿元")
    for text in expected:
        assert text in html


def test_an_unknown_agreement_is_404(client, prefix):
    assert client.get(f"{prefix}/cooperation/agreements/nope/").status_code == 404


# --- Projects -------------------------------------------------------------------------------


def test_project_list_and_filters(client, prefix):
    field = FieldFactory(code="rural")
    match = ProjectFactory(
        field=field, status=Project.Status.COMPLETED, title_zh_hans="板栗", title_en="Chestnuts"
    )
    ProjectFactory(title_zh_hans="红薯", title_en="Sweet potatoes")
    everything = client.get(f"{prefix}/cooperation/projects/")
    assert everything.status_code == 200
    assert everything.context["page"].paginator.count == 2
    filtered = client.get(
        f"{prefix}/cooperation/projects/", {"field": "rural", "status": "completed"}
    )
    assert list(filtered.context["page"].object_list) == [match]
    searched = client.get(f"{prefix}/cooperation/projects/", {"q": "Chestnut"})
    assert list(searched.context["page"].object_list) == [match]
    by_area = client.get(f"{prefix}/cooperation/projects/", {"area": match.area_id})
    assert list(by_area.context["page"].object_list) == [match]


@pytest.mark.parametrize(
    "query",
    [
        {"field": "nonsense"},
        {"status": "lost"},
        {"agreement": "round-99"},
        {"area": "abc"},
        {"q": "x" * 101},
    ],
)
def test_a_bad_project_filter_is_a_400_with_the_form_error(client, prefix, query):
    ProjectFactory()
    response = client.get(f"{prefix}/cooperation/projects/", query)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert 'role="alert"' in response.content.decode()
    assert response.context["page"].paginator.count == 0


def test_project_list_paginates_and_keeps_filters(client):
    field = FieldFactory(code="green")
    ProjectFactory.create_batch(25, field=field)
    first = client.get("/cooperation/projects/", {"field": "green"})
    assert len(first.context["page"].object_list) == 20
    assert "?field=green&amp;page=2" in first.content.decode()
    second = client.get("/cooperation/projects/", {"field": "green", "page": 2})
    assert len(second.context["page"].object_list) == 5
    assert client.get("/cooperation/projects/", {"page": "999"}).status_code == 200


def test_project_detail(client, prefix):
    project = ProjectFactory(
        slug="corridor",
        amount=None,
        year=None,
        title_zh_hans="雁栖河生态廊道",
        title_en="Yanqi River corridor",
    )
    response = client.get(f"{prefix}/cooperation/projects/corridor/")
    assert response.status_code == 200
    html = response.content.decode()
    assert (project.title_en if prefix else project.title_zh_hans) in html
    assert client.get(f"{prefix}/cooperation/projects/missing/").status_code == 404


# --- The fund -------------------------------------------------------------------------------


def test_fund_page(client, prefix):
    fund = FundFactory(size=Decimal("100000000"))
    FundInvestmentFactory.create_batch(3, fund=fund, sector="ai")
    invested = FundInvestmentFactory(
        fund=fund,
        sector="sensors",
        status="invested",
        amount=Decimal("3000000"),
        invested_on="2023-01-01",
    )
    response = client.get(f"{prefix}/cooperation/fund/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="fund-{fund.slug}"' in html
    assert f'id="investment-{invested.pk}"' in html
    assert (
        '<meter id="cap-sensor-fund" class="cap-meter" min="0" max="100000000" value="3000000">'
        in html
    )
    assert 'id="sectors-sensor-fund"' in html
    assert ("3 million yuan invested of 100 million yuan (3.0%)" if prefix else "300万元") in html


def test_fund_page_without_a_fund(client, prefix):
    assert client.get(f"{prefix}/cooperation/fund/").status_code == 200


# --- Pairings -------------------------------------------------------------------------------


def test_pairing_list_and_kind_filter(client, prefix):
    sports = PairingFactory(kind=Pairing.Kind.SPORTS)
    school = PairingFactory(kind=Pairing.Kind.EDUCATION)
    everything = client.get(f"{prefix}/cooperation/pairings/")
    assert everything.status_code == 200
    # Grouped in the report's order: education before sports.
    assert [(g.kind, g.pairings) for g in everything.context["groups"]] == [
        ("education", [school]),
        ("sports", [sports]),
    ]
    html = everything.content.decode()
    assert f'id="pairing-{sports.pk}"' in html
    only = client.get(f"{prefix}/cooperation/pairings/", {"kind": "sports"})
    assert [g.pairings for g in only.context["groups"]] == [[sports]]
    assert 'aria-current="page">' in only.content.decode()


def test_a_bad_pairing_kind_is_a_400(client, prefix):
    response = client.get(f"{prefix}/cooperation/pairings/", {"kind": "chess"})
    assert response.status_code == 400
    assert response.context["groups"] == []


@pytest.mark.parametrize(
    "path",
    [
        "/cooperation/",
        "/cooperation/agreements/",
        "/cooperation/projects/",
        "/cooperation/fund/",
        "/cooperation/pairings/",
    ],
)
def test_pages_refuse_writes(client, path):
    assert client.post(path).status_code == 405


def test_the_language_switch_keeps_the_page(client):
    html = client.get("/cooperation/projects/").content.decode()
    assert 'href="/en/cooperation/projects/"' in html
    html = client.get("/en/cooperation/pairings/").content.decode()
    assert 'href="/cooperation/pairings/"' in html
