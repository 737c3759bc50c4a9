"""Sales by producer, by village and by counter over a date range, as a page
and a CSV file. District staff see everything (/admin/); in /vendor/ a
producer sees its own sales and counter staff the sales of their counters."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from core.admin_tools import ReadOnlyMixin, csv_response
from organizations.vendor import OrgScopedAdmin, vendor_site

from ..forms import SalesReportForm
from ..models import SalesReport
from ..selectors import counter_ids_for, producer_ids_for, sales_report
from .base import CENTRES, PRODUCERS


class SalesReportAdminBase(ReadOnlyMixin, admin.ModelAdmin):
    """One page instead of a change list: the form, the table, the CSV link."""

    def scope(self, request) -> tuple[list[int] | None, list[int] | None, str]:
        """(producer ids, counter ids, description); None = no limit."""
        return None, None, _("All producers and counters")

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = SalesReportForm(
            request.GET if "date_from" in request.GET else SalesReportForm.defaults()
        )
        producer_ids, counter_ids, scope_label = self.scope(request)
        rows, status = [], 200
        if form.is_valid():
            data = form.cleaned_data
            rows = sales_report(
                group_by=data["group_by"],
                date_from=data["date_from"],
                date_to=data["date_to"],
                producer_ids=producer_ids,
                counter_ids=counter_ids,
            )
            if request.GET.get("format") == "csv":
                filename = f"sales-{data['group_by']}-{data['date_from']:%Y%m%d}-{data['date_to']:%Y%m%d}.csv"
                return csv_response(
                    filename,
                    [_("Group"), _("Orders"), _("Units"), _("Amount (yuan)")],
                    ([row.label, row.orders, row.units, f"{row.amount:.2f}"] for row in rows),
                )
        else:
            status = 400
        query = request.GET.copy()
        query["format"] = "csv"
        context = {
            **self.admin_site.each_context(request),
            "title": _("Sales report"),
            "form": form,
            "rows": rows,
            "total_orders": sum(r.orders for r in rows),
            "total_units": sum(r.units for r in rows),
            "total_amount": sum((r.amount for r in rows), 0),
            "scope_label": scope_label,
            "csv_query": query.urlencode() if "date_from" in request.GET else "",
            "opts": self.model._meta,
        }
        return TemplateResponse(
            request, "marketplace/admin/sales_report.html", context, status=status
        )


@admin.register(SalesReport)
class SalesReportAdmin(SalesReportAdminBase):
    pass


class SalesReportVendorAdmin(OrgScopedAdmin, SalesReportAdminBase):
    org_path = "producer"
    org_kinds = (*PRODUCERS, *CENTRES)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def scope(self, request):
        producers = producer_ids_for(request.user)
        if producers:
            return producers, None, _("Your products, at every counter and in bulk")
        return None, counter_ids_for(request.user), _("Your counters")


vendor_site.register(SalesReport, SalesReportVendorAdmin)
