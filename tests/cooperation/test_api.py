"""/api/v1/cooperation/: every endpoint in both languages (Accept-Language),
query counts for 5 rows and 50, filters, and the one error format."""

from decimal import Decimal

import pytest
from django.conf import settings

from cooperation.models import Pairing, Project

from .factories import (
    AgreementFactory,
    FieldFactory,
    FigureFactory,
    PairingFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/cooperation"


@pytest.fixture(params=["zh-hans", "en"])
def language(request):
    return request.param


def get(api_client, path, language="zh-hans", **params):
    return api_client.get(f"{API}{path}", params, HTTP_ACCEPT_LANGUAGE=language)


# --- Query counts ---------------------------------------------------------------------------

COUNTED = [
    ("/agreements/", 3),  # count, page, fields
    ("/agreements/round-1/", 5),  # agreement, fields, projects, funds, support
    ("/projects/", 2),  # count, page (with field, agreement, area, organization, source)
    ("/pairings/", 2),
    ("/figures/", 2),
]


@pytest.mark.parametrize("n", [5, 50])
@pytest.mark.parametrize(("path", "queries"), COUNTED)
def test_endpoints_cost_a_constant_number_of_queries(
    api_client, build_programme, django_assert_num_queries, n, path, queries
):
    build_programme(n)
    with django_assert_num_queries(queries):
        response = get(api_client, path, page_size=100)
    assert response.status_code == 200


@pytest.mark.parametrize("n", [5, 50])
def test_filtered_projects_cost_a_constant_number_of_queries(
    api_client, build_programme, django_assert_num_queries, n
):
    programme = build_programme(n)
    with django_assert_num_queries(4):  # + field and agreement lookups
        response = get(
            api_client,
            "/projects/",
            field=programme["fields"][0].code,
            agreement="round-1",
            status="planned",
            q="项目",
        )
    assert response.status_code == 200
    assert response.data["count"] > 0


# --- Lists and details ----------------------------------------------------------------------


def test_agreements(api_client, language):
    agreement = AgreementFactory(slug="2023-2027", title_zh_hans="新协议", title_en="New agreement")
    agreement.fields.set(
        [FieldFactory(code="rural", name_zh_hans="乡村振兴", name_en="Rural revitalisation")]
    )
    ProjectFactory(agreement=agreement, amount=Decimal("1000000"))
    ProjectFactory(agreement=agreement, amount=None)
    listing = get(api_client, "/agreements/", language)
    assert listing.status_code == 200
    assert set(listing.data) == {"count", "next", "previous", "results"}
    (row,) = listing.data["results"]
    english = language == "en"
    assert row["title"] == ("New agreement" if english else "新协议")
    assert row["fields"] == [
        {"code": "rural", "name": "Rural revitalisation" if english else "乡村振兴"}
    ]
    assert row["annual_commitment"] == "100000000.00"
    assert row["committed_total"] == "500000000.00"
    assert (row["project_count"], row["project_amount"]) == (2, "1000000.00")
    assert row["source"]["publisher"] == ("People's Daily Online" if english else "人民网")
    # The web page in the same language as the answer, absolute (SITE_URL with
    # DEBUG off: core.links.absolute_url).
    assert (
        row["page_url"]
        == f"{settings.SITE_URL}{'/en' if english else ''}/cooperation/agreements/2023-2027/"
    )
    detail = get(api_client, "/agreements/2023-2027/", language)
    assert detail.status_code == 200
    assert len(detail.data["projects"]) == 2
    assert (detail.data["project_count"], detail.data["project_amount"]) == (2, "1000000.00")


def test_projects_with_filters(api_client, language):
    field = FieldFactory(code="rural")
    match = ProjectFactory(
        field=field,
        status=Project.Status.COMPLETED,
        title_zh_hans="板栗",
        title_en="Chestnut orchards",
    )
    ProjectFactory(title_zh_hans="红薯", title_en="Sweet potatoes")
    assert get(api_client, "/projects/", language).data["count"] == 2
    for params in (
        {"field": "rural"},
        {"status": "completed"},
        {"agreement": match.agreement.slug},
        {"area": match.area_id},
        {"q": "chestnut"},
        {"q": "板栗"},
    ):
        response = get(api_client, "/projects/", language, **params)
        assert [r["slug"] for r in response.data["results"]] == [match.slug], params
    row = get(api_client, f"/projects/{match.slug}/", language).data
    assert row["title"] == ("Chestnut orchards" if language == "en" else "板栗")
    assert row["field"]["code"] == "rural"
    assert row["status"] == "completed"
    assert row["agreement"]["slug"] == match.agreement.slug
    assert row["area"]["id"] == match.area_id


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"field": "nope"}, "field"),
        ({"status": "lost"}, "status"),
        ({"agreement": "x"}, "agreement"),
        ({"area": "abc"}, "area"),
    ],
)
def test_a_bad_filter_is_a_400_naming_the_parameter(api_client, params, field):
    response = get(api_client, "/projects/", "en", **params)
    assert response.status_code == 400
    assert response.data["code"] == "invalid"
    assert field in response.data["errors"]
    assert response.data["detail"].startswith(f"{field}: ")


