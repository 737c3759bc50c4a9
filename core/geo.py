"""Places on the Earth: one great-circle distance (haversine, in km), a
bounding box that narrows rows in SQL before the exact distance is computed,
the kilometres per degree a flat local projection (``core.plan``) uses, and
the "navigate" links to the map apps people in Beijing use, each given the
coordinates in its own datum (below)."""

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

EARTH_RADIUS_KM = 6371.0088  # the mean radius
KM_PER_DEGREE = 111.32  # along a meridian, and along the equator


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points given in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def bounding_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """(south, north, west, east) in degrees: every point within ``radius_km``
    of (lat, lon) lies inside (slightly generous, never too small)."""
    dlat = radius_km / 111.0
    dlon = radius_km / (111.0 * max(math.cos(math.radians(lat)), 0.01))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


# --- China's map datums and "navigate" links ------------------------------------------------
#
# The site stores WGS-84 (what GPS, OpenStreetMap and Wikipedia give). Maps in
# mainland China draw on shifted datums: GCJ-02 (高德/AutoNavi, Tencent, Apple
# Maps inside China, whose data is AutoNavi's) and Baidu's BD-09, a further
# shift of GCJ-02. A WGS-84 point shown as-is on those maps lands 300–600 m
# off. So each link is given the coordinates in the datum of the app it
# opens, converted here, and names that datum in its own parameter too
# (``coordinate=gaode``, ``coord_type=bd09ll``), so the app never guesses.
# Converting here rather than asking each app to (both accept a WGS-84 input
# parameter) keeps every link testable against published reference values and
# works the same for Apple Maps, which has no such parameter.
#
# The GCJ-02 shift is the widely published approximation of the official
# algorithm (accurate to a few metres); outside mainland China the datums
# coincide and nothing is shifted.

_GCJ_A = 6378245.0  # the Krasovsky 1940 semi-major axis the algorithm uses
_GCJ_EE = 0.00669342162296594323  # its eccentricity squared
_BD_X_PI = math.pi * 3000.0 / 180.0


def outside_china(lat: float, lon: float) -> bool:
    """True where the Chinese datums are not shifted (a bounding box of China)."""
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _shift_lat(x: float, y: float) -> float:
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    r += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return r


def _shift_lon(x: float, y: float) -> float:
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    r += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return r


def wgs84_to_gcj02(lat: float, lon: float) -> tuple[float, float]:
    """(lat, lon) on WGS-84 -> (lat, lon) on GCJ-02."""
    if outside_china(lat, lon):
        return lat, lon
    dlat = _shift_lat(lon - 105.0, lat - 35.0)
    dlon = _shift_lon(lon - 105.0, lat - 35.0)
    radlat = math.radians(lat)
    magic = 1 - _GCJ_EE * math.sin(radlat) ** 2
    sqrt_magic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_GCJ_A * (1 - _GCJ_EE)) / (magic * sqrt_magic) * math.pi)
    dlon = (dlon * 180.0) / (_GCJ_A / sqrt_magic * math.cos(radlat) * math.pi)
    return lat + dlat, lon + dlon


def gcj02_to_bd09(lat: float, lon: float) -> tuple[float, float]:
    """(lat, lon) on GCJ-02 -> (lat, lon) on Baidu's BD-09."""
    z = math.sqrt(lon * lon + lat * lat) + 0.00002 * math.sin(lat * _BD_X_PI)
    theta = math.atan2(lat, lon) + 0.000003 * math.cos(lon * _BD_X_PI)
    return z * math.sin(theta) + 0.006, z * math.cos(theta) + 0.0065


def wgs84_to_bd09(lat: float, lon: float) -> tuple[float, float]:
    if outside_china(lat, lon):
        return lat, lon
    return gcj02_to_bd09(*wgs84_to_gcj02(lat, lon))


@dataclass(frozen=True)
class MapLink:
    app: str  # "amap", "baidu", "apple": a stable key for tests and CSS
    label: "StrOrPromise"  # the app's name as people in Beijing know it
    url: str


def _fmt(value: float) -> str:
    return f"{value:.6f}"


def navigation_links(
    lat, lon, name: str, *, source: str = "dongcheng-huairou.site"
) -> list[MapLink]:
    """Links that open a place in 高德, 百度 and Apple Maps (the app where it is
    installed, else the provider's own web page). Only links: the site itself
    fetches no map. ``lat``/``lon`` are WGS-84 (float or Decimal); ``name``
    is shown as the marker's title and is URL-encoded here (escape the URLs
    for HTML as usual: the template's autoescape does)."""
    lat, lon = float(lat), float(lon)
    g_lat, g_lon = wgs84_to_gcj02(lat, lon)
    b_lat, b_lon = wgs84_to_bd09(lat, lon)
    amap = urlencode(
        {
            "position": f"{_fmt(g_lon)},{_fmt(g_lat)}",  # lon,lat: Amap's order
            "name": name,
            "src": source,
            "coordinate": "gaode",
            "callnative": "1",
        },
        safe=",",
        quote_via=quote,
    )
    baidu = urlencode(
        {
            "location": f"{_fmt(b_lat)},{_fmt(b_lon)}",  # lat,lon: Baidu's order
            "title": name,
            "content": name,
            "output": "html",
            "coord_type": "bd09ll",
            "src": f"webapp.{source}",  # Baidu asks for webapp.<company>.<app>
        },
        safe=",",
        quote_via=quote,
    )
    apple = urlencode({"ll": f"{_fmt(g_lat)},{_fmt(g_lon)}", "q": name}, safe=",", quote_via=quote)
    return [
        MapLink("amap", _("Amap (Gaode)"), f"https://uri.amap.com/marker?{amap}"),
        MapLink("baidu", _("Baidu Maps"), f"https://api.map.baidu.com/marker?{baidu}"),
        MapLink("apple", _("Apple Maps"), f"https://maps.apple.com/?{apple}"),
    ]


def openstreetmap_url(latitude, longitude) -> str:
    """A link to a point on OpenStreetMap ("" without coordinates): a plain
    link, so a page showing it fetches nothing from the map's servers."""
    if latitude is None or longitude is None:
        return ""
    return f"https://www.openstreetmap.org/?mlat={latitude}&mlon={longitude}#map=14/{latitude}/{longitude}"
