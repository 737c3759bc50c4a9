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
