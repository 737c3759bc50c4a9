"""The dashboard's figures as open data (issue 16).

Every chart and table on `/cooperation/` is one dataset here, downloadable as
CSV and JSON from `/cooperation/data/`, and listed in a Frictionless Data
Package (`/cooperation/data/datapackage.json`, Data Package v1 with a Table
Schema per resource).

The rows come from the very selectors the page draws from
(``selectors.annual_support``, ``fields_with_projects``, ``pairing_kinds``,
``figure_list``), so a download can't disagree with the chart beside it. Each
row says where it comes from (``source``, ``source_url``) and whether it is,
or counts, demo data (``is_demo``). Text columns (names, labels) are in the
language of the URL (`/en/cooperation/data/…` for English); column names,
codes and numbers are the same in every language. Sums of money are in yuan.

CSV files are UTF-8 with a byte-order mark (Excel in China opens them right
only with one), a header row and ``true``/``false`` for booleans.
"""

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import AnnualSupport, Figure, Source

Record = dict[str, object]


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Table Schema type: string, integer, number, boolean, year, date
    title: str | Promise
    description: str | Promise = ""


@dataclass(frozen=True)
class Dataset:
    name: str  # the file name, without .csv/.json
    title: str | Promise
    description: str | Promise
    anchor: str  # the element of /cooperation/ that shows it
    columns: tuple[Column, ...]
    records: Callable[[], list[Record]]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def schema(self) -> dict:
        """The resource's Table Schema."""
        return {
            "fields": [
                {"name": c.name, "type": c.type, "title": str(c.title)}
                | ({"description": str(c.description)} if c.description else {})
                for c in self.columns
            ]
        }


