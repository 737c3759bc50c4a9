"""GS1 identifiers: the GTIN check digit and the Digital Link path of a lot.

A GTIN is stored as 14 digits (GTIN-14: a GTIN-8, -12 or -13 padded with
leading zeros, as GS1 Digital Link writes it). The last digit is the check
digit of the other thirteen (GS1 General Specifications 7.9.1: from the right,
weights 3, 1, 3, ...; the check digit makes the sum a multiple of ten).

A lot's QR code encodes ``https://<site>/01/<GTIN>/10/<lot>`` (GS1 Digital
Link 1.2: application identifier 01 the GTIN, 10 the batch or lot); the site
itself answers that path with the lot's public trace page, so a phone camera
opens it and a GS1 scanner at a till reads the same GTIN and lot from it.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

GTIN_LENGTHS = (8, 12, 13, 14)
# AI 10 allows up to 20 characters of GS1's set 82; ours are the URL-safe
# subset people can read aloud: capitals, digits and hyphens.
LOT_PATTERN = r"[A-Z0-9][A-Z0-9-]{0,19}"
_LOT = re.compile(LOT_PATTERN)


def check_digit(body: str) -> str:
    """The check digit of ``body`` (the GTIN's digits without their last)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def with_check_digit(body: str) -> str:
    """``body`` and its check digit, padded to GTIN-14."""
    return normalise(body + check_digit(body))


def normalise(gtin: str) -> str:
    """A GTIN-8/12/13/14 as 14 digits (the form Digital Link and our column use)."""
    return gtin.strip().zfill(14)


def is_valid_gtin(value: str) -> bool:
    value = (value or "").strip()
    if not value.isdigit() or not value.isascii() or len(value) not in GTIN_LENGTHS:
        return False
    return check_digit(value[:-1]) == value[-1]


def validate_gtin(value: str) -> None:
    """Model and form validator: 14 digits whose last is the GS1 check digit."""
    value = value or ""
    if not (value.isdigit() and value.isascii() and len(value) == 14):
        raise ValidationError(
            _("A GTIN is 14 digits (pad a 13-digit EAN with a leading 0)."), code="gtin_length"
        )
    if not is_valid_gtin(value):
        raise ValidationError(
            _("%(gtin)s has a wrong check digit (it should end in %(digit)s).")
            % {"gtin": value, "digit": check_digit(value[:-1])},
            code="gtin_check_digit",
        )


def is_valid_lot(code: str) -> bool:
    return bool(_LOT.fullmatch(code or ""))


def digital_link_path(gtin: str, lot: str) -> str:
    """``/01/<GTIN-14>/10/<lot>``: the path of a lot's trace page and QR code."""
    return f"/01/{normalise(gtin)}/10/{lot}"


# The unprefixed resolver path: the one a QR code carries (language prefixes
# /en/ and /zh-hant/ serve the same page in a fixed language).
RESOLVER_PREFIX = "/01/"


def is_resolver_path(path: str) -> bool:
    return path.startswith(RESOLVER_PREFIX)
