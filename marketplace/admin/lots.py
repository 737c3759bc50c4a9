"""Lots in /admin/ (every lot) and /vendor/ (a counter's staff: the lots
received at their counters; a producer: the lots of its goods), with a
printable label per lot: product, GTIN, lot, dates and the QR code of the
lot's trace page. Lots are made by receipts (the stock pages) and changed
only by the ledger: nobody edits one here."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin_tools import ReadOnlyMixin
from organizations.vendor import vendor_site

from ..models import Lot
from ..selectors import counter_ids_for, lots_for_partner, producer_ids_for
from .base import site_url, url_name


class LotAdminBase(ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "code",
        "variant",
        "counter_display",
        "producer",
        "village",
        "harvested_on",
        "best_before",
        "certificate",
        "quantity_received",
        "remaining",
        "label_link",
    )
    list_filter = ["certificate", "recorded", ("counter", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "variant__sku", "variant__gtin", "variant__product__name_zh_hans"]
    date_hierarchy = "received_at"
    list_select_related = ("variant__product", "counter__centre", "producer", "village")
    fields = (
        "code",
        "variant",
        "counter",
        "producer",
        "village",
        "harvested_on",
        "best_before",
        "certificate",
        "certificate_number",
        "quantity_received",
        "remaining",
        "recorded",
        "received_at",
        "received_by",
        "is_demo",
    )
    readonly_fields = fields
    actions = ["print_labels"]

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/label/", view(self.label_view), name=url_name(self, "label")),
            *super().get_urls(),
        ]

    @admin.display(description=gettext_lazy("counter"), ordering="counter")
    def counter_display(self, obj):
        return obj.counter.name

    @admin.display(description=gettext_lazy("label"))
    def label_link(self, obj):
        if not obj.variant.gtin:
            return _("no GTIN")
        return format_html('<a href="{}">{}</a>', site_url(self, "label", obj.pk), _("Print"))

    @admin.action(description=gettext_lazy("Print labels of the selected lots"))
    def print_labels(self, request, queryset):
        return self._labels(request, list(queryset.order_by("variant", "code")))

    def label_view(self, request, pk: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        lot = get_object_or_404(self.get_queryset(request), pk=pk)
        return self._labels(request, [lot])

    def _labels(self, request, lots):
        context = {
            **self.admin_site.each_context(request),
            "title": _("Lot labels"),
            "opts": self.model._meta,
            "lots": lots,
            "missing_gtin": [lot for lot in lots if not lot.variant.gtin],
        }
        return TemplateResponse(request, "marketplace/admin/lot_labels.html", context)


@admin.register(Lot)
class LotAdmin(LotAdminBase):
    pass


class LotVendorAdmin(LotAdminBase):
    """A partner's lots: received at their counters, or of their produce."""

    def get_queryset(self, request):
        return lots_for_partner(request.user) if self._allowed(request) else Lot.objects.none()

    def _allowed(self, request) -> bool:
        if not request.user.is_authenticated:
            return False
        memo = request.__dict__.setdefault("_lot_partner", {})
        if "allowed" not in memo:
            memo["allowed"] = bool(counter_ids_for(request.user) or producer_ids_for(request.user))
        return memo["allowed"]

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)


vendor_site.register(Lot, LotVendorAdmin)
