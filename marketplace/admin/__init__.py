"""The marketplace in /admin/ (district staff: everything) and /vendor/
(producers, counter staff and business buyers: their own objects only).
One module per part of the app; importing them registers everything."""

from . import bulk, catalogue, lots, orders, places, presales, reports, shares, stock  # noqa: F401
