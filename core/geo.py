"""Distances on the Earth for the apps' maps and "nearby" lists: one
great-circle distance (haversine, in km), a bounding box that narrows rows
in SQL before the exact distance is computed, and the kilometres per degree
a flat local projection (the route diagrams) uses."""

import math

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
