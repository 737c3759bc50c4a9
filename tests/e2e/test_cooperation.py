"""The cooperation pages in a real phone-sized browser, with the demo data:
the home page shows the headline figures, the dashboard draws its charts,
the language switch keeps the page, and axe finds nothing serious."""

import re

import pytest

from cooperation import demo
from core import figures
from tests.e2e.conftest import wider_than_the_screen

CHARTS = ("support-chart", "fields-chart", "pairings-chart")


@pytest.fixture
def programme(transactional_db, settings):
    # The marketplace's live figures are that app's to test; here the page
    # must stand on the report's own data.
    with figures.only():
        demo.load()
        yield


def test_home_page_shows_the_headline_figures(page, programme, screenshot, axe_check):
    page.goto(page.base_url + "/")
    cards = page.locator(".figure-card")
    assert cards.count() >= 1
    assert "≥1亿" in page.content()
    page.click("a[href='/cooperation/']:not(.main-nav a)")
    page.wait_for_url(re.compile(r"/cooperation/$"))
    screenshot(page, "cooperation-home")
    axe_check(page)


def test_dashboard_draws_its_charts_and_switches_language(page, programme, screenshot, axe_check):
    page.goto(page.base_url + "/cooperation/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator(".figure-grid-headline .figure-card").count() == 10
    assert page.locator(".figure-grid-headline .badge-reported").count() == 10

    for chart_id in CHARTS:
        svg = page.locator(f"svg#{chart_id}")
        assert svg.get_attribute("role") == "img"
        box = svg.bounding_box()
        assert box["width"] > 250 and box["height"] > 100, (chart_id, box)
        assert box["x"] + box["width"] <= 390  # fits the phone
        bars = svg.locator("rect.bar")
        assert bars.count() > 0
        sizes = [bars.nth(i).bounding_box() for i in range(bars.count())]
        assert any(b and b["width"] > 1 and b["height"] > 1 for b in sizes), chart_id
        # The table alternative opens without JavaScript of ours.
        details = page.locator(f"figure:has(svg#{chart_id}) details.table-alt")
        details.locator("summary").click()
        assert details.locator("table").is_visible()

    # The commitment line is drawn across the 2023–2027 rows.
    line = page.locator("svg#support-chart line.chart-reference").bounding_box()
    assert line["height"] > 50
    # Chart text stays legible on a phone.
    year_label = page.locator("svg#support-chart text.bar-label").first.bounding_box()
    assert year_label["height"] >= 10

    axe_check(page)
    screenshot(page, "cooperation-dashboard-zh")

    # To English and back, on the same page.
    page.click("nav.lang-switch a[hreflang=en]")
    page.wait_for_url(re.compile(r"/en/cooperation/$"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert "≥100 million" in page.content()
    assert page.locator("svg#support-chart rect.bar").count() == 10
    axe_check(page)
    screenshot(page, "cooperation-dashboard-en")
    page.click("nav.lang-switch a[hreflang=zh-Hans]")
    page.wait_for_url(re.compile(r"/cooperation/$"))
    assert not page.url.endswith("/en/cooperation/")


@pytest.mark.parametrize(
    "path",
    [
        "/cooperation/agreements/",
        "/cooperation/projects/",
        "/en/cooperation/fund/",
        "/cooperation/pairings/",
        "/cooperation/data/",
    ],
)
def test_programme_pages_pass_axe_on_a_phone(page, programme, screenshot, axe_check, path):
    page.goto(page.base_url + path)
    assert page.locator("h1").count() == 1
    # Nothing wider than the phone except inside a scrollable table wrapper.
    assert wider_than_the_screen(page) == []
    axe_check(page)
    screenshot(page, "cooperation" + path.replace("/", "-").rstrip("-"))


def test_project_filters_work_without_javascript(browser, live_server, programme):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/cooperation/projects/")
    page.select_option("select[name=field]", "green_development")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"field=green_development"))
    titles = page.locator(".project-card h2 a").all_inner_texts()
    assert "仪器传感器产业发展" in titles
    context.close()


def test_charts_keep_their_size_on_a_desktop_and_offer_downloads(page, programme, screenshot):
    """Issue 13: at 1280 px the chart labels were 51 px tall and the three
    charts took 4,195 px of page. Text now keeps its px size at any width, and
    each chart is capped (issue 16: each has its CSV and JSON beside it)."""
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(page.base_url + "/en/cooperation/")
        assert wider_than_the_screen(page) == []
        for chart_id in CHARTS:
            svg = page.locator(f"svg#{chart_id}")
            box = svg.bounding_box()
            assert box["width"] <= 641 and box["height"] < 500, (width, chart_id, box)
            label = svg.locator("text.bar-label").first.bounding_box()
            assert 10 <= label["height"] <= 20, (width, chart_id, label)
            figure = page.locator(f"figure:has(svg#{chart_id})")
            assert figure.locator("a[href$='.csv']").count() == 1
        charts = page.locator("#charts-h + .chart-grid").bounding_box()
        if width == 1280:
            assert charts["height"] < 1600, charts
        screenshot(page, f"cooperation-charts-{width}")

    # The open-data page lists every dataset, the package and the IATI file.
    page.goto(page.base_url + "/en/cooperation/data/")
    assert page.locator("tr[id^=dataset-]").count() == 5  # with the impact roll-up
    assert page.locator("a[href$='datapackage.json']").count() == 1
    assert page.locator("a[href$='iati.xml']").count() == 1
    screenshot(page, "cooperation-open-data-1280")