def test_pairings(api_client, language):
    sports = PairingFactory(kind=Pairing.Kind.SPORTS, note_zh_hans="示例", note_en="Demo")
    PairingFactory(kind=Pairing.Kind.EDUCATION)
    listing = get(api_client, "/pairings/", language, kind="sports")
    (row,) = listing.data["results"]
    assert row["id"] == sports.pk
    assert row["dongcheng_side"] == {
        "type": "area",
        "id": sports.dongcheng_area_id,
        "name": sports.dongcheng_area.name,
        "kind": "subdistrict",
    }
    assert row["huairou_side"]["type"] == "area"
    assert row["note"] == ("Demo" if language == "en" else "示例")
    assert row["is_demo"] is True
    assert get(api_client, f"/pairings/{sports.pk}/", language).data["kind"] == "sports"
    assert get(api_client, "/pairings/", language, kind="chess").status_code == 400


def test_figures(api_client, language):
    figure = FigureFactory(
        key="annual-commitment",
        value=Decimal("100000000"),
        qualifier="at_least",
        label_zh_hans="每年支持",
        label_en="Support each year",
    )
    FigureFactory(is_headline=False, topic="education", is_reported=False)
    listing = get(api_client, "/figures/", language)
    assert listing.data["count"] == 2
    row = get(api_client, "/figures/annual-commitment/", language).data
    english = language == "en"
    assert row["value"] == "100000000.00"
    assert row["value_display"] == ("≥100 million" if english else "≥1亿")
    assert row["label"] == ("Support each year" if english else "每年支持")
    assert row["unit"] == ("yuan" if english else "元")
    assert row["is_reported"] is True
    assert row["compared_with"] is None  # nullable, as the schema says
    assert row["source"]["url"] == "http://bj.people.com.cn/"
    assert row["page_url"].endswith(f"/cooperation/#figure-{figure.key}")
    headline = get(api_client, "/figures/", language, is_headline="true").data
    assert [r["key"] for r in headline["results"]] == ["annual-commitment"]
    assert get(api_client, "/figures/", language, topic="education").data["count"] == 1
    assert get(api_client, "/figures/", language, topic="weather").status_code == 400


@pytest.mark.parametrize(
    "path", ["/agreements/nope/", "/projects/nope/", "/pairings/999999/", "/figures/nope/"]
)
def test_unknown_objects_are_404_in_the_error_format(api_client, path):
    response = get(api_client, path, "en")
    assert response.status_code == 404
    assert set(response.data) == {"detail", "code"}
    assert response.data["code"] == "not_found"


@pytest.mark.parametrize("path", ["/agreements/", "/projects/", "/pairings/", "/figures/"])
def test_the_api_is_read_only(api_client, user_api, path):
    assert api_client.post(f"{API}{path}", {}).status_code in (401, 403)
    assert user_api.post(f"{API}{path}", {}).status_code == 405


def test_lists_paginate(api_client):
    ProjectFactory.create_batch(25)
    first = get(api_client, "/projects/")
    assert first.data["count"] == 25
    assert len(first.data["results"]) == 20
    assert first.data["next"].endswith("page=2")
    assert len(get(api_client, "/projects/", page=2).data["results"]) == 5
    assert len(get(api_client, "/projects/", page_size=100).data["results"]) == 25


def test_the_schema_documents_the_endpoints_and_their_errors(api_client):
    response = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json() if hasattr(response, "json") else response.data
    paths = schema["paths"]
    for path in (
        "/api/v1/cooperation/agreements/",
        "/api/v1/cooperation/agreements/{slug}/",
        "/api/v1/cooperation/projects/",
        "/api/v1/cooperation/projects/{slug}/",
        "/api/v1/cooperation/pairings/",
        "/api/v1/cooperation/pairings/{id}/",
        "/api/v1/cooperation/figures/",
        "/api/v1/cooperation/figures/{key}/",
    ):
        assert path in paths, path
    projects = paths["/api/v1/cooperation/projects/"]["get"]
    assert {p["name"] for p in projects["parameters"]} >= {
        "field",
        "status",
        "agreement",
        "area",
        "q",
        "page",
    }
    assert "400" in projects["responses"]
    assert "404" in paths["/api/v1/cooperation/projects/{slug}/"]["get"]["responses"]
