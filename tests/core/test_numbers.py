from decimal import Decimal

import pytest
from django.utils import translation

from core.numbers import compact_number, figure_display, money, short_number, whole_number


@pytest.mark.parametrize(
    ("value", "zh", "en"),
    [
        (Decimal("100000000"), "1亿", "100 million"),
        (Decimal("400000000"), "4亿", "400 million"),
        (Decimal("150000000"), "1.5亿", "150 million"),
        (Decimal("3000000"), "300万", "3 million"),
        (Decimal("400000"), "40万", "400,000"),
        (Decimal("80000000"), "8000万", "80 million"),
        (Decimal("6000"), "6000", "6,000"),
        (Decimal("108"), "108", "108"),
        (Decimal("2.50"), "2.5", "2.5"),
        (Decimal("0"), "0", "0"),
        (Decimal("2500000000"), "25亿", "2.5 billion"),
        (12, "12", "12"),
    ],
)
def test_compact_number_in_both_languages(value, zh, en):
    assert compact_number(value, language="zh-hans") == zh
    assert compact_number(value, language="en") == en


def test_compact_number_keeps_the_sign():
    assert compact_number(Decimal("-3000000"), language="zh-hans") == "-300万"
    assert compact_number(Decimal("-3000000"), language="en") == "-3 million"


def test_compact_number_follows_the_active_language():
    with translation.override("en"):
        assert compact_number(Decimal("100000000")) == "100 million"
    with translation.override("zh-hans"):
        assert compact_number(Decimal("100000000")) == "1亿"


@pytest.mark.parametrize(
    ("qualifier", "zh", "en"),
    [
        ("exact", "20", "20"),
        ("at_least", "≥20", "≥20"),
        ("at_most", "≤20", "≤20"),
        ("more_than", "20+", "20+"),
        ("nearly", "近20", "~20"),
        ("unknown", "20", "20"),
    ],
)
def test_figure_display_qualifiers(qualifier, zh, en):
    assert figure_display(Decimal(20), qualifier, language="zh-hans") == zh
    assert figure_display(Decimal(20), qualifier, language="en") == en


def test_figure_display_of_the_commitment():
    assert figure_display(Decimal("100000000"), "at_least", language="zh-hans") == "≥1亿"
    assert figure_display(Decimal("100000000"), "at_least", language="en") == "≥100 million"


def test_money_adds_the_unit():
    assert money(Decimal("30000000"), language="zh-hans") == "3000万元"
    assert money(Decimal("30000000"), language="en") == "30 million yuan"
    assert money(None) == ""


@pytest.mark.parametrize(
    ("value", "en"),
    [
        (Decimal("80000000"), "80M"),
        (Decimal("100000000"), "100M"),
        (Decimal("2500000000"), "2.5B"),
        (Decimal("400000"), "400K"),
        (Decimal("950"), "950"),
    ],
)
def test_short_number_for_chart_labels(value, en):
    assert short_number(value, language="en") == en
    assert short_number(Decimal("80000000"), language="zh-hans") == "8000万"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        ("0", 0),
        ("²", None),
        ("١٢", None),
        ("-1", None),
        ("1.5", None),
        ("", None),
        (None, None),
        (12, None),
        ("9" * 19, None),
    ],
)
def test_whole_number_reads_only_ascii_digits(text, expected):
    assert whole_number(text) == expected
