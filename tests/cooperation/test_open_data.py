"""Open data (issue 16): every chart and table of /cooperation/ as CSV and
JSON with exactly the figures shown, a Frictionless data package that the
`frictionless` validator accepts, and the programme as IATI 2.03 activity XML
valid under the official schema. Also the merged fields (issue 13)."""

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import lxml.etree
import lxml.html
import pytest
from django.core.exceptions import ValidationError
from frictionless import validate

from cooperation import datasets, demo, iati, selectors
from cooperation.models import FundInvestment, Pairing, Project
from cooperation.templatetags.cooperation_tags import money
from core import cache as cache_lib

from .factories import DemoSourceFactory, FieldFactory, ProjectFactory

pytestmark = pytest.mark.django_db

SCHEMA = (
    Path(__file__).resolve().parents[2] / "cooperation/iati_schema/2.03/iati-activities-schema.xsd"
)
TABLES = {  # dataset: the figure of /cooperation/ whose table shows it
    "support-by-year": "support-by-year",
    "projects-by-field": "projects-by-field",
    "pairings-by-kind": "pairings-by-kind",
}


def read_csv(response) -> list[dict]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # for Excel
    return list(csv.DictReader(io.StringIO(text[1:])))


def page_table(html: str, figure_id: str) -> list[list[str]]:
    tree = lxml.html.fromstring(html)
    rows = tree.xpath(f'//figure[@id="{figure_id}"]//table/tbody/tr')
    return [[" ".join(cell.text_content().split()) for cell in row] for row in rows]


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_each_download_has_exactly_the_rows_its_table_shows(client, build_programme, prefix):
    build_programme(6)
    html = client.get(f"{prefix}/cooperation/").content.decode()

    support = read_csv(client.get(f"{prefix}/cooperation/data/support-by-year.csv"))
    shown = page_table(html, "support-by-year")
    assert [(r["year"], money(Decimal(r["amount_yuan"]))) for r in support] == [
        (row[0], row[1]) for row in shown
    ]

    fields = read_csv(client.get(f"{prefix}/cooperation/data/projects-by-field.csv"))
    shown = page_table(html, "projects-by-field")
    assert [
        (r["field"], r["projects"], r["demo_projects"], money(Decimal(r["amount_yuan"])))
        for r in fields
    ] == [tuple(row) for row in shown]

    pairings = read_csv(client.get(f"{prefix}/cooperation/data/pairings-by-kind.csv"))
    shown = page_table(html, "pairings-by-kind")
    assert [
        (r["kind_label"], r["pairings"], r["huairou_partners"], r["dongcheng_partners"])
        for r in pairings
    ] == [tuple(row) for row in shown]

    # Every table and the figures link their downloads.
    for name in [*TABLES, "figures"]:
        assert f'href="{prefix}/cooperation/data/{name}.csv"' in html
        assert f'href="{prefix}/cooperation/data/{name}.json"' in html


