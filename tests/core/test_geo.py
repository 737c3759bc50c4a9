from decimal import Decimal

from core.geo import bounding_box, haversine_km


def test_the_distance_is_symmetric_and_zero_at_the_same_point():
    # then
    assert haversine_km(40.4, 116.6, 40.4, 116.6) == 0
    assert haversine_km(39.9, 116.4, 40.4, 116.7) == haversine_km(40.4, 116.7, 39.9, 116.4)


def test_every_point_within_the_radius_lies_in_the_bounding_box():
    # given: Huairou, and points 20 km away in eight directions
    lat, lon, radius = 40.316, 116.632, 20.0
    south, north, west, east = bounding_box(lat, lon, radius)
    # then
    for dlat, dlon in ((0.179, 0), (-0.179, 0), (0, 0.235), (0, -0.235), (0.127, 0.166)):
        point = (lat + dlat, lon + dlon)
        assert haversine_km(lat, lon, *point) <= radius + 0.1
        assert south <= point[0] <= north and west <= point[1] <= east


# --- China's datums and the "navigate" links ---------------------------------------------

from urllib.parse import parse_qs, urlsplit  # noqa: E402

import pytest  # noqa: E402

from core.geo import (  # noqa: E402
    gcj02_to_bd09,
    navigation_links,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)


def test_the_datum_shifts_match_the_published_reference_values():
    # the reference values of the widely used coordtransform library, for (39.915, 116.404)
    lat, lon = wgs84_to_gcj02(39.915, 116.404)
    assert (lat, lon) == pytest.approx((39.91640428150164, 116.41024449916938), abs=1e-9)
    lat, lon = gcj02_to_bd09(39.915, 116.404)
    assert (lat, lon) == pytest.approx((39.92133699351021, 116.41036949371029), abs=1e-9)
    # in Beijing the GCJ-02 shift is a few hundred metres, Baidu's further ~1 km
    g = wgs84_to_gcj02(39.882, 116.407)
    b = wgs84_to_bd09(39.882, 116.407)
    assert 0.2 < haversine_km(39.882, 116.407, *g) < 0.8
    assert 0.5 < haversine_km(*g, *b) < 1.5


def test_outside_china_nothing_is_shifted():
    assert wgs84_to_gcj02(48.8584, 2.2945) == (48.8584, 2.2945)
    assert wgs84_to_bd09(-33.8568, 151.2153) == (-33.8568, 151.2153)


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_navigation_links_give_each_app_its_own_datum_and_order():
    links = {
        link.app: link for link in navigation_links(Decimal("39.882"), Decimal("116.407"), "天坛")
    }
    assert list(links) == ["amap", "baidu", "apple"]
    g_lat, g_lon = wgs84_to_gcj02(39.882, 116.407)
    b_lat, b_lon = wgs84_to_bd09(39.882, 116.407)

    amap = urlsplit(links["amap"].url)
    assert (amap.scheme, amap.netloc, amap.path) == ("https", "uri.amap.com", "/marker")
    q = _query(links["amap"].url)
    assert q["position"] == f"{g_lon:.6f},{g_lat:.6f}"  # Amap: lon,lat
    assert (q["coordinate"], q["name"], q["callnative"]) == ("gaode", "天坛", "1")

    baidu = urlsplit(links["baidu"].url)
    assert (baidu.netloc, baidu.path) == ("api.map.baidu.com", "/marker")
    q = _query(links["baidu"].url)
    assert q["location"] == f"{b_lat:.6f},{b_lon:.6f}"  # Baidu: lat,lon
    assert (q["coord_type"], q["title"], q["output"]) == ("bd09ll", "天坛", "html")
    assert q["src"].startswith("webapp.")

    apple = urlsplit(links["apple"].url)
    assert (apple.netloc, apple.path) == ("maps.apple.com", "/")
    q = _query(links["apple"].url)
    assert q["ll"] == f"{g_lat:.6f},{g_lon:.6f}" and q["q"] == "天坛"


def test_a_name_with_url_syntax_in_it_is_encoded_not_interpreted():
    name = 'A & B "C" #1 ?x=y/z 东四'
    for link in navigation_links(39.9288, 116.4176, name):
        assert " " not in link.url and '"' not in link.url and "#" not in link.url
        parsed = _query(link.url)
        assert name in parsed.values()  # it round-trips exactly
        assert "x" not in parsed  # and never became a parameter of its own
