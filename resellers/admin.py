"""Resellers in /admin/ (district staff: accounts, commission, keys) and in
/vendor/ (a reseller's own members: its bookings and the sales report)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin_tools import ReadOnlyMixin, csv_response
from organizations.models import Organization
from organizations.vendor import ReadOnlyOrgScopedAdmin, vendor_site

from . import selectors, services
from .models import Reseller, ResellerBooking, ResellerKey


class ResellerKeyInline(ReadOnlyMixin, admin.TabularInline):
    model = ResellerKey
    fields = ["prefix", "name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "name", "created_at", "last_used_at", "revoked_at"]
    extra = 0


@admin.register(Reseller)
class ResellerAdmin(admin.ModelAdmin):
    list_display = ["organization", "commission_rate", "is_active", "created_at"]
    list_filter = ["is_active"]
    readonly_fields = ("user", "created_at")
    fields = ["organization", "user", "commission_rate", "is_active", "created_at"]
    inlines = [ResellerKeyInline]
    actions = ["issue_key", "revoke_keys"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organization":
            kwargs["queryset"] = Organization.objects.filter(kind=Organization.Kind.RESELLER)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return (*self.readonly_fields, "organization") if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        made = services.reseller_create(
            organization=obj.organization, commission_rate=obj.commission_rate
        )
        obj.pk, obj.user = made.pk, made.user
        obj._state.adding = False

    @admin.action(description=gettext_lazy("Issue a new API key"))
    def issue_key(self, request, queryset):
        for reseller in queryset:
            issued = services.key_issue(reseller=reseller, name=f"issued by {request.user}")
            self.message_user(
                request,
                _("New API key for %(reseller)s (shown only now, copy it): %(key)s")
                % {"reseller": reseller, "key": issued.key},
                messages.WARNING,
            )

    @admin.action(description=gettext_lazy("Revoke every API key"))
    def revoke_keys(self, request, queryset):
        for key in ResellerKey.objects.filter(reseller__in=queryset, revoked_at__isnull=True):
            services.key_revoke(key=key)
        self.message_user(request, _("The keys are revoked."), messages.SUCCESS)


class ResellerBookingAdminBase(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "booking",
        "reseller",
        "reseller_reference",
        "departure",
        "seats",
        "status",
        "total",
        "commission_amount",
        "created_at",
    ]
    list_select_related = ["booking__departure__route", "reseller__organization"]
    search_fields = ["reseller_reference", "booking__code", "uuid"]
    list_filter = ["booking__status"]
    change_list_template = "resellers/admin/booking_change_list.html"

    @admin.display(description=gettext_lazy("departure"))
    def departure(self, obj):
        return obj.booking.departure

    @admin.display(description=gettext_lazy("seats"))
    def seats(self, obj):
        return obj.booking.seats

    @admin.display(description=gettext_lazy("status"))
    def status(self, obj):
        return obj.booking.get_status_display()

    @admin.display(description=gettext_lazy("total price (yuan)"))
    def total(self, obj):
        return obj.booking.total_price

    @admin.display(description=gettext_lazy("commission (yuan)"))
    def commission_amount(self, obj):
        return obj.commission

    def resellers(self, request):
        return Reseller.objects.all()

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "report/",
                self.admin_site.admin_view(self.report_view),
                name=f"{opts.app_label}_{opts.model_name}_report",
            ),
            *super().get_urls(),
        ]

    def report_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        report = selectors.sales_report(resellers=self.resellers(request))
        if request.GET.get("format") == "csv":
            return csv_response(
                "reseller-sales.csv",
                [
                    _("Month"),
                    _("Reseller"),
                    _("Bookings"),
                    _("Seats"),
                    _("Retail (yuan)"),
                    _("Commission (yuan)"),
                    _("Net (yuan)"),
                ],
                (
                    [
                        f"{row.month:%Y-%m}",
                        str(row.reseller),
                        row.bookings,
                        row.seats,
                        f"{row.retail:.2f}",
                        f"{row.commission:.2f}",
                        f"{row.net:.2f}",
                    ]
                    for row in report.rows
                ),
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reseller sales"),
            "report": report,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "resellers/admin/sales_report.html", context)


@admin.register(ResellerBooking)
class ResellerBookingAdmin(ResellerBookingAdminBase):
    pass


class ResellerBookingVendorAdmin(ReadOnlyOrgScopedAdmin, ResellerBookingAdminBase):
    """A reseller's members see their own bookings and sales, nobody else's."""

    org_path = "reseller__organization"
    org_kinds = (Organization.Kind.RESELLER,)

    def resellers(self, request):
        return Reseller.objects.filter(organization_id__in=self._org_ids(request))


vendor_site.register(ResellerBooking, ResellerBookingVendorAdmin)
