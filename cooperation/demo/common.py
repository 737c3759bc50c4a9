"""Shared pieces of the demo loaders: the report's date and address, money
units, and the two helpers every loader uses."""

from datetime import date
from decimal import Decimal

REPORT_DATE = date(2023, 7, 2)
SECOND_SIGNED = date(2023, 6, 30)
REPORT_URL = "http://bj.people.com.cn/"
YI = Decimal(100_000_000)
WAN = Decimal(10_000)


def tr(field: str, zh: str, en: str) -> dict:
    """Both language columns of a translated field."""
    return {f"{field}_zh_hans": zh, f"{field}_en": en}


def upsert(model, lookup: dict, values: dict):
    """Finds the row by its natural key and brings it up to date (or creates it)."""
    obj, _ = model.objects.update_or_create(**lookup, defaults=values)
    return obj
