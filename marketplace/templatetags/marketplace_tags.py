import segno
from django import template
from django.utils.dates import MONTHS
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def pickup_qr(order) -> str:
    """The pickup code as an inline SVG QR code: no outside request, no inline
    style (the CSP allows neither). A scanner at the counter types it into the
    pickup desk's code box."""
    label = escape(_("QR code of pickup code %(code)s") % {"code": order.pickup_code})
    svg = segno.make(order.pickup_code, error="m").svg_inline(scale=4, omitsize=True)
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))


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
