"""Centres and their counters: address and hours, which producers each
counter carries, and who works there. In /vendor/ only a *manager* of the
centre's organization edits them."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from organizations.models import Organization
from organizations.vendor import OrgScopedAdmin, VendorInlineMixin, vendor_site

from ..models import Centre, Counter, CounterStaff, OpeningException, OpeningHours
from .base import (
    CENTRES,
    PRODUCERS,
    ContentChangedMixin,
    FormErrorsMixin,
    ManagerOnlyMixin,
)


class CounterInline(TranslationTabularInline):
    model = Counter
    extra = 0
    fields = ["name", "kind", "location", "is_active", "position"]
    show_change_link = True

    def has_delete_permission(self, request, obj=None):
        return False


class CentreAdminBase(FormErrorsMixin, ContentChangedMixin, TranslationAdmin):
    list_display = ["__str__", "address", "opening_hours", "phone"]
    fields = [
        "organization",
        "address",
        "opening_hours",
        ("latitude", "longitude"),
        "phone",
        "position",
    ]
    inlines = [CounterInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organization" and "queryset" not in kwargs:
            kwargs["queryset"] = Organization.objects.filter(kind__in=CENTRES)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Centre)
class CentreAdmin(CentreAdminBase):
    pass


class VendorCounterInline(VendorInlineMixin, CounterInline):
    pass


class CentreVendorAdmin(ManagerOnlyMixin, OrgScopedAdmin, CentreAdminBase):
    inlines = [VendorCounterInline]
    org_path = "organization"
    org_kinds = CENTRES
    scoped_fk = {"organization": ""}


class CounterStaffInline(admin.TabularInline):
    model = CounterStaff
    extra = 0
    fields = ["user"]
    autocomplete_fields = []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user" and not request.user.is_superuser and not request.user.is_staff:
            # Only people who already act for the manager's centre can be put behind its counters.
            centres = Organization.objects.filter(
                memberships__user=request.user, memberships__role="manager", kind__in=CENTRES
            )
            kwargs["queryset"] = (
                get_user_model().objects.filter(memberships__organization__in=centres).distinct()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class OpeningHoursInline(admin.TabularInline):
    """The weekly hours (pickup deadlines and reminders follow them): one row a
    period, two for a day with a lunch break, none for a closed day."""

    model = OpeningHours
    extra = 0
    fields = ["weekday", "opens", "closes"]


class OpeningExceptionInline(TranslationTabularInline):
    """Dated changes: closed all day (no times) or other hours that day."""

    model = OpeningException
    extra = 0
    fields = ["date", "opens", "closes", "note"]


class CounterAdminBase(FormErrorsMixin, ContentChangedMixin, TranslationAdmin):
    list_display = ["name", "centre", "kind", "location", "carried", "is_active", "is_demo"]
    list_filter = ["is_active", "kind", "centre"]
    fields = [
        "centre",
        "name",
        "kind",
        "location",
        ("latitude", "longitude"),
        "producers",
        "is_active",
        "position",
        "is_demo",
    ]
    filter_horizontal = ["producers"]
    inlines = [OpeningHoursInline, OpeningExceptionInline, CounterStaffInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("centre__organization")
            .prefetch_related("producers")
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "producers":
            kwargs["queryset"] = Organization.objects.filter(kind__in=PRODUCERS)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("producers carried"))
    def carried(self, obj):
        return ", ".join(p.name for p in obj.producers.all()) or "—"

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Counter)
class CounterAdmin(CounterAdminBase):
    pass


class VendorCounterStaffInline(VendorInlineMixin, CounterStaffInline):
    def has_delete_permission(self, request, obj=None):
        return True  # an assignment ends when someone leaves the counter


class VendorOpeningHoursInline(VendorInlineMixin, OpeningHoursInline):
    deletable = True  # a period the counter no longer opens


class VendorOpeningExceptionInline(VendorInlineMixin, OpeningExceptionInline):
    deletable = True  # a closure called off


class CounterVendorAdmin(ManagerOnlyMixin, OrgScopedAdmin, CounterAdminBase):
    inlines = [VendorOpeningHoursInline, VendorOpeningExceptionInline, VendorCounterStaffInline]
    org_path = "centre__organization"
    org_kinds = CENTRES
    scoped_fk = {"centre": "organization"}
    fields = [name for name in CounterAdminBase.fields if name != "is_demo"]  # the district's call


vendor_site.register(Centre, CentreVendorAdmin)
vendor_site.register(Counter, CounterVendorAdmin)
