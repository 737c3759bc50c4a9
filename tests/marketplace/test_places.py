"""Where to collect: every centre and counter on /centres/ has "navigate"
links (core.geo), a counter at its own entrance or else at its centre."""

from decimal import Decimal

import pytest

from core.geo import haversine_km, wgs84_to_gcj02

from .factories import CentreFactory, CounterFactory

pytestmark = pytest.mark.django_db


def test_centres_and_counters_link_to_the_map_apps(client):
    # given: one counter with its own entrance, one without coordinates
    centre = CentreFactory(latitude=Decimal("39.928800"), longitude=Decimal("116.417600"))
    CounterFactory(
        centre=centre,
        name="东门专柜",
        latitude=Decimal("39.928800"),
        longitude=Decimal("116.417750"),
    )
    CounterFactory(centre=centre, name="二层专柜")
    # when
    html = client.get("/en/centres/").content.decode()
    # then: the centre and both counters, each with the three apps
    assert html.count('class="navigate-link navigate-amap"') == 3
    assert html.count("https://api.map.baidu.com/marker?") == 3
    own = wgs84_to_gcj02(39.9288, 116.41775)
    at_centre = wgs84_to_gcj02(39.9288, 116.4176)
    assert f"position={own[1]:.6f},{own[0]:.6f}" in html
    assert html.count(f"position={at_centre[1]:.6f},{at_centre[0]:.6f}") == 2  # centre + fallback


def test_a_place_without_coordinates_has_no_links(client):
    CentreFactory(latitude=None, longitude=None)
    html = client.get("/en/centres/").content.decode()
    assert "navigate-link" not in html


def test_demo_counters_stand_at_their_centres_entrances(settings, tmp_path):
    from marketplace import demo
    from marketplace.models import Counter

    settings.MEDIA_ROOT = tmp_path
    demo.load()
    counters = list(Counter.objects.select_related("centre"))
    assert len(counters) == 4
    for counter in counters:
        assert counter.latitude is not None  # each has its own point
        lat, lon = counter.map_point
        centre = counter.centre
        # a few metres from the centre's own point, inside Dongcheng's old city
        assert (
            haversine_km(float(lat), float(lon), float(centre.latitude), float(centre.longitude))
            < 0.1
        )
        assert 39.86 < lat < 39.97 and 116.38 < lon < 116.45
        assert "示例" not in centre.address  # a real street, not "Demo Lane"


def test_the_centres_page_draws_the_centres_where_they_are(client):
    # given: the demo's three centres (Dongsi north, Qianmen south-west, Tiantan south-east)
    for lat, lon in (
        ("39.928800", "116.417600"),
        ("39.895600", "116.398600"),
        ("39.882300", "116.421200"),
    ):
        CentreFactory(latitude=Decimal(lat), longitude=Decimal(lon))
    response = client.get("/en/centres/")
    plan = response.context["plan"]
    dongsi, qianmen, tiantan = plan.points
    assert dongsi.y < qianmen.y < tiantan.y  # north is up
    assert qianmen.x < dongsi.x < tiantan.x  # east is right
    assert plan.path == ""  # places to choose from, not a route: no line through them
    html = response.content.decode()
    assert html.count('<g class="map-stop map-centre">') == 3
    assert "Plan of the consumption-support centres" in html


def test_one_centre_needs_no_plan(client):
    CentreFactory()
    assert client.get("/en/centres/").context["plan"] is None