def number(value: Decimal | int | None) -> int | float | None:
    """A sum for JSON and CSV: whole yuan as an integer, else a decimal."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def source_columns(sources: Iterable[Source | None]) -> Record:
    """``source`` (publisher and title, several joined by " | ") and
    ``source_url`` (their addresses, joined by spaces)."""
    found = [s for s in dict.fromkeys(sources) if s is not None]
    return {
        "source": " | ".join(f"{s.publisher}: {s.title}" for s in found),
        "source_url": " ".join(s.url for s in found if s.url),
    }


SOURCE = (
    Column("source", "string", _("Source"), _("Publisher and title of the source(s).")),
    Column("source_url", "string", _("Source address"), _("The sources' URLs, space-separated.")),
)


# --- The rows of each chart and table -------------------------------------------------


def support_records(support: list[AnnualSupport] | None = None) -> list[Record]:
    """The rows of "Dongcheng's support to Huairou by year"."""
    rows = selectors.annual_support() if support is None else support
    return [
        {
            "year": row.year,
            "amount_yuan": number(row.amount),
            "basis": row.basis,
            "basis_label": str(row.get_basis_display()),
            "note": row.note,
            "agreement": row.agreement.slug if row.agreement else "",
            "is_demo": row.is_demo,
            **source_columns([row.source]),
        }
        for row in rows
    ]


def field_records(fields: list[selectors.FieldRow] | None = None) -> list[Record]:
    """The rows of "Joint projects by field" (fields with projects, as the chart)."""
    rows = selectors.fields_with_projects() if fields is None else fields
    return [
        {
            "field_code": row.code,
            "field": row.name,
            "merged_field_codes": " ".join(f.code for f in row.merged),
            "merged_fields": " | ".join(f.name for f in row.merged),
            "projects": row.project_count,
            "demo_projects": row.demo_count,
            "amount_yuan": number(row.project_amount),
            "is_demo": row.is_demo,
            **source_columns(row.sources),
        }
        for row in rows
        if row.project_count
    ]


def pairing_records(kinds: list[selectors.PairingKindRow] | None = None) -> list[Record]:
    """The rows of "Pairings by kind"."""
    rows = selectors.pairing_kinds(with_sources=True) if kinds is None else kinds
    return [
        {
            "kind": row.kind,
            "kind_label": str(row.label),
            "pairings": row.pairings,
            "huairou_partners": row.huairou_sides,
            "dongcheng_partners": row.dongcheng_sides,
            "demo_pairings": row.demo,
            "is_demo": row.is_demo,
            **source_columns(row.sources),
        }
        for row in rows
    ]


def figure_records(figures: list[Figure] | None = None) -> list[Record]:
    """The figure cards (headline and by topic), in display order."""
    rows = list(selectors.figure_list()) if figures is None else figures
    return [
        {
            "key": f.key,
            "topic": f.topic,
            "label": f.label,
            "value": number(f.value),
            "qualifier": f.qualifier,
            "unit": f.unit,
            "display": f"{f.value_display}{f.unit}",
            "as_of": f.as_of.isoformat(),
            "is_headline": f.is_headline,
            "is_demo": not f.is_reported,
            **source_columns([f.source]),
        }
        for f in rows
    ]


IS_DEMO = Column(
    "is_demo",
    "boolean",
    _("Demo data"),
    _("True when the row is, or counts, data invented for the demo rather than reported."),
)

IMPACT_SOURCE = _("This site's own records (live, not from the report)")


def impact_records(impact: "selectors.Impact | None" = None) -> list[Record]:
    impact = impact or selectors.impact()
    if impact is None:
        return []
    return [
        {
            "month": row.month.strftime("%Y-%m"),
            "channel": row.channel,
            "village": row.village,
            "producer": row.producer,
            "counter": row.counter,
            "route": row.route,
            "count": row.count,
            "units": row.units,
            "amount_yuan": number(row.amount),
            "agreement": impact.agreement.slug,
            "is_demo": row.is_demo,
            "source": str(IMPACT_SOURCE),
            "source_url": "",
        }
        for row in impact.rows
    ]


DATASETS: tuple[Dataset, ...] = (
    Dataset(
        name="support-by-year",
        title=_("Dongcheng's support to Huairou by year"),
        description=_(
            "Yuan a year. 2018–2022 are the first round's reported 400 million spread evenly "
            "(basis derived); from 2023 the agreed minimum of 100 million a year (basis committed)."
        ),
        anchor="support-by-year",
        columns=(
            Column("year", "year", _("Year")),
            Column("amount_yuan", "number", _("Amount (yuan)")),
            Column("basis", "string", _("Basis"), _("reported, derived or committed")),
            Column("basis_label", "string", _("Basis (label)")),
            Column("note", "string", _("Note")),
            Column("agreement", "string", _("Agreement"), _("The agreement's slug.")),
            IS_DEMO,
            *SOURCE,
        ),
        records=support_records,
    ),
    Dataset(
        name="projects-by-field",
        title=_("Joint projects by field"),
        description=_(
            "Joint projects counted by field of cooperation. A first-round field that a "
            "second-round field covers is counted with it (merged_fields)."
        ),
        anchor="projects-by-field",
        columns=(
            Column("field_code", "string", _("Field code")),
            Column("field", "string", _("Field")),
            Column("merged_field_codes", "string", _("Merged field codes")),
            Column("merged_fields", "string", _("Fields counted with it")),
            Column("projects", "integer", _("Projects")),
            Column("demo_projects", "integer", _("of which demo")),
            Column("amount_yuan", "number", _("Amount (yuan)"), _("Sum of the known amounts.")),
            IS_DEMO,
            *SOURCE,
        ),
        records=field_records,
    ),
    Dataset(
        name="pairings-by-kind",
        title=_("Pairings by kind"),
        description=_(
            "Pairings of schools, health centres, towns, chambers of commerce and villages, "
            "with the number of distinct partners on each side."
        ),
        anchor="pairings-by-kind",
        columns=(
            Column("kind", "string", _("Kind code")),
            Column("kind_label", "string", _("Kind")),
            Column("pairings", "integer", _("Pairings")),
            Column("huairou_partners", "integer", _("Huairou partners")),
            Column("dongcheng_partners", "integer", _("Dongcheng partners")),
            Column("demo_pairings", "integer", _("of which demo")),
            IS_DEMO,
            *SOURCE,
        ),
        records=pairing_records,
    ),
    Dataset(
        name="figures",
        title=_("Figures"),
        description=_("The headline figures and the figures by topic shown on the dashboard."),
        anchor="headline-h",
        columns=(
            Column("key", "string", _("Key")),
            Column("topic", "string", _("Topic")),
            Column("label", "string", _("Label")),
            Column("value", "number", _("Value")),
            Column("qualifier", "string", _("Qualifier"), _("exact, at_least, at_most, …")),
            Column("unit", "string", _("Unit")),
            Column("display", "string", _("As shown")),
            Column("as_of", "date", _("As of")),
            Column("is_headline", "boolean", _("Headline figure")),
            IS_DEMO,
            *SOURCE,
        ),
        records=figure_records,
    ),
    Dataset(
        name="impact",
        title=_("What the programme's channels sold and booked"),
        description=_(
            "Live from this site's records, within the current agreement's period: counter orders "
            "collected (net of returns) and bulk orders settled, by month, village, producer and "
            "counter; tour bookings by month of the departure and route."
        ),
        anchor="impact-h",
        columns=(
            Column("month", "string", _("Month"), _("YYYY-MM")),
            Column("channel", "string", _("Channel"), _("retail, bulk or tours")),
            Column("village", "string", _("Village")),
            Column("producer", "string", _("Producer")),
            Column("counter", "string", _("Counter")),
            Column("route", "string", _("Route")),
            Column("count", "integer", _("Orders or bookings")),
            Column("units", "integer", _("Units or seats")),
            Column("amount_yuan", "number", _("Amount (yuan)")),
            Column("agreement", "string", _("Agreement"), _("The agreement's slug.")),
            IS_DEMO,
            *SOURCE,
        ),
        records=impact_records,
    ),
)
BY_NAME = {d.name: d for d in DATASETS}


# --- Formats ----------------------------------------------------------------------------


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def to_csv(dataset: Dataset, records: list[Record]) -> str:
    """UTF-8 text with a byte-order mark, a header row, one line a record."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(dataset.column_names)
    for record in records:
        writer.writerow([_cell(record[name]) for name in dataset.column_names])
    return out.getvalue()


def to_json(dataset: Dataset, records: list[Record], *, page_url: str, language: str) -> dict:
    """The records with what they are: title, description, columns, page."""
    return {
        "name": dataset.name,
        "title": str(dataset.title),
        "description": str(dataset.description),
        "page": page_url,
        "language": language,
        "generated": timezone.now().isoformat(timespec="seconds"),
        "schema": dataset.schema(),
        "records": records,
    }


def datapackage(*, homepage: str, language: str) -> dict:
    """A Frictionless (tabular) Data Package of every dataset; resource paths
    are relative to the package, as the specification recommends."""
    return {
        "profile": "tabular-data-package",
        "name": "dongcheng-huairou-cooperation",
        "title": str(_("The Dongcheng–Huairou paired cooperation in figures")),
        "description": str(
            _(
                "The figures of /cooperation/ as data: support by year, joint projects by field, "
                "pairings by kind and the headline figures. Rows flagged is_demo are, or count, "
                "demo data."
            )
        ),
        "homepage": homepage,
        "language": language,
        "created": timezone.now().isoformat(timespec="seconds"),
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": d.name,
                "title": str(d.title),
                "description": str(d.description),
                "path": f"{d.name}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "schema": d.schema(),
            }
            for d in DATASETS
        ],
    }
