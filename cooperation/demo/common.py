"""Shared pieces of the programme's demo loaders: the report's date and
address, money units, and the two helpers every loader uses (from core.demo)."""

from datetime import date
from decimal import Decimal

from core.demo import tr, upsert

__all__ = ["REPORT_DATE", "REPORT_URL", "SECOND_SIGNED", "WAN", "YI", "tr", "upsert"]

REPORT_DATE = date(2023, 7, 2)
SECOND_SIGNED = date(2023, 6, 30)
REPORT_URL = "http://bj.people.com.cn/"
YI = Decimal(100_000_000)
WAN = Decimal(10_000)
