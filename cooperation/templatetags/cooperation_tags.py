"""Numbers and charts for the cooperation templates.

The chart tags turn selector data into ``charts.Bar`` rows; drawing lives in
core.charts so other apps can reuse it.
"""

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from cooperation.models import AnnualSupport
from core import charts, numbers

register = template.Library()


@register.filter
def money(value):
    """3000万元 / 30 million yuan; empty for None."""
    return numbers.money(value)


@register.filter
def compact(value):
    """1亿 / 100 million."""
    if value is None or value == "":
        return ""
    return numbers.compact_number(value)


@register.filter
def compact_or_text(value):
    """Numbers from other apps' live figures in the reader's form; text as given."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return numbers.compact_number(value)
    return value


@register.simple_tag
def support_chart(support, commitment, chart_id="support-chart"):
    """Dongcheng's support by year against the annual commitment line."""
    bars = [
        charts.Bar(
            label=str(row.year),
            value=row.amount,
            value_label=numbers.short_number(row.amount),
            variant=row.basis,
        )
        for row in support
    ]
    reference = None
    if commitment is not None and commitment.annual_commitment:
        years = [row.year for row in support]
        inside = [
            i for i, y in enumerate(years) if commitment.period_start <= y <= commitment.period_end
        ]
        label = numbers.figure_display(
            commitment.annual_commitment,
            "at_least" if commitment.annual_commitment_is_minimum else "exact",
        )
        reference = charts.Reference(
            value=commitment.annual_commitment,
            label=_("%(amount)s a year from %(year)s")
            % {"amount": label, "year": commitment.period_start},
            first=inside[0] if inside else 0,
            last=inside[-1] if inside else None,
        )
    basis = dict(AnnualSupport.Basis.choices)
    description = "; ".join(
        f"{row.year}: {numbers.money(row.amount)} ({basis.get(row.basis, row.basis)})"
        for row in support
    )
    if reference is not None:
        description += ". " + _("Dashed line: the commitment, %(label)s.") % {
            "label": reference.label
        }
    return charts.bar_chart(
        bars,
        title=_("Dongcheng's support to Huairou by year"),
        description=description,
        chart_id=chart_id,
        label_position="left",
        reference=reference,
    )


@register.simple_tag
def fields_chart(fields, chart_id="fields-chart"):
    """Joint projects counted by field (fields without projects are left out)."""
    rows = [f for f in fields if f.project_count]
    bars = [
        charts.Bar(label=f.name, value=f.project_count, value_label=str(f.project_count))
        for f in rows
    ]
    return charts.bar_chart(
        bars,
        title=_("Joint projects by field"),
        description="; ".join(f"{f.name}: {f.project_count}" for f in rows),
        chart_id=chart_id,
    )


@register.simple_tag
def pairings_chart(rows, chart_id="pairings-chart"):
    """Pairings counted by kind."""
    bars = [
        charts.Bar(label=str(r.label), value=r.pairings, value_label=str(r.pairings)) for r in rows
    ]
    return charts.bar_chart(
        bars,
        title=_("Pairings by kind"),
        description="; ".join(f"{r.label}: {r.pairings}" for r in rows),
        chart_id=chart_id,
    )


@register.simple_tag
def sectors_chart(sectors, chart_id="sectors-chart"):
    """Fund companies by sector (pipeline and invested together)."""
    rows = [s for s in sectors if s.pipeline or s.invested]
    bars = [
        charts.Bar(
            label=str(s.label) or _("sector not reported"),
            value=s.pipeline + s.invested,
            value_label=str(s.pipeline + s.invested),
        )
        for s in rows
    ]
    return charts.bar_chart(
        bars,
        title=_("Companies by sector"),
        description="; ".join(
            _("%(sector)s: %(pipeline)s in the pipeline, %(invested)s invested")
            % {"sector": bar.label, "pipeline": s.pipeline, "invested": s.invested}
            for bar, s in zip(bars, rows, strict=True)
        ),
        chart_id=chart_id,
    )
