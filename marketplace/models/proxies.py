"""Partner-panel views of the same rows."""

from django.utils.translation import gettext_lazy as _

from .bulk import BulkOrder
from .orders import Order, OrderLine
from .stock import Stock

# The /vendor/ site registers one ModelAdmin per model, each scoped to one kind
# of organization; these give producers and counter staff their own pages.


class ProducerStock(Stock):
    class Meta:
        proxy = True
        verbose_name = _("stock of my products")
        verbose_name_plural = _("stock of my products")


class CounterStock(Stock):
    class Meta:
        proxy = True
        verbose_name = _("stock at my counter")
        verbose_name_plural = _("stock at my counters")


class CounterOrder(Order):
    class Meta:
        proxy = True
        verbose_name = _("order at my counter")
        verbose_name_plural = _("orders at my counters")


class ProducerSale(OrderLine):
    class Meta:
        proxy = True
        verbose_name = _("order of my products")
        verbose_name_plural = _("orders of my products")


class SalesReport(OrderLine):
    class Meta:
        proxy = True
        verbose_name = _("sales report")
        verbose_name_plural = _("sales report")


class BulkPurchase(BulkOrder):
    class Meta:
        proxy = True
        verbose_name = _("bulk purchase")
        verbose_name_plural = _("bulk purchases")
