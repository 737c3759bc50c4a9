"""Bulk orders of supermarkets and restaurants. The producer moves them on
(confirm with changed quantities and date, deliver, settle, or reject) on
one page that calls ``services.bulk_order_transition``; buyers see their own
purchases read-only (and request new ones on the public bulk pages)."""

from typing import ClassVar

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin_tools import ReadOnlyInline, ReadOnlyMixin
from core.errors import DomainError
from organizations.vendor import ReadOnlyOrgScopedAdmin, vendor_site

from .. import services
from ..forms import BulkConfirmForm, ReasonForm
from ..models import BUYER_KINDS, BulkOrder, BulkOrderEvent, BulkOrderLine, BulkPurchase
from ..services import BULK_TRANSITIONS
from .base import PRODUCERS, AuditEventInline, site_url, url_name


class BulkLineInline(ReadOnlyInline):
    model = BulkOrderLine
    fields = (
        "product_name",
        "variant_name",
        "sku",
        "requested_quantity",
        "quantity",
        "unit_price",
        "line_total",
    )
    readonly_fields = fields


class BulkEventInline(AuditEventInline):
    model = BulkOrderEvent


class BulkOrderAdminBase(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "__str__",
        "buyer",
        "producer",
        "status",
        "requested_delivery_date",
        "delivery_date",
        "total",
    ]
    list_filter = ["status", "is_demo"]
    search_fields = ["buyer__name_zh_hans", "producer__name_zh_hans", "note"]
    date_hierarchy = "created_at"
    # Any length: BulkPurchaseVendorAdmin leaves one out.
    fields: ClassVar[tuple[str, ...]] = (
        "buyer",
        "producer",
        "status",
        "requested_by",
        "created_at",
        "requested_delivery_date",
        "delivery_date",
        "note",
        "total",
        "settled_at",
        "act_link",
    )
    readonly_fields = fields
    inlines = [BulkLineInline, BulkEventInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("buyer", "producer", "requested_by")

    @admin.display(description=gettext_lazy("next step"))
    def act_link(self, obj):
        if not BULK_TRANSITIONS[obj.status]:
            return "—"
        url = site_url(self, "act", obj.pk)
        return format_html('<a href="{}">{}</a>', url, _("Confirm, deliver, settle or reject…"))

    def get_urls(self):
        return [
            path(
                "<int:pk>/act/",
                self.admin_site.admin_view(self.act_view),
                name=url_name(self, "act"),
            ),
            *super().get_urls(),
        ]

    def act_view(self, request, pk: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        bulk_order = self.get_queryset(request).filter(pk=pk).prefetch_related("lines").first()
        if bulk_order is None:  # not there, or another producer's
            raise Http404
        action = request.POST.get("action")
        confirm = BulkConfirmForm(
            request.POST if action == "confirmed" else None, bulk_order=bulk_order
        )
        reject = ReasonForm(request.POST if action == "rejected" else None)
        status = 200
        if request.method == "POST":
            try:
                if action == "confirmed":
                    if not confirm.is_valid():
                        raise DomainError(_("Correct the quantities and the date."), code="invalid")
                    services.bulk_order_transition(
                        bulk_order=bulk_order,
                        to=action,
                        by=request.user,
                        quantities=confirm.quantities(),
                        delivery_date=confirm.cleaned_data["delivery_date"],
                    )
                elif action == "rejected":
                    if not reject.is_valid():
                        raise DomainError(
                            _("Tell the buyer why the order is rejected."), code="reason_required"
                        )
                    services.bulk_order_transition(
                        bulk_order=bulk_order,
                        to=action,
                        by=request.user,
                        reason=reject.cleaned_data["reason"],
                    )
                elif action in (BulkOrder.Status.DELIVERED, BulkOrder.Status.SETTLED):
                    services.bulk_order_transition(
                        bulk_order=bulk_order, to=action, by=request.user
                    )
                else:
                    raise DomainError(
                        _("Choose what to do with this order."), code="invalid_action"
                    )
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
                status = exc.status_code
            else:
                self.message_user(
                    request,
                    _("Bulk order #%(number)s is now %(status)s; the buyer is e-mailed.")
                    % {"number": bulk_order.pk, "status": BulkOrder.Status(action).label},
                    messages.SUCCESS,
                )
                return redirect(site_url(self, "change", bulk_order.pk))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Bulk order #%(number)s") % {"number": bulk_order.pk},
            "bulk_order": bulk_order,
            "allowed": BULK_TRANSITIONS[bulk_order.status],
            "confirm": confirm,
            "reject": reject,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "marketplace/admin/bulk_act.html", context, status=status)


@admin.register(BulkOrder)
class BulkOrderAdmin(BulkOrderAdminBase):
    pass


class BulkOrderVendorAdmin(ReadOnlyOrgScopedAdmin, BulkOrderAdminBase):
    """The producer's side."""

    org_path = "producer"
    org_kinds = PRODUCERS


class BulkPurchaseVendorAdmin(ReadOnlyOrgScopedAdmin, BulkOrderAdminBase):
    """The buyer's side: read only; new requests on the public bulk pages."""

    org_path = "buyer"
    org_kinds = tuple(BUYER_KINDS)
    fields = tuple(f for f in BulkOrderAdminBase.fields if f != "act_link")
    readonly_fields = fields

    def get_urls(self):
        # Without the producer's "act" page: a buyer never moves an order on.
        return super(BulkOrderAdminBase, self).get_urls()


vendor_site.register(BulkOrder, BulkOrderVendorAdmin)
vendor_site.register(BulkPurchase, BulkPurchaseVendorAdmin)
