from django import template
from django.utils.dates import MONTHS
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core import geo, links, qr

register = template.Library()


@register.simple_tag
def pickup_qr(order) -> str:
    """The pickup code as an inline SVG QR code (core.qr: standard QR, quiet
    zone, black on white). A scanner at the counter types it into the pickup
    desk's code box."""
    return qr.svg(
        order.pickup_code, label=_("QR code of pickup code %(code)s") % {"code": order.pickup_code}
    )


@register.simple_tag
def stock_level(level: str, available: int | None = None) -> str:
    """In stock / few left / out, as a coloured label (colour is never the only cue)."""
    if level == "in":
        css, text = "stock-in", _("In stock")
    elif level == "few":
        css, text = (
            "stock-few",
            (_("Only %(n)s left") % {"n": available} if available else _("Few left")),
        )
    else:
        css, text = "stock-out", _("Out of stock")
    return format_html('<span class="{}">{}</span>', css, text)


@register.filter
def season(product) -> str:
    if product.all_year:
        return _("all year")
    return f"{MONTHS[product.season_start_month]}–{MONTHS[product.season_end_month]}"


@register.simple_tag
def unit_price(variant) -> str:
    """What one variant costs per 500 g, or per piece (its own name: a jar, a
    box) when its weight is not known."""
    per_500g = variant.price_per_500g
    if per_500g is not None:
        text = _("¥%(price)s per 500 g") % {"price": per_500g}
    else:
        text = _("¥%(price)s per %(unit)s") % {"price": variant.unit_price, "unit": variant.name}
    return format_html('<span class="unit-price">{}</span>', text)


@register.simple_tag
def best_unit_price(product) -> str:
    """For a list card: the lowest price per 500 g among the variants on sale
    (already loaded with the product: no query), else the cheapest piece."""
    variants = getattr(product, "active_variants", None) or []
    weighed = [v for v in variants if v.price_per_500g is not None]
    if weighed:
        best = min(weighed, key=lambda v: v.price_per_500g)
        text = _("from ¥%(price)s per 500 g") % {"price": best.price_per_500g}
    elif variants:
        best = min(variants, key=lambda v: v.unit_price)
        text = _("¥%(price)s per %(unit)s") % {"price": best.unit_price, "unit": best.name}
    else:
        return ""
    return format_html('<span class="unit-price">{}</span>', text)


def _period(opens, closes) -> str:
    return f"{opens.hour}:{opens:%M}–{closes.hour}:{closes:%M}"


@register.simple_tag
def weekly_hours(counter) -> list[str]:
    """The counter's weekly hours as lines ("Monday–Friday 9:00–20:00"), from
    its prefetched ``opening_hours``; [] when none are entered."""
    from ..hours import weekly_summary
    from ..models import Weekday

    lines = []
    for days, periods in weekly_summary(counter.opening_hours.all()):
        first, last = Weekday(days[0]).label, Weekday(days[-1]).label
        if len(days) == 7:
            label = _("Every day")
        elif len(days) == 1:
            label = str(first)
        else:
            label = _("%(first)s–%(last)s") % {"first": first, "last": last}
        lines.append(f"{label} {', '.join(_period(o, c) for o, c in periods)}")
    return lines


@register.simple_tag
def opening_exception(exception) -> str:
    """A dated exception as a line: its date, "closed all day" or its hours
    that day, and its note."""
    from django.utils.formats import date_format

    when = (
        _("closed all day") if exception.is_closed else _period(exception.opens, exception.closes)
    )
    if exception.note:
        when = _("%(when)s (%(note)s)") % {"when": when, "note": exception.note}
    return format_html(
        '<time datetime="{}">{}</time>{}',
        exception.date.isoformat(),
        date_format(exception.date, "DATE_FORMAT"),
        _(": %(when)s") % {"when": when},
    )


@register.simple_tag(takes_context=True)
def lot_qr(context, lot) -> str:
    """A lot's GS1 Digital Link (``https://<site>/01/<GTIN>/10/<lot>``, the
    unprefixed path: a phone opens the trace page in its own language) as an
    inline SVG QR code; "" for a variant without a GTIN."""
    url = lot_link(context, lot)
    if not url:
        return ""
    return qr.svg(url, label=_("QR code of lot %(lot)s") % {"lot": lot.code}, svgclass="qr-code")


@register.simple_tag(takes_context=True)
def lot_link(context, lot) -> str:
    """The absolute GS1 Digital Link of a lot ("" without a GTIN)."""
    path = lot.trace_path
    return links.absolute_url(path, context.get("request")) if path else ""


@register.filter
def osm_url(area) -> str:
    """An OpenStreetMap link to a place's coordinates ("" without them): a
    plain link, nothing is fetched from the map's servers by our pages."""
    return "" if area is None else geo.openstreetmap_url(area.latitude, area.longitude)
