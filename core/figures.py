"""Live figures: numbers a domain app computes from its own data (sales at the
counters, say) that the programme's dashboard shows beside the reported ones.

The explicit interface between the apps that own the data and the dashboard,
which imports none of them: an app registers a provider in its ``AppConfig.ready``
(``figures.register(consumption_support_figures)``); the dashboard asks
``figures.live()``. A provider returns ``LiveFigure`` rows (or dicts with the
same keys). When its figures move, the provider's app bumps the ``"sales"``
page-cache scope, which the dashboard's pages depend on (``core.cache``).
"""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class LiveFigure:
    label: str
    value: Decimal | int | str
    unit: str = ""
    note: str = ""


Provider = Callable[[], Iterable[LiveFigure | dict[str, Any]]]

_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Adds ``provider`` (once, whatever the number of calls); usable as a decorator."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def live() -> list[LiveFigure]:
    """Every registered provider's figures, in registration order."""
    rows: list[LiveFigure] = []
    for provider in _providers:
        for item in provider() or []:
            if isinstance(item, LiveFigure):
                rows.append(item)
            else:
                rows.append(
                    LiveFigure(
                        label=item.get("label", ""),
                        value=item.get("value", ""),
                        unit=item.get("unit", ""),
                        note=item.get("note", ""),
                    )
                )
    return rows


@contextmanager
def only(*providers: Provider) -> Iterator[None]:
    """For tests: exactly these providers (none: no live figures) while inside."""
    saved = _providers[:]
    _providers[:] = list(providers)
    try:
        yield
    finally:
        _providers[:] = saved


# --- The impact roll-up --------------------------------------------------------------
#
# What the programme's own channels sold and booked, month by month: the
# marketplace's collected orders and settled bulk orders by village, producer
# and counter, the tours' bookings by route. Each app registers a provider
# (``register_impact``) that answers the rows of a period; the dashboard and
# its open data ask ``impact(start, end)``.


@dataclass(frozen=True)
class ImpactRow:
    channel: str  # "retail" (counter orders), "bulk" (bulk orders), "tours" (bookings)
    month: date  # the first day of the month the sale or trip happened in
    village: str = ""
    producer: str = ""
    counter: str = ""
    route: str = ""
    count: int = 0  # orders, bulk orders or bookings
    units: int = 0  # units sold or seats travelled
    amount: Decimal = Decimal("0")  # yuan
    is_demo: bool = False


ImpactProvider = Callable[[date, date], Iterable[ImpactRow]]
_impact: list[ImpactProvider] = []


def register_impact(provider: ImpactProvider) -> ImpactProvider:
    if provider not in _impact:
        _impact.append(provider)
    return provider


def localized(row: dict, field: str) -> str:
    """A translated column read through ``values()`` in the active language:
    ``row`` holds ``<field>_zh_hans``, ``<field>_zh_hant`` and ``<field>_en``
    (values() reads no language by itself); the Simplified text when the
    active language's is empty."""
    from django.utils.translation import get_language

    suffix = {"zh-hant": "zh_hant", "en": "en"}.get(get_language() or "", "zh_hans")
    return row.get(f"{field}_{suffix}") or row.get(f"{field}_zh_hans") or ""


def localized_columns(*fields: str) -> list[str]:
    """The ``values()`` columns ``localized`` reads, for each of ``fields``."""
    return [f"{field}_{s}" for field in fields for s in ("zh_hans", "zh_hant", "en")]


def impact(start: date, end: date) -> list[ImpactRow]:
    """Every registered provider's rows from ``start`` to ``end`` (inclusive),
    by month, channel and the rest, in that order."""
    rows = [row for provider in _impact for row in provider(start, end)]
    return sorted(
        rows, key=lambda r: (r.month, r.channel, r.village, r.producer, r.counter, r.route)
    )
