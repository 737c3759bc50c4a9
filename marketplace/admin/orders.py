"""Reserve-and-collect orders in the staff sites.

Orders are read-only rows: their status changes only on the pickup desk page
(type or scan the pickup code, then mark ready, hand over and record the
payment, or cancel with a reason) and through the "mark ready" action, which
all call ``services.order_transition``. Counter staff see the orders of
their own counters; producers see the order lines of their own products.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin_tools import ReadOnlyInline, ReadOnlyMixin, act_on_each
from core.errors import DomainError
from organizations.vendor import ReadOnlyOrgScopedAdmin, vendor_site

from .. import selectors, services
from ..forms import CollectForm, PickupCodeForm, ReasonForm
from ..models import CounterOrder, Order, OrderEvent, OrderLine, ProducerSale
from ..services import DeskAction
from .base import CENTRES, PRODUCERS, AuditEventInline, CounterScopedMixin, site_url, url_name


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = (
        "product_name",
        "variant_name",
        "sku",
        "unit_price",
        "quantity",
        "returned_quantity",
        "line_total",
    )
    readonly_fields = fields


class OrderEventInline(AuditEventInline):
    model = OrderEvent


# What the desk says once a button has done its work.
DESK_DONE = {
    DeskAction.READY: gettext_lazy("%(code)s is ready; the customer is e-mailed."),
    DeskAction.COLLECT: gettext_lazy("%(code)s collected and paid."),
    DeskAction.HANDOVER: gettext_lazy("%(code)s collected and paid."),
    DeskAction.CANCEL: gettext_lazy("%(code)s cancelled; the customer is e-mailed."),
    DeskAction.RETURN: gettext_lazy("Return recorded for %(code)s; the units are back on sale."),
    DeskAction.EXPIRE: gettext_lazy("%(code)s recorded as expired; its units are back on sale."),
}


class OrderAdminBase(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "pickup_code",
        "counter",
        "customer",
        "status_display",
        "total",
        "placed_at",
        "pickup_deadline",
        "payment_method",
    ]
    list_filter = [
        "status",
        ("counter", admin.RelatedOnlyFieldListFilter),
        "payment_method",
        "is_demo",
    ]
    search_fields = ["pickup_code", "customer__username", "customer__phone"]
    date_hierarchy = "placed_at"
    fields = (
        "pickup_code",
        "customer",
        "counter",
        "status",
        "total",
        "placed_at",
        "pickup_deadline",
        "ready_at",
        "closed_at",
        "payment_method",
        "reminder_sent_at",
        "desk_link",
        "lots_display",
    )
    readonly_fields = fields
    inlines = [OrderLineInline, OrderEventInline]
    actions = ["mark_ready"]
    change_list_template = "marketplace/admin/order_change_list.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("counter__centre__organization", "customer")
        )

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def status_display(self, obj):
        return obj.get_effective_status_display()

    @admin.display(description=gettext_lazy("lots handed over"))
    def lots_display(self, obj):
        """Which lots the hand-over drew (first expiring first out), net of returns."""
        drawn = selectors.order_lots(obj)
        if not drawn:
            return "—"
        return ", ".join(f"{entry.lot.code} × {entry.units}" for entry in drawn)

    @admin.display(description=gettext_lazy("pickup desk"))
    def desk_link(self, obj):
        url = site_url(self, "pickup")
        return format_html(
            '<a href="{}?code={}">{}</a>', url, obj.pickup_code, _("Open at the pickup desk")
        )

    @admin.action(
        description=gettext_lazy("Mark the selected orders ready for pickup"), permissions=["view"]
    )
    def mark_ready(self, request, queryset):
        act_on_each(
            self,
            request,
            queryset.order_by("pk"),
            lambda order: services.order_transition(
                order=order, to=Order.Status.READY, by=request.user
            ),
            label=lambda order: order.pickup_code,
            done_message=lambda done: (
                _("%(count)s orders ready; their customers are e-mailed.") % {"count": done}
            ),
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "desk_url": site_url(self, "pickup"),
        }
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        return [
            path(
                "pickup/",
                self.admin_site.admin_view(self.pickup_view),
                name=url_name(self, "pickup"),
            ),
            *super().get_urls(),
        ]

    def _find(self, request, code: str) -> Order | None:
        return selectors.order_by_pickup_code(code=code, orders=self.get_queryset(request))

    def pickup_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        url = site_url(self, "pickup")
        code = request.POST.get("code") or request.GET.get("code") or ""
        form = PickupCodeForm({"code": code} if code else None)
        collect = CollectForm(
            request.POST if request.POST.get("action") in ("collect", "handover") else None
        )
        reason = ReasonForm(request.POST if request.POST.get("action") == "cancel" else None)
        order, status, confirm_cancel = None, 200, None
        if code:
            order = self._find(request, code)
            if order is None:
                form.add_error("code", _("No order with this pickup code at your counters."))
                status = 404
        action = request.POST.get("action") if request.method == "POST" else None
        if (
            action == "cancel"
            and order is not None
            and request.POST.get("confirm") != "yes"
            and reason.is_valid()
        ):
            # A cancel asks first: the same page with the question, the reason
            # carried along; nothing changes until "Yes, cancel".
            confirm_cancel, action = reason.cleaned_data["reason"], None
        if action and order is not None:
            try:
                done = self._act(request, order, action, collect, reason)
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
                status = exc.status_code
            else:
                self.message_user(
                    request, done % {"code": order.pickup_code_display}, messages.SUCCESS
                )
                return redirect(f"{url}?code={order.pickup_code}")
            order = self._find(request, order.pickup_code)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Pickup desk"),
            "form": form,
            "order": order,
            "collect": collect,
            "reason": reason,
            "confirm_cancel": confirm_cancel,
            # The task-focused desk (marketplace.desk), for counter staff.
            "desk_url": "/vendor/desk/pickup/" if self.admin_site.name == "vendor" else "",
            "opts": self.model._meta,
            "url": url,
        }
        return TemplateResponse(
            request, "marketplace/admin/pickup_desk.html", context, status=status
        )

    def _act(self, request, order, action, collect, reason) -> str:
        # The forms give their errors back on the page; the button itself is
        # one service call (services.order_desk_action).
        if action in (DeskAction.COLLECT, DeskAction.HANDOVER) and not collect.is_valid():
            # No default: a clerk who chose nothing gets the form back with
            # its error, and the order is left as it was.
            raise DomainError(_("Record how the customer paid."), code="payment_method_required")
        if action == DeskAction.CANCEL and not reason.is_valid():
            raise DomainError(
                _("Say why the order is cancelled; the customer is told."),
                code="reason_required",
            )
        done = services.order_desk_action(
            order=order,
            action=action,
            by=request.user,
            payment_method=collect.cleaned_data["payment_method"] if collect.is_bound else None,
            reason=(
                reason.cleaned_data["reason"]
                if action == DeskAction.CANCEL
                else request.POST.get("reason", "")
            ),
            line_id=request.POST.get("line"),
            quantity=request.POST.get("quantity"),
        )
        return str(DESK_DONE[done])


@admin.register(Order)
class OrderAdmin(OrderAdminBase):
    pass


class CounterOrderVendorAdmin(CounterScopedMixin, ReadOnlyOrgScopedAdmin, OrderAdminBase):
    org_path = "counter__centre__organization"
    org_kinds = CENTRES


class SaleAdminBase(ReadOnlyMixin, admin.ModelAdmin):
    """A producer's view of the orders for its products: its own lines only."""

    list_display = [
        "placed_at",
        "counter",
        "status",
        "product_name",
        "variant_name",
        "quantity",
        "line_total",
    ]
    list_filter = ["order__status", ("order__counter", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["sku", "product_name_zh_hans", "product_name_en"]
    date_hierarchy = "order__placed_at"
    fields = (
        "placed_at",
        "counter",
        "status",
        "product_name",
        "variant_name",
        "sku",
        "unit_price",
        "quantity",
        "returned_quantity",
        "line_total",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("order__counter__centre__organization")

    @admin.display(description=gettext_lazy("placed"), ordering="order__placed_at")
    def placed_at(self, obj):
        return obj.order.placed_at

    @admin.display(description=gettext_lazy("counter"))
    def counter(self, obj):
        return obj.order.counter

    @admin.display(description=gettext_lazy("status"), ordering="order__status")
    def status(self, obj):
        return obj.order.get_effective_status_display()


class ProducerSaleVendorAdmin(ReadOnlyOrgScopedAdmin, SaleAdminBase):
    org_path = "producer"
    org_kinds = PRODUCERS


vendor_site.register(CounterOrder, CounterOrderVendorAdmin)
vendor_site.register(ProducerSale, ProducerSaleVendorAdmin)
