"""The plan drawing and the calendar helpers, without the database."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from core.geo import haversine_km
from tours import diagram, ics


def stop(name, lat, lon, district="huairou", day=1):
    attraction = SimpleNamespace(
        name=name,
        latitude=Decimal(lat),
        longitude=Decimal(lon),
        district=SimpleNamespace(code=district),
    )
    return SimpleNamespace(attraction=attraction, day=day)


REPORT_ROUTE = [
    stop("天坛", "39.882", "116.407", "dongcheng"),
    stop("红螺寺", "40.378", "116.627"),
    stop("慕田峪长城", "40.432", "116.570", day=2),
]


def test_plan_keeps_north_up_and_every_label_on_its_own_line():
    plan = diagram.build(REPORT_ROUTE)
    temple, hongluo, mutianyu = plan.points
    assert temple.y > hongluo.y > mutianyu.y  # further north is higher up
    assert hongluo.x > mutianyu.x > temple.x  # and further east is to the right
    for a in plan.points:
        for b in plan.points:
            if a is not b and abs(a.x - b.x) < diagram.LABEL_WIDTH:
                assert abs(a.y - b.y) >= diagram.LINE_GAP
    assert plan.path.startswith("M") and plan.path.count("L") == 2
    assert plan.scale_km in (1, 2, 5, 10, 20, 50) and 40 <= plan.scale_px <= 200


def test_close_stops_are_pulled_apart_with_a_leader_to_the_true_place():
    plan = diagram.build(
        [
            stop("前门大街", "39.899", "116.398", "dongcheng"),
            stop("天坛", "39.882", "116.407", "dongcheng"),
            stop("雁栖湖", "40.405", "116.675"),
        ]
    )
    qianmen, temple, _lake = plan.points
    assert abs(qianmen.y - temple.y) >= diagram.LINE_GAP
    assert qianmen.moved or temple.moved


def test_long_labels_widen_the_drawing_instead_of_being_cut():
    plan = diagram.build(
        [
            stop("A very long attraction name indeed (with more)", "40", "116"),
            stop("B", "40.5", "116.5"),
        ]
    )
    for p in plan.points:
        if p.anchor == "start":
            assert p.label_x + p.label_width <= plan.min_x + plan.width
        else:
            assert p.label_x - p.label_width >= plan.min_x


def test_one_stop_and_no_stop():
    assert diagram.build([]) is None
    plan = diagram.build([stop("雁栖湖", "40.405", "116.675")])
    assert len(plan.points) == 1 and plan.scale_km == 0


def test_ics_escaping_and_folding():
    assert ics.escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "DESCRIPTION:" + "雁栖湖" * 40
    folded = ics.fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line


def test_seats_and_phone_take_ascii_digits_only():
    import pytest

    from core.errors import DomainError
    from tours.services.common import check_contact, check_seats

    assert check_seats("3") == 3
    for odd in ("²", "٣", "3.0"):
        with pytest.raises(DomainError):
            check_seats(odd)
    assert check_contact("王芳", "+86 139-1000-0000") == ("王芳", "+86 139-1000-0000")
    with pytest.raises(DomainError):
        check_contact("王芳", "١٣٩١٠٠٠٠٠٠٠")


def test_positions_are_true_to_scale_and_the_scale_bar_measures_them():
    # given: three stops on one parallel and one meridian, Qianmen-like latitude
    west, east = stop("W", "39.90", "116.40"), stop("E", "39.90", "116.60")
    north = stop("N", "40.10", "116.40")
    plan = diagram.build([west, east, north])
    w, e, n = plan.points
    # then: east is to the right, north is up, on the same row and column
    assert e.true_x > w.true_x and n.true_y < w.true_y
    assert e.true_y == pytest.approx(w.true_y) and n.true_x == pytest.approx(w.true_x)
    # the scale bar's px per km is the drawing's, in both directions
    px_per_km = plan.scale_px / plan.scale_km
    east_km = haversine_km(39.90, 116.40, 39.90, 116.60)
    north_km = haversine_km(39.90, 116.40, 40.10, 116.40)
    assert (e.true_x - w.true_x) / east_km == pytest.approx(px_per_km, rel=0.01)
    assert (w.true_y - n.true_y) / north_km == pytest.approx(px_per_km, rel=0.01)


def test_the_report_route_fits_a_phone_and_its_labels_stay_apart():
    plan = diagram.build(REPORT_ROUTE)
    # the SVG is drawn at 360 user units wide: a 390 px screen shows it unscaled
    assert plan.width <= 390 - 2 * 14
    boxes = []
    for p in plan.points:
        left = p.label_x if p.anchor == "start" else p.label_x - p.label_width
        boxes.append((left, p.y - 8, left + p.label_width, p.y + 8))
    for i, a in enumerate(boxes):
        assert plan.min_x <= a[0] and a[2] <= plan.min_x + plan.width
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
