"""Reads of the marketplace: every query a page or endpoint needs, done up front.

``featured_products``, ``orders_for_customer``, ``products_near`` and
``consumption_support_figures`` are contracts other apps call.

Availability is computed at read time: a stock row's cached ``held`` still
counts the orders whose pickup deadline has passed until ``expire_orders``
tidies them, so every read adds those holds back (``overdue_held``). The
answer is therefore right at any moment, with or without the periodic job.
"""

from .access import buyer_ids_for, counter_ids_for, is_centre_manager, producer_ids_for, works_at
from .availability import (
    CounterAvailability,
    availability_level,
    overdue_held,
    with_available,
)
from .catalogue import (
    categories,
    centre_list,
    centres_for_filter,
    featured_products,
    producer_detail,
    producer_search,
    producers,
    product_detail,
    product_list,
    products_near,
)
from .hours import counter_schedule, counter_schedules
from .lots import OrderLot, lot_trace, lots_for_partner, order_lots, variant_by_gtin
from .orders import (
    WEB_CHECKOUT_SCOPE,
    CartLine,
    CounterChoice,
    best_stock,
    bulk_buyers_for,
    bulk_catalogue,
    bulk_order_detail,
    bulk_orders_for_buyers,
    bulk_producer,
    bulk_producers,
    cart_lines,
    checkout_counters,
    open_counter,
    order_by_pickup_code,
    order_for_customer,
    order_placed_with_key,
    orders_for_customer,
    orders_next_change,
)
from .presales import open_presales, pledge_for_customer, pledges_for_customer, presale_detail
from .reports import (
    SalesRow,
    StockMismatch,
    consumption_support_figures,
    sales_report,
    stock_mismatches,
)

__all__ = [
    "WEB_CHECKOUT_SCOPE",
    "CartLine",
    "CounterAvailability",
    "CounterChoice",
    "OrderLot",
    "SalesRow",
    "StockMismatch",
    "availability_level",
    "best_stock",
    "bulk_buyers_for",
    "bulk_catalogue",
    "bulk_order_detail",
    "bulk_orders_for_buyers",
    "bulk_producer",
    "bulk_producers",
    "buyer_ids_for",
    "cart_lines",
    "categories",
    "centre_list",
    "centres_for_filter",
    "checkout_counters",
    "consumption_support_figures",
    "counter_ids_for",
    "counter_schedule",
    "counter_schedules",
    "featured_products",
    "is_centre_manager",
    "lot_trace",
    "lots_for_partner",
    "open_counter",
    "open_presales",
    "order_by_pickup_code",
    "order_for_customer",
    "order_lots",
    "order_placed_with_key",
    "orders_for_customer",
    "orders_next_change",
    "overdue_held",
    "pledge_for_customer",
    "pledges_for_customer",
    "presale_detail",
    "producer_detail",
    "producer_ids_for",
    "producer_search",
    "producers",
    "product_detail",
    "product_list",
    "products_near",
    "sales_report",
    "stock_mismatches",
    "variant_by_gtin",
    "with_available",
    "works_at",
]
