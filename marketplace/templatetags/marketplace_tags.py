from django import template
from django.utils.dates import MONTHS
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core import qr

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
