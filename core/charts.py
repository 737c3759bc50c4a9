"""Bar charts as inline SVG, drawn on the server.

No JavaScript, no chart library, no outside service: the page carries the
picture itself, so it works offline, under a strict CSP and without scripts.
Bars are horizontal because a phone is narrow and tall: labels get the whole
width and never have to be rotated.

The SVG has no ``viewBox``: it is as wide as its column (CSS caps it, see
``.chart-svg`` in site.css) and exactly ``height`` px tall, its text in fixed
px sizes, and only the bars stretch (their lengths are percentages of the
width). So labels read 13–14 px on a phone and on a desktop alike, and a
chart never grows taller with the window; the layout is worked out for the
narrowest column (``width``) and simply gets more room on wider ones.

Every chart is ``role="img"`` with a ``<title>`` and ``<desc>`` it is labelled
by; the page puts a table with the same numbers under it for anyone who can't
see the picture. Colours come from CSS classes (``.bar``, ``.bar-<variant>``,
``.chart-reference``) with presentation attributes as a fallback, since CSP
forbids ``style=""``.

    svg = bar_chart(
        [Bar("2018", 80_000_000, "0.8亿", variant="derived"), ...],
        title="Support by year", description="…",
        reference=Reference(100_000_000, "≥1亿/年", first=5),
        chart_id="support",
    )
"""

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

# The narrowest column a chart must fit: a 320 px phone less the page and card padding.
WIDTH = 260
FONT = 14
SMALL_FONT = 13
BAR_HEIGHT = 16
PAD = 4


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | int | float
    value_label: str
    variant: str = ""


@dataclass(frozen=True)
class Reference:
    """A dashed line at ``value`` across the rows ``first``..``last`` (inclusive)."""

    value: Decimal | int | float
    label: str
    first: int = 0
    last: int | None = None


def text_width(text: str, font_size: float = FONT) -> float:
    """An estimate of rendered width: CJK and other wide glyphs take a full em,
    Latin about 0.6 em. Good enough to lay out labels without a font engine."""
    width = 0.0
    for char in text:
        if unicodedata.east_asian_width(char) in ("W", "F"):
            width += 1.0
        elif char in " .,:'|il":
            width += 0.33
        else:
            width += 0.6
    return width * font_size


def _num(value) -> float:
    return float(value or 0)


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _pct(value: float) -> str:
    # Two decimals: a tenth of a percent of a wide column is a visible pixel.
    return f"{value:.2f}".rstrip("0").rstrip(".") + "%"


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    description: str,
    chart_id: str,
    label_position: str = "above",
    reference: Reference | None = None,
    width: int = WIDTH,
) -> SafeString:
    """Horizontal bars, one per row, with the value printed after each bar.

    ``label_position="left"`` puts short labels (years) before the bar;
    ``"above"`` gives long labels (field names) their own line. ``width`` is
    the narrowest column the chart must still fit (px); wider columns give
    the bars more room, never the text.
    """
    if label_position not in ("left", "above"):
        raise ValueError("label_position must be 'left' or 'above'")
    bars = list(bars)
    largest = max([_num(b.value) for b in bars] + [_num(reference.value) if reference else 0] + [0])
    value_width = max([text_width(b.value_label, SMALL_FONT) for b in bars] + [0]) + 2 * PAD
    if label_position == "left":
        label_width = max([text_width(b.label, SMALL_FONT) for b in bars] + [0]) + 2 * PAD
        row_height = BAR_HEIGHT + 10
        bar_offset = 5
    else:
        label_width = 0
        row_height = FONT + BAR_HEIGHT + 14
        bar_offset = FONT + 6
    top = SMALL_FONT + 12 if reference else 4
    # The longest bar takes this share of the column: at the narrowest width
    # the label column, the bar and its value exactly fit.
    plot_percent = max(width - label_width - value_width, 40) * 100 / width
    scale = plot_percent / largest if largest > 0 else 0
    height = top + row_height * len(bars) + 4

    rows = []
    for index, bar in enumerate(bars):
        y = top + index * row_height
        bar_y = y + bar_offset
        length = _num(bar.value) * scale
        if label_position == "left":
            label = format_html(
                '<text class="bar-label" x="{}" y="{}" font-size="{}" text-anchor="end" '
                'dominant-baseline="central">{}</text>',
                _fmt(label_width - PAD),
                _fmt(bar_y + BAR_HEIGHT / 2),
                SMALL_FONT,
                bar.label,
            )
        else:
            label = format_html(
                '<text class="bar-label" x="0" y="{}" font-size="{}">{}</text>',
                _fmt(y + FONT),
                FONT,
                bar.label,
            )
        variant = f" bar-{bar.variant}" if bar.variant else ""
        # The bar starts after the label column (px) and is a share of the
        # width long (%); its value follows it, ``dx`` px after its end.
        rows.append(
            format_html(
                '<g class="bar-row">{}<rect class="bar{}" x="{}" y="{}" width="{}" height="{}" rx="2" '
                'fill="#9b1c1c"><title>{}: {}</title></rect>'
                '<text class="bar-value" x="{}" dx="{}" y="{}" font-size="{}" dominant-baseline="central">{}</text></g>',
                label,
                variant,
                _fmt(label_width),
                _fmt(bar_y),
                _pct(length),
                BAR_HEIGHT,
                bar.label,
                bar.value_label,
                _pct(length),
                _fmt(label_width + PAD),
                _fmt(bar_y + BAR_HEIGHT / 2),
                SMALL_FONT,
                bar.value_label,
            )
        )

    marker = mark_safe("")
    if reference is not None and bars:
        first = min(max(reference.first, 0), len(bars) - 1)
        last = (
            len(bars) - 1
            if reference.last is None
            else min(max(reference.last, first), len(bars) - 1)
        )
        x = _num(reference.value) * scale
        y1 = top + first * row_height + bar_offset - 4
        y2 = top + last * row_height + bar_offset + BAR_HEIGHT + 4
        # The label always sits in the top margin; when the line starts lower
        # down, a faint dotted leader joins the two. The group is shifted by
        # the label column, so x is the same share of the width as the bars.
        label_y = top - 6
        anchor = "end" if x > plot_percent / 2 else "start"
        marker = format_html(
            '<g class="chart-reference-group" transform="translate({left} 0)">'
            '<line class="chart-reference-leader" x1="{x}" x2="{x}" y1="{ly}" y2="{y1}" stroke="#4b5563" '
            'stroke-width="1" stroke-dasharray="1 3"/>'
            '<line class="chart-reference" x1="{x}" x2="{x}" y1="{y1}" y2="{y2}" stroke="#1f2328" '
            'stroke-width="1.5" stroke-dasharray="4 3"/>'
            '<text class="chart-reference-label" x="{x}" y="{ty}" font-size="{fs}" text-anchor="{anchor}">{label}</text></g>',
            left=_fmt(label_width),
            x=_pct(x),
            ly=_fmt(label_y + 2),
            y1=_fmt(y1),
            y2=_fmt(y2),
            ty=_fmt(label_y),
            fs=SMALL_FONT,
            anchor=anchor,
            label=reference.label,
        )

    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" width="100%" height="{h}" '
        'role="img" aria-labelledby="{id}-title {id}-desc" id="{id}">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{rows}{marker}</svg>',
        h=_fmt(height),
        id=chart_id,
        title=title,
        desc=description,
        rows=format_html_join("", "{}", ((row,) for row in rows)),
        marker=marker,
    )
