"""Stock per counter and its ledger. Nobody edits a figure: goods received
and counted differences are recorded on the two pages below, which call the
services (a ledger row and the cached figure change under one lock)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin_tools import ReadOnlyMixin
from core.errors import DomainError
from organizations.vendor import ReadOnlyOrgScopedAdmin, vendor_site

from .. import services
from ..forms import StockCorrectionForm, StockReceiveForm
from ..models import Counter, CounterStock, ProducerStock, Stock, StockMovement
from ..selectors import counter_ids_for, with_available
from .base import CENTRES, PRODUCERS, CounterScopedMixin, site_url, url_name


class StockAdminBase(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["variant", "counter", "on_hand", "held", "available_display", "updated_at"]
    list_filter = [("counter", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["variant__sku", "variant__product__name_zh_hans", "variant__product__name_en"]
    fields = ("variant", "counter", "on_hand", "held", "available_display", "updated_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return with_available(
            super()
            .get_queryset(request)
            .select_related("variant__product", "counter__centre__organization")
        )

    @admin.display(description=gettext_lazy("available now"), ordering="available")
    def available_display(self, obj):
        return max(obj.available, 0)


class StockRecordingMixin(admin.ModelAdmin):
    """The "receive goods" and "record a correction" pages, for district staff
    (every counter) and counter staff (their own counters). A ModelAdmin, as
    it uses one's attributes (it comes first in its admins' bases)."""

    change_list_template = "marketplace/admin/stock_change_list.html"

    def allowed_counters(self, request):
        counters = Counter.objects.filter(is_active=True).select_related("centre__organization")
        if request.user.is_staff and self.admin_site.name == "admin":
            return counters
        return counters.filter(pk__in=counter_ids_for(request.user))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("receive/", view(self.receive_view), name=url_name(self, "receive")),
            path("correct/", view(self.correct_view), name=url_name(self, "correct")),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "receive_url": site_url(self, "receive"),
            "correct_url": site_url(self, "correct"),
        }
        return super().changelist_view(request, extra_context)

    def receive_view(self, request):
        return self._record(request, StockReceiveForm, correction=False)

    def correct_view(self, request):
        return self._record(request, StockCorrectionForm, correction=True)

    def _record(self, request, form_class, *, correction: bool):
        if not self.has_view_permission(request):
            raise PermissionDenied
        counters = self.allowed_counters(request)
        form = form_class(request.POST or None, counters=counters)
        status = 200
        if request.method == "POST":
            if form.is_valid():
                data = form.cleaned_data
                try:
                    if correction:
                        services.stock_correct(
                            counter=data["counter"],
                            variant=data["variant"],
                            quantity=data["quantity"],
                            by=request.user,
                            reason=data["reason"],
                            lot=data["lot"],
                        )
                    else:
                        services.stock_receive(
                            counter=data["counter"],
                            variant=data["variant"],
                            quantity=data["quantity"],
                            by=request.user,
                            reason=data["reason"],
                            lot=form.lot_details(),
                        )
                except DomainError as exc:
                    form.add_error(None, exc.message)
                    status = exc.status_code
                else:
                    self.message_user(
                        request,
                        _("Recorded: %(quantity)s × %(variant)s at %(counter)s.")
                        % {
                            "quantity": data["quantity"],
                            "variant": data["variant"],
                            "counter": data["counter"],
                        },
                        messages.SUCCESS,
                    )
                    return redirect(site_url(self, "changelist"))
            else:
                status = 400
        context = {
            **self.admin_site.each_context(request),
            "title": _("Record a stock correction") if correction else _("Receive goods"),
            "form": form,
            "opts": self.model._meta,
            "correction": correction,
        }
        return TemplateResponse(
            request, "marketplace/admin/stock_form.html", context, status=status
        )


@admin.register(Stock)
class StockAdmin(StockRecordingMixin, StockAdminBase):
    pass


class ProducerStockVendorAdmin(ReadOnlyOrgScopedAdmin, StockAdminBase):
    """A producer sees how much of each of its variants each counter has."""

    org_path = "variant__product__producer"
    org_kinds = PRODUCERS


class CounterStockVendorAdmin(
    StockRecordingMixin, CounterScopedMixin, ReadOnlyOrgScopedAdmin, StockAdminBase
):
    org_path = "counter__centre__organization"
    org_kinds = CENTRES


class MovementAdminBase(ReadOnlyMixin, admin.ModelAdmin):
    # Short cells, so the eight columns fit a 1280 px screen: the variant and
    # the counter's own name (not "product · variant @ centre · counter"),
    # the order by its pickup code. The page of one movement says it all.
    list_display = (
        "created_at",
        "kind",
        "variant_display",
        "counter_display",
        "quantity",
        "held_delta",
        "order_display",
        "created_by",
        "reason_display",
    )
    list_filter = ["kind", ("stock__counter", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["stock__variant__sku", "reason", "order__pickup_code"]
    date_hierarchy = "created_at"
    fields = (
        "created_at",
        "kind",
        "stock",
        "quantity",
        "held_delta",
        "order",
        "created_by",
        "reason_display",
    )
    readonly_fields = fields

    @admin.display(description=gettext_lazy("variant"), ordering="stock__variant")
    def variant_display(self, obj):
        return obj.stock.variant

    @admin.display(description=gettext_lazy("counter"), ordering="stock__counter")
    def counter_display(self, obj):
        return obj.stock.counter.name

    @admin.display(description=gettext_lazy("order"), ordering="order")
    def order_display(self, obj):
        return obj.order.pickup_code if obj.order_id else "—"

    @admin.display(description=gettext_lazy("reason"))
    def reason_display(self, obj):
        # The system's reasons ("pickup deadline passed") are stored as
        # msgids (gettext_noop where written); a person's shows as typed.
        return _(obj.reason) if obj.reason else "—"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(
                "stock__variant__product",
                "stock__counter__centre__organization",
                "order",
                "created_by",
            )
        )


@admin.register(StockMovement)
class StockMovementAdmin(MovementAdminBase):
    pass


class StockMovementVendorAdmin(CounterScopedMixin, ReadOnlyOrgScopedAdmin, MovementAdminBase):
    """The ledger of the counter staff's own counters."""

    org_path = "stock__counter__centre__organization"
    org_kinds = CENTRES
    counter_path = "stock__counter"


vendor_site.register(ProducerStock, ProducerStockVendorAdmin)
vendor_site.register(CounterStock, CounterStockVendorAdmin)
vendor_site.register(StockMovement, StockMovementVendorAdmin)