def test_csv_and_json_carry_source_and_demo_flag(client, build_programme):
    programme = build_programme(3)
    ProjectFactory(field=programme["fields"][0], source=DemoSourceFactory(), is_demo=True)
    response = client.get("/cooperation/data/projects-by-field.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="projects-by-field.csv"'
    assert response["Access-Control-Allow-Origin"] == "*"
    rows = read_csv(response)
    assert list(rows[0]) == datasets.BY_NAME["projects-by-field"].column_names
    first = rows[0]
    assert (first["is_demo"], first["demo_projects"]) == ("true", "1")
    assert first["source"].startswith("人民网: ")  # reported sources first
    assert first["source_url"] == "http://bj.people.com.cn/"
    assert {r["is_demo"] for r in rows[1:]} == {"false"}

    body = client.get("/cooperation/data/projects-by-field.json").json()
    assert body["name"] == "projects-by-field"
    assert body["page"].endswith("/cooperation/#projects-by-field")
    assert [f["name"] for f in body["schema"]["fields"]] == list(rows[0])
    assert body["records"][0]["is_demo"] is True
    assert body["records"][0]["projects"] == int(first["projects"])
    assert len(body["records"]) == len(rows)


def test_text_columns_follow_the_language_and_codes_do_not(client, build_programme):
    build_programme(3)
    zh = read_csv(client.get("/cooperation/data/pairings-by-kind.csv"))
    en = read_csv(client.get("/en/cooperation/data/pairings-by-kind.csv"))
    assert [r["kind"] for r in zh] == [r["kind"] for r in en]
    assert "education" in {r["kind_label"] for r in en}
    assert "education" not in {r["kind_label"] for r in zh}


def test_the_datapackage_and_its_csvs_pass_the_frictionless_validator(
    client, build_programme, tmp_path
):
    build_programme(5)
    index = client.get("/cooperation/data/")
    assert index.status_code == 200
    response = client.get("/cooperation/data/datapackage.json")
    assert response["Content-Type"] == "application/json"
    package = response.json()
    (tmp_path / "datapackage.json").write_bytes(response.content)
    names = []
    for resource in package["resources"]:
        names.append(resource["name"])
        # Paths are relative to the package, so the served copy works as is.
        assert resource["path"] == f"{resource['name']}.csv"
        csv_response = client.get(f"/cooperation/data/{resource['path']}")
        (tmp_path / resource["path"]).write_bytes(csv_response.content)
        assert f"/cooperation/data/{resource['name']}.csv" in index.content.decode()
    assert names == [d.name for d in datasets.DATASETS]

    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.stats["tasks"] == len(datasets.DATASETS)

    # The validator does read the data: a count that is not a number fails.
    broken = (tmp_path / "pairings-by-kind.csv").read_text(encoding="utf-8-sig").splitlines()
    cells = broken[1].split(",")
    cells[2] = "many"
    broken[1] = ",".join(cells)
    (tmp_path / "pairings-by-kind.csv").write_text("\n".join(broken), encoding="utf-8-sig")
    assert not validate(str(tmp_path / "datapackage.json")).valid


def iati_document(client) -> lxml.etree._Element:
    response = client.get("/cooperation/iati.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    document = lxml.etree.fromstring(response.content)
    schema = lxml.etree.XMLSchema(lxml.etree.parse(str(SCHEMA)))
    assert schema.validate(document), [str(e) for e in schema.error_log][:5]
    return document


def test_the_demo_programme_is_valid_iati_203_activity_xml(client):
    demo.load()
    document = iati_document(client)
    assert document.get("version") == "2.03"
    activities = document.findall("iati-activity")
    assert len(activities) == (
        selectors.Agreement.objects.count()
        + Project.objects.count()
        + len(selectors.fund_overviews())
        + Pairing.objects.count()
    )
    ids = [a.findtext("iati-identifier") for a in activities]
    assert len(set(ids)) == len(ids)
    assert all(i.startswith("CN-BJ-110101-") for i in ids)
    # Agreements are parents; everything else points to one.
    parents = {a.findtext("iati-identifier") for a in activities if a.get("hierarchy") == "1"}
    assert len(parents) == 2
    for activity in activities:
        if activity.get("hierarchy") == "2":
            assert activity.find("related-activity[@type='1']").get("ref") in parents
        roles = {org.get("role") for org in activity.findall("participating-org")}
        assert iati.ROLE_IMPLEMENTING in roles
    # Fund investments are purchases of equity, one per company invested in.
    equity = document.xpath("//transaction[transaction-type/@code='8']")
    invested = FundInvestment.objects.filter(status=FundInvestment.Status.INVESTED)
    assert len(equity) == invested.count()
    assert sum(Decimal(t.findtext("value")) for t in equity) == sum(i.amount for i in invested)
    # Demo rows say so, in the document's own namespace and in words.
    demo_attr = f"{{{iati.NS}}}is-demo"
    flagged = [a for a in activities if a.get(demo_attr) == "true"]
    assert (
        len(flagged)
        == Project.objects.filter(is_demo=True).count()
        + Pairing.objects.filter(is_demo=True).count()
    )
    assert all(a.find("description/narrative").text.startswith("示例数据") for a in flagged)
    # The second round's fields become DAC sectors adding up to 100%.
    second = next(a for a in activities if a.findtext("iati-identifier").endswith("2023-2027"))
    shares = [Decimal(s.get("percentage")) for s in second.findall("sector[@vocabulary='1']")]
    assert sum(shares) == 100
    assert len(second.findall("budget")) == 5  # ≥1亿 a year, 2023–2027


def test_iati_xml_is_valid_for_a_made_up_programme_too(client, build_programme):
    build_programme(5)
    iati_document(client)


@pytest.mark.parametrize("n", [5, 50])
@pytest.mark.parametrize(
    ("path", "queries"),
    [
        ("/cooperation/data/projects-by-field.csv", 2),  # fields, their sources
        ("/cooperation/data/pairings-by-kind.json", 2),  # kinds, their sources
        ("/cooperation/data/support-by-year.csv", 1),
        ("/cooperation/data/figures.csv", 1),
        ("/cooperation/data/impact.csv", 4),  # the agreement; orders, bulk orders, bookings
        ("/cooperation/data/datapackage.json", 0),
        # agreements, their fields and support; projects; funds, investments;
        # pairings; districts
        ("/cooperation/iati.xml", 8),
    ],
)
def test_open_data_costs_a_constant_number_of_queries(
    client, build_programme, django_assert_num_queries, n, path, queries
):
    build_programme(n)
    with django_assert_num_queries(queries):
        assert client.get(path).status_code == 200


def test_unknown_datasets_and_writes_are_refused(client, build_programme):
    build_programme(1)
    assert client.get("/cooperation/data/nothing.csv").status_code == 404
    assert client.get("/cooperation/data/figures.xlsx").status_code == 404
    assert client.post("/cooperation/data/figures.csv").status_code == 405
    assert client.post("/cooperation/iati.xml").status_code == 405


def test_open_data_is_page_cached_on_the_programme_alone():
    for path in ("/cooperation/data/", "/en/cooperation/data/figures.csv", "/cooperation/iati.xml"):
        assert cache_lib.scopes_for_path(path) == ("cooperation", "organizations")
    # The dashboard keeps the live sales figures.
    assert "sales" in cache_lib.scopes_for_path("/cooperation/")


# --- Merged fields (issue 13): one row for fields that cover the same ground --------------


def test_an_earlier_field_is_counted_with_the_later_one(client):
    later = FieldFactory(code="livelihood", name_en="Public livelihood services", order=1)
    earlier = FieldFactory(
        code="public_services", name_en="Public services", order=2, merged_into=later
    )
    ProjectFactory(field=later, amount=Decimal(10))
    ProjectFactory(field=earlier, amount=Decimal(5), is_demo=True)
    ProjectFactory(field=earlier, amount=Decimal(5))
    rows = selectors.fields_with_projects()
    assert [(r.code, r.project_count, r.demo_count, r.project_amount) for r in rows] == [
        ("livelihood", 3, 1, Decimal(20))
    ]
    assert [f.code for f in rows[0].merged] == ["public_services"]
    # The chart's link (filter by the later field) finds all three projects.
    listed = client.get("/en/cooperation/projects/?field=livelihood").content.decode()
    assert listed.count('class="card project-card"') == 3
    # One level only.
    third = FieldFactory(code="third", merged_into=earlier)
    with pytest.raises(ValidationError):
        third.full_clean()
    later.merged_into = earlier
    with pytest.raises(ValidationError):
        later.full_clean()


def test_the_demo_merges_the_first_rounds_fields_into_the_seconds():
    demo.load()
    rows = {r.code: r for r in selectors.fields_with_projects()}
    assert set(rows) == {
        "ecological_protection",
        "ecological_value",
        "green_development",
        "rural_revitalisation",
        "livelihood",
    }
    assert sum(r.project_count for r in rows.values()) == Project.objects.count()
    assert {f.code for f in rows["livelihood"].merged} == {"public_services"}
    body = json.loads(json.dumps(datasets.field_records(list(rows.values())), default=str))
    assert body[0]["merged_field_codes"] == "green_ecology"


def test_the_open_data_page_is_in_the_sitemap_in_every_language(client, settings):
    text = client.get("/sitemap.xml").content.decode()
    site = settings.SITE_URL.rstrip("/")
    for prefix in ("", "/zh-hant", "/en"):
        assert f"<loc>{site}{prefix}/cooperation/data/</loc>" in text


@pytest.mark.parametrize(
    "path", ["/cooperation/data/projects-by-field.csv", "/cooperation/iati.xml"]
)
def test_downloads_are_served_from_the_page_cache(
    client, build_programme, settings, django_assert_num_queries, path
):
    settings.PUBLIC_CACHE_SECONDS = 60
    build_programme(3)
    first = client.get(path)
    with django_assert_num_queries(0):
        second = client.get(path)
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Access-Control-Allow-Origin"] == "*"
    assert second["Content-Type"] == first["Content-Type"]
