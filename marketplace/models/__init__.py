"""Huairou products sold at Dongcheng's consumption-support counters.

Catalogue (categories, products, variants, images, tier prices), the places
that sell them (centres and their counters), the stock ledger, the
reserve-and-collect orders of the public, and the bulk orders of supermarkets
and restaurants (农超对接 / 餐饮对接). Workflows live in ``services.py``; the
models hold fields, constraints and small state questions only.
"""

from .base import (
    BUYER_KINDS,
    FEW_LEFT,
    MAX_BULK_LINE_QUANTITY,
    MAX_LINE_QUANTITY,
    MAX_ORDER_LINES,
    PRODUCER_KINDS,
)
from .bulk import BulkOrder, BulkOrderEvent, BulkOrderLine, BusinessBuyer
from .catalogue import Category, Certification, PriceTier, Product, ProductImage, ProductVariant
from .hours import OpeningException, OpeningHours, Weekday
from .lots import Lot, LotDraw
from .orders import Order, OrderEvent, OrderLine
from .places import Centre, Counter, CounterStaff
from .presales import MAX_PLEDGE, Pledge, Presale
from .proxies import (
    BulkPurchase,
    CounterOrder,
    CounterStock,
    ProducerSale,
    ProducerStock,
    SalesReport,
)
from .shares import DEFAULT_SHARE_RATE, PurchaseShare
from .stock import Stock, StockMovement

__all__ = [
    "BUYER_KINDS",
    "DEFAULT_SHARE_RATE",
    "FEW_LEFT",
    "MAX_BULK_LINE_QUANTITY",
    "MAX_LINE_QUANTITY",
    "MAX_ORDER_LINES",
    "MAX_PLEDGE",
    "PRODUCER_KINDS",
    "BulkOrder",
    "BulkOrderEvent",
    "BulkOrderLine",
    "BulkPurchase",
    "BusinessBuyer",
    "Category",
    "Centre",
    "Certification",
    "Counter",
    "CounterOrder",
    "CounterStaff",
    "CounterStock",
    "Lot",
    "LotDraw",
    "OpeningException",
    "OpeningHours",
    "Order",
    "OrderEvent",
    "OrderLine",
    "Pledge",
    "Presale",
    "PriceTier",
    "ProducerSale",
    "ProducerStock",
    "Product",
    "ProductImage",
    "ProductVariant",
    "PurchaseShare",
    "SalesReport",
    "Stock",
    "StockMovement",
    "Weekday",
]
