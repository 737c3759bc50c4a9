"""Numbers as readers write them, in the active language.

Chinese counts large sums in 万 (10⁴) and 亿 (10⁸): 1亿, 300万, 40万. English
uses million/billion and thousands separators: 100 million, 3 million,
400,000. A qualifier adds what the report says about precision: 不低于1亿
(at least), 100余次 (more than 100), 近20个 (nearly 20).
"""

from decimal import Decimal

from django.utils.translation import get_language

WAN = Decimal(10_000)
YI = Decimal(100_000_000)
MILLION = Decimal(1_000_000)
BILLION = Decimal(1_000_000_000)


def whole_number(text, *, max_digits: int = 18) -> int | None:
    """``text`` as a non-negative int if it is plain ASCII digits (spaces
    around allowed), else None. ``str.isdigit`` alone is not enough: it is
    true for '²' and '١٢', which ``int`` rejects or reads as another script's
    digits, so a form field or URL parameter of those would raise a 500."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not text or len(text) > max_digits or not (text.isascii() and text.isdigit()):
        return None
    return int(text)


def _trim(value: Decimal, places: int = 2) -> str:
    """'1.50' -> '1.5', '3.00' -> '3', with at most ``places`` decimals."""
    text = f"{value:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _is_chinese(language: str | None) -> bool:
    return (language or get_language() or "zh-hans").lower().startswith("zh")


def _is_traditional(language: str | None) -> bool:
    return (language or get_language() or "").lower() == "zh-hant"


def compact_number(value, *, language: str | None = None) -> str:
    """A short human form of ``value`` (a count or a sum of yuan)."""
    value = Decimal(value)
    sign = "-" if value < 0 else ""
    value = abs(value)
    if _is_chinese(language):
        yi, wan = ("億", "萬") if _is_traditional(language) else ("亿", "万")
        if value >= YI:
            return f"{sign}{_trim(value / YI)}{yi}"
        if value >= WAN:
            return f"{sign}{_trim(value / WAN)}{wan}"
        return f"{sign}{_trim(value)}"
    if value >= BILLION:
        return f"{sign}{_trim(value / BILLION)} billion"
    if value >= MILLION:
        return f"{sign}{_trim(value / MILLION)} million"
    whole, _, decimals = _trim(value).partition(".")
    grouped = f"{int(whole):,}"
    return f"{sign}{grouped}.{decimals}" if decimals else f"{sign}{grouped}"


def short_number(value, *, language: str | None = None) -> str:
    """An even shorter form for chart labels: '0.8亿', '80M', '400K'."""
    value = Decimal(value)
    if _is_chinese(language):
        return compact_number(value, language=language or get_language())
    if value >= BILLION:
        return f"{_trim(value / BILLION, 1)}B"
    if value >= MILLION:
        return f"{_trim(value / MILLION, 1)}M"
    if value >= 10_000:
        return f"{_trim(value / 1000, 1)}K"
    return compact_number(value, language="en")


_QUALIFIED = {
    # qualifier: (Chinese pattern, English pattern)
    "exact": ("{}", "{}"),
    "at_least": ("≥{}", "≥{}"),
    "at_most": ("≤{}", "≤{}"),
    "more_than": ("{}+", "{}+"),
    "nearly": ("近{}", "~{}"),
}


def figure_display(value, qualifier: str = "exact", *, language: str | None = None) -> str:
    """A figure's value with its qualifier: '≥1亿', '6000+', '近20' / '~20'."""
    chinese = _is_chinese(language)
    number = compact_number(value, language=(language or get_language()) if chinese else "en")
    zh, en = _QUALIFIED.get(qualifier, _QUALIFIED["exact"])
    return (zh if chinese else en).format(number)


def money(value, *, language: str | None = None) -> str:
    """A sum of yuan with its unit: '3000万元' / '30 million yuan'."""
    if value is None:
        return ""
    chinese = _is_chinese(language)
    number = compact_number(value, language=(language or get_language()) if chinese else "en")
    return f"{number}元" if chinese else f"{number} yuan"
