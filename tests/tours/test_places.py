"""Places and pictures: the attraction page, the "navigate" links on the
route page, and the demo's illustrations with their srcset renditions."""

import re

import pytest
from PIL import Image

from tours import demo, demo_images
from tours.models import Attraction, AttractionImage, Route, RouteImage

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_the_route_page_links_each_stop_to_its_page_and_to_the_map_apps(client, route):
    html = client.get("/en/tours/qianmen-yanqi/").content.decode()
    for stop in route.stops.all():
        assert f'href="{stop.attraction.get_absolute_url()}"' in html
    # one set of links per stop, for the three apps
    assert html.count('class="navigate-link navigate-amap"') == 2
    assert html.count("https://maps.apple.com/?ll=") == 2
    assert "Navigate to Yanqi Lake with Baidu Maps" in html
    assert "&amp;coordinate=gaode&amp;" in html  # the URL is HTML-escaped in the page


def test_the_attraction_page_shows_its_place_and_the_routes_that_stop_there(
    client, route, django_assert_max_num_queries
):
    lake = route.stops.get(order=2).attraction
    with django_assert_max_num_queries(6):
        response = client.get(f"/en/tours/places/{lake.slug}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Yanqi Lake" in html
    assert f"{lake.latitude:.4f}° N, {lake.longitude:.4f}° E (WGS-84)" in html
    assert "next departure" in html or "no departure scheduled" in html
    assert html.count('class="navigate-link') == 3
    assert route.get_absolute_url() in html  # the route that stops here
    assert client.get("/tours/places/nowhere/").status_code == 404


def test_demo_illustrations_are_labelled_and_served_with_srcset(client, media):
    demo.load()
    assert (
        AttractionImage.objects.filter(is_illustration=True).count() == Attraction.objects.count()
    )
    assert RouteImage.objects.filter(is_illustration=True).count() == Route.objects.count()
    # loading again adds nothing, and a partner's own picture is never replaced
    assert demo_images.illustrate_routes(Route.objects.all()) == 0

    image = RouteImage.objects.get(route__slug="qianmen-yanqi-lake")
    assert image.alt_text_en.startswith("Illustration:") and image.alt_text.startswith("示意图")
    assert Image.open(media / image.small_webp.name).size == (320, 200)
    assert Image.open(media / image.medium_jpeg.name).size == (960, 600)

    for path in (
        "/en/tours/",
        "/en/tours/qianmen-yanqi-lake/",
        "/en/",
        "/en/tours/places/yanqi-lake/",
    ):
        html = client.get(path).content.decode()
        pictures = re.findall(r'<span class="picture is-illustration">.*?</span></span>', html)
        assert pictures, path
        for picture in pictures:
            assert re.search(
                r'<source srcset="\S+-small\.webp 320w, \S+-medium\.webp 960w" sizes="[^"]+"',
                picture,
            )
            assert re.search(r'srcset="\S+-small\.jpg 320w, \S+-medium\.jpg 960w"', picture)
            assert re.search(r'alt="Illustration: [^"]+"', picture)
            assert (
                '<span class="illustration-label" aria-hidden="true">Illustration</span>' in picture
            )
    html = client.get("/tours/qianmen-yanqi-lake/").content.decode()
    assert '<span class="illustration-label" aria-hidden="true">示意图</span>' in html


def test_drawings_are_deterministic_and_cover_every_report_place():
    for slug in (
        "qianmen-street",
        "temple-of-heaven",
        "yanqi-lake",
        "hongluo-temple",
        "mutianyu-great-wall",
    ):
        assert slug in demo_images.ATTRACTIONS
        assert (
            demo_images.attraction_drawing(slug).tobytes()
            == demo_images.attraction_drawing(slug).tobytes()
        )
    stops = [("temple-of-heaven", "dongcheng"), ("hongluo-temple", "huairou")]
    a, b = demo_images.route_drawing("r", stops), demo_images.route_drawing("r", stops)
    assert a.size == (demo_images.W, demo_images.H) and a.tobytes() == b.tobytes()
    # an unknown place gets its district's drawing rather than nothing
    assert demo_images.attraction_drawing("somewhere-new", "dongcheng").size == a.size


def test_the_api_gives_route_pictures_and_says_which_are_illustrations(client, media):
    demo.load()
    data = client.get("/api/v1/routes/qianmen-yanqi-lake/", HTTP_ACCEPT_LANGUAGE="en").json()
    (image,) = data["images"]
    assert image["is_illustration"] is True and image["alt_text"].startswith("Illustration:")
    assert image["small"]["webp"].endswith("-small.webp") and image["width"] == 960
    stop = data["stops"][0]["attraction"]
    assert stop["images"][0]["is_illustration"] is True
    assert (stop["latitude"], stop["longitude"]) == (39.899, 116.398)  # WGS-84, as stored
