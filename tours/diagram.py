"""A route's stops on a plan (``core.plan``: true relative positions, a km
scale bar, labels kept apart), in visiting order, coloured by district."""

from core.plan import LABEL_WIDTH, LINE_GAP, Diagram, Place, Point, label_width
from core.plan import build as build_plan

__all__ = ["LABEL_WIDTH", "LINE_GAP", "Diagram", "Point", "build", "label_width"]


def build(stops) -> Diagram | None:
    """``stops``: RouteStops in visiting order, attractions (with districts)
    loaded. None when there is nothing to draw."""
    return build_plan(
        [
            Place(
                label=str(s.attraction.name),
                latitude=float(s.attraction.latitude),
                longitude=float(s.attraction.longitude),
                group=s.attraction.district.code,
                day=s.day,
            )
            for s in stops
        ]
    )
