"""Illustrations for the demo products, drawn with Pillow (no photo is
invented or borrowed). Each is labelled "illustration" in its text
alternative, goes through the same upload pipeline as a partner's photo
(``core.images``: re-encoding, WebP and JPEG renditions), and is added
only to a product that has no image yet."""

import io
import math
import random

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFilter

W, H = 960, 720


def background(top, bottom):
    img = Image.new("RGB", (W, H), top)
    d = ImageDraw.Draw(img)
    for y in range(H):
        t = y / H
        d.line(
            [(0, y), (W, y)],
            fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    return img


def chestnuts(seed=1):
    rnd = random.Random(seed)
    img = background((250, 240, 222), (232, 214, 186))
    d = ImageDraw.Draw(img)
    for _ in range(14):
        x, y = rnd.randint(80, W - 80), rnd.randint(120, H - 60)
        r = rnd.randint(55, 80)
        d.ellipse(
            [x - r, y - r * 0.85, x + r, y + r * 0.85],
            fill=(112, 58, 28),
            outline=(80, 40, 18),
            width=4,
        )
        d.pieslice([x - r, y - r * 0.85, x + r, y + r * 0.85], 200, 340, fill=(140, 78, 40))
        d.ellipse([x - r * 0.55, y + r * 0.35, x + r * 0.55, y + r * 0.8], fill=(214, 184, 140))
        d.ellipse([x - r * 0.35, y - r * 0.6, x - r * 0.05, y - r * 0.35], fill=(170, 110, 70))
    return img


def sweet_potatoes(seed=2):
    rnd = random.Random(seed)
    img = background((246, 236, 220), (225, 210, 190))
    d = ImageDraw.Draw(img)
    for _ in range(6):
        x, y = rnd.randint(150, W - 150), rnd.randint(180, H - 120)
        w, h = rnd.randint(150, 220), rnd.randint(70, 95)
        d.ellipse([x - w, y - h, x + w, y + h], fill=(150, 48, 70), outline=(110, 30, 50), width=5)
        d.ellipse([x - w * 0.7, y - h * 0.5, x - w * 0.1, y - h * 0.05], fill=(176, 70, 92))
    # one cut open, orange inside
    d.ellipse([W / 2 - 130, H - 230, W / 2 + 130, H - 60], fill=(150, 48, 70))
    d.ellipse([W / 2 - 115, H - 218, W / 2 + 115, H - 72], fill=(242, 160, 60))
    return img


def pear_paste(seed=3):
    img = background((244, 232, 214), (214, 196, 170))
    d = ImageDraw.Draw(img)
    # a jar
    d.rounded_rectangle([330, 220, 630, 620], 40, fill=(92, 40, 24), outline=(60, 26, 14), width=6)
    d.rounded_rectangle([310, 170, 650, 240], 18, fill=(170, 30, 40))
    d.rectangle([360, 360, 600, 480], fill=(240, 228, 200))
    d.ellipse([430, 380, 530, 460], fill=(200, 60, 50))
    # two red pears
    for cx in (190, 780):
        d.ellipse([cx - 80, 470, cx + 80, 640], fill=(196, 52, 42))
        d.ellipse([cx - 50, 390, cx + 50, 520], fill=(196, 52, 42))
        d.line([cx, 395, cx + 12, 350], fill=(90, 60, 30), width=8)
        d.ellipse([cx + 10, 340, cx + 60, 370], fill=(90, 140, 60))
    return img


def trout(seed=4):
    img = background((214, 236, 240), (150, 196, 210))
    d = ImageDraw.Draw(img)
    for y in range(420, H, 18):
        d.arc([-100, y - 40, W + 100, y + 40], 0, 180, fill=(120, 175, 195), width=3)
    # body
    d.polygon(
        [
            (170, 330),
            (300, 240),
            (560, 220),
            (760, 300),
            (800, 330),
            (760, 360),
            (560, 440),
            (300, 420),
        ],
        fill=(150, 150, 140),
    )
    d.polygon([(760, 330), (900, 230), (880, 330), (900, 430)], fill=(130, 130, 120))
    d.polygon(
        [(250, 330), (560, 310), (780, 330), (560, 360)], fill=(226, 110, 120)
    )  # the rainbow band
    d.polygon([(300, 390), (560, 400), (600, 430), (300, 420)], fill=(236, 232, 220))
    for x, y in [
        (380, 280),
        (450, 265),
        (520, 262),
        (600, 275),
        (660, 300),
        (420, 300),
        (560, 290),
    ]:
        d.ellipse([x - 7, y - 7, x + 7, y + 7], fill=(60, 60, 60))
    d.ellipse([215, 300, 245, 330], fill=(250, 250, 250))
    d.ellipse([224, 309, 238, 323], fill=(20, 20, 20))
    return img


def kernels(seed=5):
    rnd = random.Random(seed)
    img = background((250, 244, 228), (236, 222, 196))
    d = ImageDraw.Draw(img)
    for _ in range(26):
        x, y = rnd.randint(60, W - 60), rnd.randint(80, H - 60)
        r = rnd.randint(28, 42)
        d.ellipse(
            [x - r, y - r * 0.8, x + r, y + r * 0.8],
            fill=(226, 184, 96),
            outline=(196, 150, 70),
            width=3,
        )
        d.line([x - r * 0.3, y - r * 0.5, x, y + r * 0.5], fill=(200, 158, 80), width=3)
    return img


def noodles(seed=6):
    rnd = random.Random(seed)
    img = background((242, 238, 230), (220, 214, 204))
    d = ImageDraw.Draw(img)
    for _ in range(28):
        y0 = rnd.randint(200, H - 200)
        period, phase = rnd.randint(90, 140), rnd.random() * 6
        pts = [(x, y0 + 40 * math.sin(x / period + phase)) for x in range(140, W - 140, 8)]
        d.line(pts, fill=(158, 140, 150), width=6, joint="curve")
    d.rounded_rectangle([W / 2 - 40, 170, W / 2 + 40, H - 170], 12, fill=(190, 40, 50))
    return img.filter(ImageFilter.SMOOTH)


DRAWINGS = {
    "huairou-chestnuts": (
        chestnuts,
        "示意图：一堆带壳的板栗",
        "Illustration: a heap of chestnuts in their shells",
    ),
    "tanghe-sweet-potatoes": (
        sweet_potatoes,
        "示意图：紫皮红薯，其中一个切开",
        "Illustration: purple-skinned sweet potatoes, one cut open",
    ),
    "red-pear-paste": (
        pear_paste,
        "示意图：一瓶梨膏和两个红梨",
        "Illustration: a jar of pear paste between two red pears",
    ),
    "rainbow-trout": (trout, "示意图：一条虹鳟鱼", "Illustration: a rainbow trout"),
    "roasted-chestnut-kernels": (
        kernels,
        "示意图：去壳的板栗仁",
        "Illustration: shelled chestnut kernels",
    ),
    "sweet-potato-noodles": (
        noodles,
        "示意图：一把红薯粉条",
        "Illustration: a bundle of sweet-potato noodles",
    ),
}


def illustrate(products) -> int:
    """Adds the drawing of each demo product that has no image; returns how many."""
    from .models import ProductImage

    # Drawings stored before images had the flag: the text alternative says it.
    ProductImage.objects.filter(
        product__in=products, alt_text_zh_hans__startswith="示意图", is_illustration=False
    ).update(is_illustration=True)
    added = 0
    for product in products:
        drawing = DRAWINGS.get(product.slug)
        if drawing is None or product.images.exists():
            continue
        draw, alt_zh, alt_en = drawing
        buffer = io.BytesIO()
        draw().save(buffer, "PNG")
        image = ProductImage(
            product=product,
            alt_text_zh_hans=alt_zh,
            alt_text_en=alt_en,
            is_illustration=True,
            position=0,
        )
        image.image = ContentFile(buffer.getvalue(), name=f"{product.slug}.png")
        image.save()
        added += 1
    return added
