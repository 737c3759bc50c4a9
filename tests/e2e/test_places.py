"""Places and pictures in a real browser: the demo's route page at phone and
desktop width shows its illustrations (a rendition picked from srcset,
labelled), the plan draws the stops where they are, and every stop has its
"navigate" links; nothing is fetched from another host (the page fixture
fails the test on any outside request: no map tile, no font)."""

import pytest

from tests.e2e.conftest import wider_than_the_screen
from tours import demo


@pytest.fixture
def demo_tours(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    demo.load()


def _pictures(page) -> list[dict]:
    return page.evaluate(
        "() => [...document.querySelectorAll('.picture.is-illustration')].map(p => {"
        " const img = p.querySelector('img'); const label = p.querySelector('.illustration-label');"
        " return {src: img.currentSrc, loaded: img.complete && img.naturalWidth > 0,"
        " alt: img.alt, label: label && getComputedStyle(label).display !== 'none' ? label.textContent : ''};"
        "})"
    )


def test_the_route_page_shows_labelled_illustrations_a_true_plan_and_navigate_links(
    page, demo_tours, screenshot, axe_check
):
    page.goto(page.base_url + "/tours/temple-of-heaven-hongluo-mutianyu/")
    # load every lazy picture, as a reader scrolling down would
    for y in range(0, page.evaluate("document.documentElement.scrollHeight"), 500):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(50)
    page.wait_for_load_state("networkidle")
    pictures = _pictures(page)
    assert len(pictures) == 4  # the route's own and one per stop
    for picture in pictures:
        assert picture["loaded"], picture
        assert "/media/" in picture["src"] and picture["src"].endswith(".webp")  # from srcset
        assert picture["label"] == "示意图" and picture["alt"].startswith("示意图")

    # the plan: the Temple of Heaven (south) lowest, Hongluo east of Mutianyu
    stops = page.evaluate(
        "() => [...document.querySelectorAll('.route-map .map-stop circle')]"
        ".map(c => [+c.getAttribute('cx'), +c.getAttribute('cy')])"
    )
    temple, hongluo, mutianyu = stops
    assert temple[1] > hongluo[1] > mutianyu[1] and hongluo[0] > mutianyu[0]
    assert page.locator(".route-map .map-scale text").text_content().endswith("公里")

    amap = page.locator(".itinerary .navigate-amap")
    assert amap.count() == 3
    assert amap.first.get_attribute("href").startswith("https://uri.amap.com/marker?position=")
    assert page.locator(".itinerary .navigate-link").first.bounding_box()["height"] >= 44
    assert not wider_than_the_screen(page)
    axe_check(page)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "places-route-390")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.wait_for_load_state("networkidle")
    assert not wider_than_the_screen(page)
    screenshot(page, "places-route-1280")


def test_the_attraction_page_and_the_route_list_have_pictures(page, demo_tours, screenshot):
    page.goto(page.base_url + "/tours/")
    page.wait_for_load_state("networkidle")
    first = _pictures(page)[0]
    assert first["loaded"] and first["label"] == "示意图"
    page.click(".itinerary a, .route-card h2 a")  # the first route
    page.click(".itinerary .stop-head a >> nth=1")  # its second stop's own page
    page.wait_for_url("**/tours/places/**")
    assert page.locator(".place-picture img").evaluate("i => i.naturalWidth > 0")
    assert page.locator(".navigate-link").count() == 3
    assert not wider_than_the_screen(page)
    screenshot(page, "places-attraction-390")
