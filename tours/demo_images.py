"""Illustrations for the demo routes and attractions, drawn with Pillow from
plain shapes: a gate tower for Qianmen, the round hall of the Temple of
Heaven, the Wall on its ridges, a lake under the Yan Mountains. No photo is
invented or borrowed, and none is fetched.

Like the product drawings (``marketplace.demo_images``) each is stored
through the upload pipeline (``core.images``: re-encoded, WebP and JPEG
renditions for ``srcset``), flagged ``is_illustration`` so every page shows an
"illustration" label on it, with a text alternative that says so too, and
added only where a route or attraction has no image yet (a partner's real
photo is never replaced). Drawings are deterministic: the same slug gives the
same pixels (the only randomness is seeded from it).

The palette is the site's (static/css/site.css): the red and ink of the
Dongcheng pages, the green of Huairou, on the warm paper background.
"""

import io
import itertools
import random
import zlib
from collections.abc import Callable, Iterable

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

W, H = 960, 600

PAPER = (255, 253, 248)
SKY_TOP, SKY_BOTTOM = (222, 236, 240), (250, 244, 230)
RED, RED_DARK = (155, 28, 28), (122, 20, 20)
INK = (31, 35, 40)
GREEN, GREEN_LIGHT, GREEN_PALE = (15, 81, 50), (60, 124, 84), (140, 178, 140)
STONE, STONE_DARK = (214, 206, 190), (160, 150, 134)
ROOF_GREY, ROOF_BLUE, ROOF_GOLD = (82, 88, 96), (38, 72, 130), (214, 160, 40)
WATER, WATER_DARK = (150, 196, 210), (112, 164, 184)
SUN = (246, 196, 120)

Drawing = Callable[[ImageDraw.ImageDraw, random.Random], None]


