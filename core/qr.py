"""The one way the site draws a QR code (pickup codes, booking check-in links).

Always a standard QR code: segno's ``make`` picks a Micro QR symbol for short
text such as a six-character pickup code, and Micro QR is read by almost no
phone camera (WeChat's scanner, iOS and Android cameras, zbar all ignore it).
Always with the four-module white quiet zone the standard asks for, and with
both colours written into the SVG (black on white), so a dark page theme or a
browser's forced dark mode cannot turn it into light-on-dark, which many
scanners refuse. Inline SVG with a viewBox and no size: CSS sizes it, and the
CSP (no inline style, no outside request) is kept.

A mobile app draws the same symbol from the API's ``qr_text``: a standard QR
code, error correction M (not boosted), quiet zone 4.
"""

from functools import lru_cache

import segno
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ERROR = "m"
BORDER = 4  # modules of quiet zone, ISO/IEC 18004's minimum
DARK = "#000"
LIGHT = "#fff"


def make(text: str) -> segno.QRCode:
    """The symbol for ``text``: standard QR (never Micro QR), error correction M."""
    return segno.make_qr(text, error=ERROR, boost_error=False)


def svg(text: str, *, label: str, svgclass: str = "qr-code") -> SafeString:
    """``text`` as an inline ``<svg role="img">`` named ``label``."""
    return mark_safe(_svg(str(text), str(label), svgclass))


# A code's symbol never changes, and choosing its mask is most of the cost
# (~25 ms for a booking's check-in link): /account/ with 30 open orders and
# bookings spent three quarters of its time drawing the same QR codes again.
@lru_cache(maxsize=4096)
def _svg(text: str, label: str, svgclass: str) -> str:
    markup = make(text).svg_inline(
        scale=4,
        omitsize=True,
        border=BORDER,
        dark=DARK,
        light=LIGHT,
        svgclass=svgclass,
        title=label,
    )
    # segno writes only the modules and the title, which it escapes itself.
    return str(markup.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1))
