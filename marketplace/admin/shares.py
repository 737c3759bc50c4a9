"""Institutional purchase shares. District staff (/admin/) set each unit's
yearly budget and share, see every unit's progress and download the yearly
filing; a unit's members (/vendor/) see their own unit's progress only."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.admin_tools import csv_response
from core.cache import bump
from organizations.vendor import ReadOnlyOrgScopedAdmin, vendor_site

from ..models import PurchaseShare
from ..selectors.shares import share_filing_header, share_filing_rows, share_progress
from .base import FormErrorsMixin


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class PurchaseShareAdminBase(admin.ModelAdmin):
    """The change list is the progress page: one row per unit, the warning,
    the CSV filing (``?year=2026&format=csv``)."""

    def scope(self, request) -> list[int] | None:
        """The units shown; None = every unit."""
        return None

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = YearForm(
            request.GET if "year" in request.GET else {"year": timezone.localdate().year}
        )
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "title": _("Institutional purchase shares"),
                "form": form,
                "rows": [],
                "opts": self.model._meta,
            }
            return TemplateResponse(request, "marketplace/admin/shares.html", context, status=400)
        year = form.cleaned_data["year"]
        rows = share_progress(year, buyer_ids=self.scope(request))
        if request.GET.get("format") == "csv":
            return csv_response(
                f"purchase-shares-{year}.csv", share_filing_header(), share_filing_rows(rows)
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Institutional purchase shares"),
            "form": form,
            "year": year,
            "rows": rows,
            "can_edit": self.has_change_permission(request),
            "can_add": self.has_add_permission(request),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "marketplace/admin/shares.html", context)


@admin.register(PurchaseShare)
class PurchaseShareAdmin(FormErrorsMixin, PurchaseShareAdminBase):
    fields = ("buyer", "year", "food_budget", "share_rate", "has_canteen", "is_demo")
    autocomplete_fields = ("buyer",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        transaction.on_commit(lambda: bump("sales"))  # the dashboard's total moved


class PurchaseShareVendorAdmin(ReadOnlyOrgScopedAdmin, PurchaseShareAdminBase):
    org_path = "buyer"
    fields = ("buyer", "year", "food_budget", "share_rate", "has_canteen")
    readonly_fields = fields

    def scope(self, request):
        return self._org_ids(request)

    def has_module_permission(self, request):
        # Only units that have a share row at all see the page.
        return (
            self._allowed(request)
            and PurchaseShare.objects.filter(buyer_id__in=self._org_ids(request)).exists()
        )

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)


vendor_site.register(PurchaseShare, PurchaseShareVendorAdmin)
