"""The plan drawing and the calendar helpers, without the database."""

from decimal import Decimal
from types import SimpleNamespace

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
