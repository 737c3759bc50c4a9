import re
from decimal import Decimal
from xml.etree import ElementTree

import pytest

from core.charts import WIDTH, Bar, Reference, bar_chart, text_width

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(str(svg))


def bars_of(root) -> list[ElementTree.Element]:
    return [r for r in root.iter(f"{SVG}rect") if "bar" in r.get("class", "").split()]


def percent(value: str) -> float:
    assert value.endswith("%"), value
    return float(value[:-1])


def test_a_chart_is_an_accessible_image_with_title_and_description():
    svg = bar_chart(
        [Bar("2018", 80, "80"), Bar("2019", 100, "100")],
        title="Support by year",
        description="2018: 80; 2019: 100",
        chart_id="support",
    )
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "support-title support-desc"
    assert root.find(f"{SVG}title").text == "Support by year"
    assert root.find(f"{SVG}title").get("id") == "support-title"
    assert root.find(f"{SVG}desc").text == "2018: 80; 2019: 100"


def test_bar_lengths_are_proportional_and_the_largest_fills_the_plot():
    root = parse(
        bar_chart(
            [Bar("a", 50, "50"), Bar("b", 100, "100"), Bar("c", 0, "0")],
            title="t",
            description="d",
            chart_id="c",
        )
    )
    widths = [percent(r.get("width")) for r in bars_of(root)]
    assert widths[1] == pytest.approx(2 * widths[0])
    assert widths[2] == 0
    # The value printed after the longest bar still fits in the narrowest column.
    value_texts = [t for t in root.iter(f"{SVG}text") if t.get("class") == "bar-value"]
    end = percent(value_texts[1].get("x")) / 100 * WIDTH + float(value_texts[1].get("dx"))
    assert end + text_width("100", 13) <= WIDTH + 1


def test_text_keeps_its_px_size_at_any_width_and_only_the_bars_stretch():
    """No viewBox: the SVG is as wide as its column and exactly its height in px,
    so a 1280 px desktop shows 13–14 px labels like a phone (issue 13)."""
    root = parse(
        bar_chart(
            [Bar("生态保护", 7, "7"), Bar("乡村振兴", 8, "8")],
            title="t",
            description="d",
            chart_id="c",
        )
    )
    assert root.get("viewBox") is None
    assert root.get("width") == "100%"
    assert float(root.get("height")) < 120  # two rows, in px
    sizes = {float(t.get("font-size")) for t in root.iter(f"{SVG}text")}
    assert sizes and all(12 <= size <= 14 for size in sizes)
    for rect in bars_of(root):
        assert rect.get("width").endswith("%")
        assert not rect.get("height").endswith("%")


def test_a_reference_line_spans_only_its_rows_and_scales_with_the_bars():
    root = parse(
        bar_chart(
            [Bar(str(y), 80, "80") for y in range(2018, 2023)]
            + [Bar(str(y), 100, "100") for y in range(2023, 2028)],
            title="t",
            description="d",
            chart_id="c",
            label_position="left",
            reference=Reference(100, "≥1亿 a year", first=5),
        )
    )
    line = next(el for el in root.iter(f"{SVG}line") if el.get("class") == "chart-reference")
    rects = bars_of(root)
    # At the value 100: the end of the 2023 bar (the line's group is shifted
    # by the label column, where the bars start).
    group = next(el for el in root.iter(f"{SVG}g") if el.get("class") == "chart-reference-group")
    assert group.get("transform") == f"translate({rects[5].get('x')} 0)"
    assert percent(line.get("x1")) == pytest.approx(percent(rects[5].get("width")), abs=0.1)
    # From the 2023 row down to the last one.
    assert float(rects[4].get("y")) < float(line.get("y1")) < float(rects[5].get("y"))
    assert float(line.get("y2")) > float(rects[-1].get("y"))
    label = next(el for el in root.iter(f"{SVG}text") if el.get("class") == "chart-reference-label")
    assert label.text == "≥1亿 a year"


def test_labels_are_escaped():
    svg = bar_chart(
        [Bar("<script>alert(1)</script>", 1, "1 & 2")],
        title="a < b",
        description='"q"',
        chart_id="x",
    )
    assert "<script>" not in svg
    root = parse(svg)  # still well-formed XML
    assert root.find(f"{SVG}title").text == "a < b"


def test_an_empty_or_all_zero_chart_still_draws():
    root = parse(bar_chart([], title="t", description="d", chart_id="e"))
    assert bars_of(root) == []
    root = parse(bar_chart([Bar("a", Decimal(0), "0")], title="t", description="d", chart_id="z"))
    assert percent(bars_of(root)[0].get("width")) == 0


def test_left_labels_get_room_for_the_longest_label():
    root = parse(
        bar_chart(
            [Bar("2018", 1, "1"), Bar("2027", 2, "2")],
            title="t",
            description="d",
            chart_id="c",
            label_position="left",
        )
    )
    label = next(el for el in root.iter(f"{SVG}text") if el.get("class") == "bar-label")
    assert label.get("text-anchor") == "end"
    assert float(bars_of(root)[0].get("x")) >= text_width("2018", 13)


def test_unknown_label_position_is_refused():
    with pytest.raises(ValueError):
        bar_chart([], title="t", description="d", chart_id="c", label_position="below")


def test_text_width_counts_chinese_as_full_width():
    assert text_width("生态", 10) == pytest.approx(20)
    assert text_width("ab", 10) == pytest.approx(12)


def test_no_inline_style_attributes():
    svg = str(
        bar_chart([Bar("a", 1, "1", variant="derived")], title="t", description="d", chart_id="c")
    )
    assert "style=" not in svg
    assert re.search(r'class="bar bar-derived"', svg)