def _canvas(top=SKY_TOP, bottom=SKY_BOTTOM) -> Image.Image:
    img = Image.new("RGB", (W, H), top)
    d = ImageDraw.Draw(img)
    for y in range(H):
        t = y / H
        d.line(
            [(0, y), (W, y)],
            fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    return img


def _sun(d, x, y, r=46):
    d.ellipse([x - r, y - r, x + r, y + r], fill=SUN)


def _ridge(d, rnd, base, height, colour, peaks=5, jag=0.35):
    """A mountain range across the picture: alternating peaks and saddles at
    jittered, always increasing x, so the outline never folds back."""
    step = (W + 40) / (2 * peaks)
    pts = [(-20.0, float(H)), (-20.0, base - height * rnd.uniform(0.2, 0.5))]
    for i in range(1, 2 * peaks + 1):
        x = -20 + i * step + rnd.uniform(-0.3, 0.3) * step
        low, high = (0.75, 1.0) if i % 2 else (jag, 0.6)
        pts.append((x, base - height * rnd.uniform(low, high)))
    pts += [(W + 20.0, base - height * rnd.uniform(0.2, 0.5)), (W + 20.0, float(H))]
    d.polygon(pts, fill=colour)
    return pts


def _roof(d, cx, y, w, h, colour, eave=0.12):
    """A Chinese hip roof with upturned eaves, its ridge at ``y``."""
    e = w * eave
    d.polygon(
        [
            (cx - w / 2 - e, y + h - h * 0.35),
            (cx - w / 2 + e * 0.4, y + h),
            (cx + w / 2 - e * 0.4, y + h),
            (cx + w / 2 + e, y + h - h * 0.35),
            (cx + w / 2 - w * 0.18, y),
            (cx - w / 2 + w * 0.18, y),
        ],
        fill=colour,
    )
    d.line([(cx - w / 2 + w * 0.16, y), (cx + w / 2 - w * 0.16, y)], fill=INK, width=4)


def _hall(d, cx, ground, w, h, roof_colour, wall=RED, columns=6):
    """A hall: a red wall with columns under a roof."""
    top = ground - h
    d.rectangle([cx - w / 2, top, cx + w / 2, ground], fill=wall)
    for i in range(1, columns):
        x = cx - w / 2 + w * i / columns
        d.line([(x, top + 6), (x, ground)], fill=RED_DARK, width=3)
    d.rectangle([cx - w * 0.09, ground - h * 0.6, cx + w * 0.09, ground], fill=RED_DARK)
    _roof(d, cx, top - h * 0.55, w * 1.08, h * 0.6, roof_colour)


def _ground(d, y, colour=STONE):
    d.rectangle([0, y, W, H], fill=colour)


# --- One drawing per place ----------------------------------------------------------------


def gate_street(d, rnd):
    """Qianmen Street: the Zhengyangmen arrow tower over a street of shops."""
    _sun(d, 760, 120)
    ground = 470
    # the tower on its wall
    d.rectangle([250, 300, 710, ground], fill=STONE_DARK)
    d.rectangle([280, 230, 680, 320], fill=RED)
    for row in range(2):
        for i in range(8):
            x = 300 + i * 48
            y = 245 + row * 38
            d.rectangle([x, y, x + 18, y + 20], fill=INK)
    _roof(d, 480, 190, 460, 60, ROOF_GREY)
    d.rectangle([330, 150, 630, 200], fill=RED)
    _roof(d, 480, 100, 360, 60, ROOF_GREY)
    d.chord([430, 390, 530, 500], 180, 360, fill=INK)
    # shops and lanterns along the street
    _ground(d, ground)
    for i, x in enumerate(range(-20, W, 150)):
        if 220 < x < 700:
            continue
        _hall(d, x + 60, ground + 60, 120, 80, ROOF_GREY, columns=3)
        d.ellipse([x + 40, ground + 5, x + 62, ground + 30], fill=RED)
        d.ellipse([x + 90, ground + 5, x + 112, ground + 30], fill=RED if i % 2 else SUN)
    d.polygon([(380, H), (580, H), (500, ground), (460, ground)], fill=(200, 190, 172))


def round_hall(d, rnd):
    """The Temple of Heaven: the round Hall of Prayer on its three white terraces."""
    _sun(d, 170, 120, 40)
    cx, ground = 480, 520
    for i, (w, h) in enumerate(((760, 34), (640, 34), (520, 34))):
        y = ground - i * h
        d.rectangle([cx - w / 2, y - h, cx + w / 2, y], fill=(244, 240, 230), outline=STONE_DARK)
        for x in range(int(cx - w / 2) + 12, int(cx + w / 2), 24):
            d.line([(x, y - h + 6), (x, y - 4)], fill=STONE_DARK, width=2)
    base = ground - 3 * 34
    for level, (w, h) in enumerate(((360, 70), (290, 60), (210, 56))):
        wall_top = base - h
        d.rectangle([cx - w / 2 + 30, wall_top, cx + w / 2 - 30, base], fill=RED)
        for i in range(1, 8):
            x = cx - w / 2 + 30 + (w - 60) * i / 8
            d.line([(x, wall_top), (x, base)], fill=RED_DARK, width=3)
        roof_top = wall_top - h * 0.55
        d.polygon(
            [(cx - w / 2, wall_top + 8), (cx + w / 2, wall_top + 8), (cx, roof_top - 24 * level)],
            fill=ROOF_BLUE,
        )
        d.chord([cx - w / 2, wall_top - 6, cx + w / 2, wall_top + 22], 0, 180, fill=ROOF_BLUE)
        base = roof_top - 24 * level + 40 if level < 2 else base
    d.ellipse([cx - 14, 70, cx + 14, 98], fill=ROOF_GOLD)
    for x in (60, 880):
        d.ellipse([x - 50, 380, x + 50, 520], fill=GREEN_LIGHT)
        d.rectangle([x - 6, 500, x + 6, 540], fill=INK)


def lake(d, rnd):
    """Yanqi Lake under the Yan Mountains, with wild geese."""
    _sun(d, 700, 140, 50)
    _ridge(d, rnd, 360, 220, GREEN_PALE, peaks=4)
    _ridge(d, rnd, 380, 150, GREEN_LIGHT, peaks=6)
    d.rectangle([0, 380, W, H], fill=WATER)
    for y in range(400, H, 22):
        x0 = rnd.randint(-60, 200)
        for x in range(x0, W, rnd.randint(160, 260)):
            d.line([(x, y), (x + 70, y)], fill=WATER_DARK, width=3)
    d.ellipse([640, 395, 760, 420], fill=(246, 214, 160))  # the sun's reflection
    # a pavilion on the shore and a boat
    d.rectangle([100, 330, 250, 385], fill=STONE)
    _hall(d, 175, 372, 90, 40, ROOF_GREY, columns=3)
    d.polygon([(420, 480), (560, 480), (540, 500), (440, 500)], fill=RED_DARK)
    d.line([(490, 480), (490, 430)], fill=INK, width=3)
    for gx, gy in ((380, 120), (420, 140), (460, 160), (340, 140), (300, 160)):
        d.line([(gx - 16, gy - 8), (gx, gy), (gx + 16, gy - 8)], fill=INK, width=3)


def mountain_temple(d, rnd):
    """Hongluo Temple: halls on the mountain's foot among bamboo."""
    _ridge(d, rnd, 330, 260, GREEN_PALE, peaks=3, jag=0.5)
    _ridge(d, rnd, 400, 170, GREEN_LIGHT, peaks=4)
    _ground(d, 470, (200, 192, 170))
    for i, (cx, w) in enumerate(((480, 300), (250, 180), (720, 180))):
        ground = 470 if i == 0 else 480
        _hall(d, cx, ground, w, 90 if i == 0 else 70, ROOF_GREY)
    d.polygon([(400, H), (560, H), (520, 470), (440, 470)], fill=STONE)
    for x in list(range(20, 150, 22)) + list(range(830, 950, 22)):
        top = rnd.randint(260, 340)
        d.line([(x, H), (x, top)], fill=GREEN, width=7)
        for y in range(top + 20, H, 40):
            d.line([(x, y), (x + 12, y - 4)], fill=GREEN, width=2)
        d.ellipse([x - 22, top - 20, x + 22, top + 10], fill=GREEN)
    d.ellipse([560, 60, 640, 140], fill=SUN)


def great_wall(d, rnd):
    """Mutianyu: the Wall and its watchtowers along green ridges."""
    _sun(d, 150, 110, 40)
    _ridge(d, rnd, 300, 180, GREEN_PALE, peaks=5)
    pts = _ridge(d, rnd, 430, 260, GREEN_LIGHT, peaks=4, jag=0.55)
    ridge = pts[1:-1]
    _ridge(d, rnd, 600, 120, GREEN, peaks=5)
    # the Wall along the near ridge, a little below its crest
    wall = [(x, y + 18) for x, y in ridge]
    d.line(wall, fill=STONE, width=22, joint="curve")
    d.line([(x, y - 9) for x, y in wall], fill=STONE_DARK, width=4, joint="curve")
    for x, y in wall[1:-1:2]:
        if 0 < x < W:
            d.rectangle([x - 24, y - 50, x + 24, y + 8], fill=STONE, outline=STONE_DARK, width=3)
            d.rectangle([x - 8, y - 34, x + 8, y - 12], fill=INK)
            for bx in range(int(x) - 24, int(x) + 24, 12):
                d.rectangle([bx, y - 60, bx + 7, y - 50], fill=STONE_DARK)


def hutong(d, rnd):
    """Nanluoguxiang: grey courtyard houses along a lane, a red gate, trees."""
    _sun(d, 820, 100, 36)
    ground = 430
    for i, x in enumerate(range(-40, W + 40, 200)):
        d.rectangle([x, ground - 110, x + 190, ground], fill=(170, 170, 166))
        for bx in range(x, x + 190, 16):
            d.line([(bx, ground - 110), (bx, ground)], fill=(150, 150, 146), width=1)
        _roof(d, x + 95, ground - 150, 200, 44, ROOF_GREY, eave=0.05)
        if i % 2 == 0:
            d.rectangle([x + 70, ground - 80, x + 120, ground], fill=RED)
            d.ellipse([x + 86, ground - 50, x + 92, ground - 44], fill=ROOF_GOLD)
            d.ellipse([x + 98, ground - 50, x + 104, ground - 44], fill=ROOF_GOLD)
        else:
            d.rectangle([x + 40, ground - 80, x + 150, ground - 40], fill=(96, 70, 50))
            for wx in range(x + 48, x + 150, 18):
                d.line([(wx, ground - 80), (wx, ground - 40)], fill=STONE, width=2)
    _ground(d, ground, (196, 190, 180))
    for x in (150, 560):
        d.rectangle([x - 8, 250, x + 8, ground + 40], fill=INK)
        d.ellipse([x - 80, 180, x + 80, 310], fill=GREEN_LIGHT)
    for x in range(40, W, 120):
        d.ellipse([x, 470, x + 18, 494], fill=RED)


def lama_temple(d, rnd):
    """Yonghe Temple: yellow-roofed halls one behind the other, incense smoke."""
    _sun(d, 170, 130, 40)
    _ground(d, 470, (220, 206, 180))
    _hall(d, 480, 330, 300, 80, ROOF_GOLD)
    _roof(d, 480, 150, 240, 56, ROOF_GOLD)
    _hall(d, 480, 470, 520, 110, ROOF_GOLD)
    for x in (140, 820):
        _hall(d, x, 480, 180, 70, ROOF_GREY, columns=3)
    d.rectangle([380, 490, 420, 520], fill=INK)  # an incense burner
    for i in range(4):
        d.arc([450 + i * 8, 400 - i * 60, 520 + i * 8, 470 - i * 60], 200, 340, fill=STONE_DARK)


def gorge(d, rnd):
    """Qinglong Gorge: steep cliffs over a reservoir and a dam."""
    d.polygon([(0, 0), (330, 0), (300, 200), (360, 380), (310, H), (0, H)], fill=GREEN)
    d.polygon([(W, 0), (620, 0), (660, 180), (600, 360), (650, H), (W, H)], fill=GREEN)
    d.polygon([(0, 80), (220, 60), (250, 260), (190, H), (0, H)], fill=GREEN_LIGHT)
    d.polygon([(W, 60), (760, 90), (720, 300), (780, H), (W, H)], fill=GREEN_LIGHT)
    d.rectangle([300, 330, 660, 400], fill=STONE)
    d.rectangle([300, 320, 660, 336], fill=STONE_DARK)
    d.polygon([(310, 400), (650, 400), (680, H), (280, H)], fill=WATER)
    for y in range(420, H, 24):
        d.line([(360, y), (420, y)], fill=WATER_DARK, width=3)
        d.line([(520, y + 10), (590, y + 10)], fill=WATER_DARK, width=3)
    d.line([(380, 240), (580, 210)], fill=INK, width=3)  # a cliff path
    _sun(d, 480, 110, 44)


def skyline(d, rnd):
    """Any Dongcheng place without its own drawing: roofs of the old city."""
    _sun(d, 760, 120)
    _ground(d, 470)
    for x in range(60, W, 180):
        _hall(d, x, 470, 150, rnd.randint(60, 100), ROOF_GREY, columns=4)


def mountains(d, rnd):
    """Any Huairou place without its own drawing: layered green mountains."""
    _sun(d, 220, 130)
    _ridge(d, rnd, 330, 200, GREEN_PALE)
    _ridge(d, rnd, 450, 200, GREEN_LIGHT)
    _ridge(d, rnd, 600, 160, GREEN)


# slug: (drawing, alt zh, alt en)
ATTRACTIONS: dict[str, tuple[Drawing, str, str]] = {
    "qianmen-street": (
        gate_street,
        "示意图：前门箭楼和两侧挂着灯笼的店铺",
        "Illustration: the Qianmen arrow tower over shops hung with lanterns",
    ),
    "temple-of-heaven": (
        round_hall,
        "示意图：三层汉白玉台基上的祈年殿",
        "Illustration: the round Hall of Prayer on its three white marble terraces",
    ),
    "yanqi-lake": (
        lake,
        "示意图：燕山脚下的雁栖湖、湖边亭子和大雁",
        "Illustration: Yanqi Lake below the Yan Mountains, a pavilion and wild geese",
    ),
    "hongluo-temple": (
        mountain_temple,
        "示意图：红螺山下竹林中的寺院殿宇",
        "Illustration: temple halls among bamboo at the foot of Hongluo Mountain",
    ),
    "mutianyu-great-wall": (
        great_wall,
        "示意图：沿山脊蜿蜒的慕田峪长城和敌楼",
        "Illustration: the Mutianyu Great Wall and its watchtowers along the ridges",
    ),
    "nanluoguxiang": (
        hutong,
        "示意图：胡同里的四合院、红门和槐树",
        "Illustration: courtyard houses, a red gate and trees along a hutong",
    ),
    "yonghe-temple": (
        lama_temple,
        "示意图：雍和宫层层递进的黄瓦殿宇",
        "Illustration: the yellow-roofed halls of the Yonghe Temple, one behind another",
    ),
    "qinglong-gorge": (
        gorge,
        "示意图：青龙峡的峭壁、大坝和水库",
        "Illustration: the cliffs, dam and reservoir of Qinglong Gorge",
    ),
}
FALLBACK = {
    "dongcheng": (skyline, "示意图：老城的屋顶", "Illustration: roofs of the old city"),
    "huairou": (mountains, "示意图：怀柔的群山", "Illustration: the mountains of Huairou"),
}


def _seed(slug: str) -> random.Random:
    return random.Random(zlib.crc32(slug.encode()))


def attraction_drawing(slug: str, district: str = "huairou") -> Image.Image:
    draw = ATTRACTIONS.get(slug, FALLBACK.get(district, FALLBACK["huairou"]))[0]
    img = _canvas()
    draw(ImageDraw.Draw(img), _seed(slug))
    return img


def route_drawing(slug: str, stops: Iterable[tuple[str, str]]) -> Image.Image:
    """A route's picture: its stops' drawings side by side in visiting order
    (each a vertical slice), joined by the route line with numbered stops."""
    stops = list(dict.fromkeys(stops))[:4] or [("", "huairou")]
    img = Image.new("RGB", (W, H), PAPER)
    slice_w = W // len(stops)
    for i, (attraction, district) in enumerate(stops):
        full = attraction_drawing(attraction, district)
        left = (W - slice_w) // 2
        img.paste(full.crop((left, 0, left + slice_w, H)), (i * slice_w, 0))
    d = ImageDraw.Draw(img)
    for i in range(1, len(stops)):
        d.line([(i * slice_w, 0), (i * slice_w, H)], fill=PAPER, width=6)
    y = H - 64
    centres = [(i * slice_w + slice_w // 2, y) for i in range(len(stops))]
    for a, b in itertools.pairwise(centres):
        for x in range(a[0], b[0], 28):  # a dashed route line
            d.line([(x, y), (min(x + 16, b[0]), y)], fill=PAPER, width=8)
            d.line([(x, y), (min(x + 16, b[0]), y)], fill=RED, width=4)
    for number, (cx, cy) in enumerate(centres, start=1):
        d.ellipse([cx - 26, cy - 26, cx + 26, cy + 26], fill=PAPER)
        d.ellipse([cx - 21, cy - 21, cx + 21, cy + 21], fill=RED)
        # the number as bars and dots: no font is needed (none is guaranteed on the server)
        for k in range(number):
            bx = cx - (number - 1) * 5 + k * 10
            d.rectangle([bx - 2, cy - 11, bx + 2, cy + 11], fill=PAPER)
    return img


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def illustrate_attractions(attractions) -> int:
    """Adds a drawing to each attraction that has no image; returns how many."""
    from .models import AttractionImage

    added = 0
    for attraction in attractions:
        if attraction.images.exists():
            continue
        district = attraction.district.code
        _draw, alt_zh, alt_en = ATTRACTIONS.get(
            attraction.slug, FALLBACK.get(district, FALLBACK["huairou"])
        )
        image = AttractionImage(
            attraction=attraction,
            alt_text_zh_hans=alt_zh,
            alt_text_en=alt_en,
            is_illustration=True,
            position=0,
        )
        image.image = ContentFile(
            _png(attraction_drawing(attraction.slug, district)), name=f"{attraction.slug}.png"
        )
        image.save()
        added += 1
    return added


def illustrate_routes(routes) -> int:
    """Adds a drawing to each route that has no image; returns how many."""
    from .models import RouteImage

    added = 0
    for route in routes:
        if route.images.exists():
            continue
        stops = [
            (s.attraction.slug, s.attraction.district.code)
            for s in route.stops.select_related("attraction__district").order_by("order")
        ]
        names_zh = "、".join(
            s.attraction.name_zh_hans for s in route.stops.select_related("attraction")
        )
        names_en = ", ".join(
            str(s.attraction.name_en or s.attraction.name_zh_hans)
            for s in route.stops.select_related("attraction")
        )
        image = RouteImage(
            route=route,
            alt_text_zh_hans=f"示意图：线路沿途 {names_zh}，依游览顺序排列"[:200],
            alt_text_en=f"Illustration: the route's stops in visiting order: {names_en}"[:200],
            is_illustration=True,
            position=0,
        )
        image.image = ContentFile(_png(route_drawing(route.slug, stops)), name=f"{route.slug}.png")
        image.save()
        added += 1
    return added
