"""Reserve-and-collect orders in the staff sites.

Orders are read-only rows: their status changes only on the pickup desk page
(type or scan the pickup code, then mark ready, hand over and record the
payment, or cancel with a reason) and through the "mark ready" action, which
all call ``services.order_transition``. Counter staff see the orders of
their own counters; producers see the order lines of their own products.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import codes
from core.admin_tools import ReadOnlyInline, ReadOnlyMixin, act_on_each
from core.errors import DomainError
from organizations.vendor import ReadOnlyOrgScopedAdmin, vendor_site

from .. import services
from ..forms import CollectForm, PickupCodeForm, ReasonForm
from ..models import CounterOrder, Order, OrderEvent, OrderLine, ProducerSale
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
        """The order with this code at the user's counters: an open one first,
        else the latest (a code is reused once its order is closed)."""
        return (
            self.get_queryset(request)
            .filter(pickup_code=codes.normalise(code))
            .annotate(
                open_first=Case(
                    When(status__in=Order.OPEN_STATUSES, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
            .prefetch_related("lines", "events__by")
            .order_by("open_first", "-placed_at")
            .first()
        )

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
            "opts": self.model._meta,
            "url": url,
        }
        return TemplateResponse(
            request, "marketplace/admin/pickup_desk.html", context, status=status
        )

    def _act(self, request, order, action, collect, reason) -> str:
        by = request.user
        if action == "ready":
            services.order_transition(order=order, to=Order.Status.READY, by=by)
            return _("%(code)s is ready; the customer is e-mailed.")
        if action in ("collect", "handover"):
            # No default: a clerk who chose nothing gets the form back with
            # its error, and the order is left as it was.
            if not collect.is_valid():
                raise DomainError(
                    _("Record how the customer paid."), code="payment_method_required"
                )
            # One service call, one transaction; from placed it records both
            # steps, and nobody is e-mailed "ready" about an order in hand.
            services.order_hand_over(
                order=order, by=by, payment_method=collect.cleaned_data["payment_method"]
            )
            return _("%(code)s collected and paid.")
        if action == "cancel":
            if not reason.is_valid():
                raise DomainError(
                    _("Say why the order is cancelled; the customer is told."),
                    code="reason_required",
                )
            services.order_transition(
                order=order, to=Order.Status.CANCELLED, by=by, reason=reason.cleaned_data["reason"]
            )
            return _("%(code)s cancelled; the customer is e-mailed.")
        if action == "return":
            line = order.lines.filter(pk=request.POST.get("line") or 0).first()
            quantity = request.POST.get("quantity", "").strip()
            if line is None or not quantity.isdigit():
                raise DomainError(
                    _("Choose the line and how many units came back."), code="invalid_return"
                )
            services.order_line_return(
                line=line, quantity=int(quantity), by=by, reason=request.POST.get("reason", "")
            )
            return _("Return recorded for %(code)s; the units are back on sale.")
        if action == "expire":
            services.order_transition(
                order=order, to=Order.Status.EXPIRED, by=by, reason="recorded at the desk"
            )
            return _("%(code)s recorded as expired; its units are back on sale.")
        raise DomainError(_("Choose what to do with this order."), code="invalid_action")


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
