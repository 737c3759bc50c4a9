"""Draws the site's raster icons from the design of static/img/favicon.svg
(a dark red rounded square, pale yellow mountains and sun) with Pillow, which
cannot read SVG: the shapes are repeated here in the SVG's 32×32 units.

    .venv/bin/python scripts/make_icons.py

writes static/img/favicon.ico (16, 32, 48 px; served at /favicon.ico) and
static/img/icon-192.png, icon-512.png (the web app manifest's icons). The
files are committed (tests/portal/test_edges.py checks that they are served
and are real icons of those sizes); run it again after changing the design.
"""

from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "static" / "img"
RED = "#9b1c1c"
YELLOW = "#fde68a"
SUPERSAMPLE = 4


def draw(size: int, *, rounded: bool = True) -> Image.Image:
    """The icon at ``size`` px: drawn 4× larger and scaled down (anti-aliased)."""
    big = size * SUPERSAMPLE
    unit = big / 32
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle(
        (0, 0, big - 1, big - 1), radius=round(6 * unit) if rounded else 0, fill=RED
    )
    mountains = [(6, 22), (13, 11), (18, 18), (21, 14), (26, 22)]
    pen.polygon([(x * unit, y * unit) for x, y in mountains], fill=YELLOW)
    cx, cy, r = 23 * unit, 9 * unit, 3 * unit
    pen.ellipse((cx - r, cy - r, cx + r, cy + r), fill=YELLOW)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    sizes = [16, 32, 48]
    frames = [draw(s) for s in sizes]
    frames[-1].save(
        OUT / "favicon.ico", format="ICO", sizes=[(s, s) for s in sizes], append_images=frames[:-1]
    )
    for size in (192, 512):
        # Full-bleed square: launchers apply their own mask ("any maskable").
        draw(size, rounded=False).convert("RGB").save(OUT / f"icon-{size}.png", optimize=True)
    print("wrote", ", ".join(p.name for p in sorted(OUT.glob("*")) if p.suffix in (".ico", ".png")))


if __name__ == "__main__":
    main()
