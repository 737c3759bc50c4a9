"""Places drawn on a plan as an inline SVG, computed from their coordinates:
a route's stops (``tours.diagram``), the collection centres (``/centres/``).

No map tiles (the site asks no outside host): the stops are projected
(equirectangular, scaled by the cosine of the latitude, which is accurate to
well under 1% over a route's few dozen kilometres), fitted into a phone-width
canvas and joined in visiting order. Stops that would overlap on screen — the
Qianmen and Temple of Heaven stops are 2 km apart, Mutianyu is 60 km further
— are nudged apart until every label has its own line, with a thin leader to
the true position. A scale bar and a north arrow keep the drawing honest.
"""

import math
from dataclasses import dataclass, field

from core.geo import KM_PER_DEGREE

WIDTH = 360
PAD_X = 28
PAD_TOP = 34
PAD_BOTTOM = 46
MIN_PLOT_HEIGHT = 120
MAX_PLOT_HEIGHT = 300
# Two labels closer than this vertically, and this horizontally, would collide.
LINE_GAP = 26
LABEL_WIDTH = 150
MARKER_R = 11


@dataclass(frozen=True)
class Place:
    """What is drawn: a label at a WGS-84 point; ``group`` picks its colour
    (a CSS class ``map-<group>``), ``day`` is carried along for the caller."""

    label: str
    latitude: float
    longitude: float
    group: str = ""
    day: int = 1


@dataclass
class Point:
    number: int
    label: str
    day: int
    group: str
    true_x: float
    true_y: float
    x: float = 0.0
    y: float = 0.0
    anchor: str = "start"

    @property
    def moved(self) -> bool:
        return math.hypot(self.x - self.true_x, self.y - self.true_y) > 4

    @property
    def label_width(self) -> float:
        return label_width(self.label)

    @property
    def label_x(self) -> float:
        return self.x + MARKER_R + 5 if self.anchor == "start" else self.x - MARKER_R - 5


@dataclass
class Diagram:
    width: int
    height: int
    points: list[Point] = field(default_factory=list)
    path: str = ""
    scale_km: int = 0
    scale_px: float = 0.0
    scale_y: float = 0.0
    min_x: int = 0  # < 0 when a label sticks out on the left

    @property
    def viewbox(self) -> str:
        return f"{self.min_x} 0 {self.width} {self.height}"

    @property
    def scale_x(self) -> int:
        return self.min_x + 16

    @property
    def scale_end_x(self) -> float:
        return self.scale_x + self.scale_px + 6

    @property
    def north_x(self) -> int:
        return self.min_x + self.width - 22

    @property
    def north_y(self) -> float:
        return self.height - 14


def label_width(text: str, font_px: float = 13) -> float:
    """Roughly how wide a label is drawn: CJK characters are square, Latin
    letters about half as wide."""
    return sum(font_px if ord(ch) > 0x2E80 else font_px * 0.66 for ch in text)


def _nice_km(target: float) -> int:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500):
        if step >= target:
            return step
    return 1000


def build(places: list[Place], *, joined: bool = True) -> Diagram | None:
    """``places`` in order (numbered from 1); ``joined`` draws the line
    through them in that order (a route), else none (places to choose
    from). None when there is nothing to draw."""
    stops = list(places)
    if not stops:
        return None
    lats = [float(s.latitude) for s in stops]
    lons = [float(s.longitude) for s in stops]
    mid_lat = math.radians((min(lats) + max(lats)) / 2)
    # Kilometres east and north of the south-west corner.
    xs_km = [(lon - min(lons)) * KM_PER_DEGREE * math.cos(mid_lat) for lon in lons]
    ys_km = [(lat - min(lats)) * KM_PER_DEGREE for lat in lats]
    span_x, span_y = max(xs_km) or 0.0, max(ys_km) or 0.0
    plot_w = WIDTH - 2 * PAD_X - LABEL_WIDTH / 2
    scale = plot_w / span_x if span_x else 0.0  # px per km
    if span_y and (not scale or span_y * scale > MAX_PLOT_HEIGHT):
        scale = MAX_PLOT_HEIGHT / span_y
    plot_h = max(MIN_PLOT_HEIGHT, span_y * scale) if scale else MIN_PLOT_HEIGHT
    # Centre the drawing horizontally in the space left by the labels.
    offset_x = PAD_X + (plot_w - span_x * scale) / 2 + (LABEL_WIDTH / 4)
    offset_y = PAD_TOP + (plot_h - span_y * scale) / 2

    points = []
    for number, (stop, x_km, y_km) in enumerate(zip(stops, xs_km, ys_km, strict=True), start=1):
        x = offset_x + x_km * scale
        y = offset_y + (span_y - y_km) * scale  # north is up
        points.append(
            Point(
                number=number,
                label=str(stop.label),
                day=stop.day,
                group=stop.group,
                true_x=x,
                true_y=y,
                x=x,
                y=y,
            )
        )

    # The same attraction twice (out and back) is drawn once per visit but
    # separated like any other close pair.
    _separate(points)
    for p in points:
        room_right = WIDTH - 4 - (p.x + MARKER_R + 5)
        room_left = p.x - MARKER_R - 5 - 4
        fits_right = p.label_width <= room_right
        p.anchor = (
            "start"
            if fits_right or (p.label_width > room_left and room_right >= room_left)
            else "end"
        )
    # A label longer than the room on either side widens the drawing instead
    # of being cut off (the SVG scales down a little to fit the screen).
    left = min([0.0] + [p.label_x - p.label_width - 4 for p in points if p.anchor == "end"])
    right = max(
        [float(WIDTH)] + [p.label_x + p.label_width + 4 for p in points if p.anchor == "start"]
    )

    bottom = max(p.y for p in points)
    height = int(max(bottom, PAD_TOP + plot_h) + PAD_BOTTOM)
    diagram = Diagram(
        width=math.ceil(right - math.floor(left)),
        height=height,
        points=points,
        min_x=math.floor(left),
    )
    if joined:
        diagram.path = " ".join(
            f"{'M' if i == 0 else 'L'}{p.x:.1f},{p.y:.1f}" for i, p in enumerate(points)
        )
    if scale:
        km = _nice_km(70 / scale)
        diagram.scale_km, diagram.scale_px = km, km * scale
    diagram.scale_y = height - 18
    return diagram


def _separate(points: list[Point]) -> None:
    """Pushes markers down until no two labels share a line. Stable: the
    northernmost stop of a cluster stays where it is."""
    placed: list[Point] = []
    for p in sorted(points, key=lambda p: (p.y, p.x)):
        moved = True
        while moved:  # ends: p only moves down, past finitely many others
            moved = False
            for q in placed:
                if abs(p.x - q.x) < LABEL_WIDTH and abs(p.y - q.y) < LINE_GAP:
                    p.y = q.y + LINE_GAP
                    moved = True
        placed.append(p)
