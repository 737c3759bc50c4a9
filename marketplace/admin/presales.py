"""Harvest presales in /admin/ (district staff) and /vendor/ (the producer:
open a presale of its own variants, see the pledges, record the yield and
allocate it, with a preview of every share before it is committed)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from organizations.vendor import OrgScopedAdmin, vendor_site

from .. import services
from ..models import Pledge, Presale, ProductVariant
from ..selectors import producer_ids_for
from .base import PRODUCERS, url_name


class PledgeInline(admin.TabularInline):
    model = Pledge
    fields = PLEDGE_FIELDS = (
        "customer",
        "organization",
        "counter",
        "quantity",
        "allocated",
        "status",
        "order",
        "created_at",
    )
    readonly_fields = PLEDGE_FIELDS
    extra = 0
    can_delete = False
    ordering = ["created_at", "pk"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return True


class AllocateForm(forms.Form):
    actual_yield = forms.IntegerField(
        label=gettext_lazy("Actual yield (units)"), min_value=0, max_value=1_000_000
    )


class PresaleAdminBase(admin.ModelAdmin):
    list_display = [
        "variant",
        "price",
        "expected_yield",
        "pledged_units",
        "closes_at",
        "status",
        "actual_yield",
    ]
    list_filter = ["status"]
    fields = ["variant", "price", "expected_yield", "opens_at", "closes_at", "harvest_note"]
    inlines = [PledgeInline]
    change_form_template = "marketplace/admin/presale_change_form.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("variant__product")
            .annotate(
                pledged_sum=Sum(
                    "pledges__quantity", filter=~Q(pledges__status="withdrawn"), default=0
                ),
                pledge_count=Count("pledges"),
            )
        )

    @admin.display(description=gettext_lazy("pledged"))
    def pledged_units(self, obj):
        return obj.pledged_sum

    def get_readonly_fields(self, request, obj=None):
        # Once open, the terms pledges were made on stay as they were.
        return self.fields if obj else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "variant":
            variants = ProductVariant.objects.filter(is_active=True).select_related("product")
            if not request.user.is_staff:
                variants = variants.filter(product__producer_id__in=producer_ids_for(request.user))
            kwargs["queryset"] = variants
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            return  # the terms are read-only once open
        try:
            made = services.presale_open(
                by=request.user,
                variant=obj.variant,
                price=obj.price,
                expected_yield=obj.expected_yield,
                opens_at=obj.opens_at,
                closes_at=obj.closes_at,
                harvest_note=obj.harvest_note,
            )
        except DomainError as error:
            raise PermissionDenied(error.message) from error
        obj.pk = made.pk
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        pass  # pledges are the customers', never saved from this form

    def get_urls(self):
        return [
            path(
                "<int:pk>/allocate/",
                self.admin_site.admin_view(self.allocate_view),
                name=url_name(self, "allocate"),
            ),
            *super().get_urls(),
        ]

    def allocate_view(self, request, pk: int):
        presale = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_permission(request, presale):
            raise PermissionDenied
        form = AllocateForm(request.POST or request.GET or None)
        preview = None
        if form.is_valid():
            pledges = list(
                presale.pledges.filter(status=Pledge.Status.PLEDGED)
                .select_related("customer", "counter")
                .order_by("created_at", "pk")
            )
            shares = services.allocate(
                form.cleaned_data["actual_yield"], [(p.pk, p.quantity) for p in pledges]
            )
            preview = [(p, shares[p.pk]) for p in pledges]
            if request.method == "POST" and "confirm" in request.POST:
                try:
                    result = services.presale_allocate(
                        presale_id=presale.pk,
                        actual_yield=form.cleaned_data["actual_yield"],
                        by=request.user,
                    )
                except DomainError as error:
                    messages.error(request, error.message)
                else:
                    messages.success(
                        request,
                        _(
                            "Allocated %(allocated)s of %(pledged)s units pledged; orders reserved and buyers e-mailed."
                        )
                        % {"allocated": result.allocated, "pledged": result.pledged},
                    )
                    return redirect(f"../../{presale.pk}/change/")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Record the harvest and allocate it"),
            "presale": presale,
            "form": form,
            "preview": preview,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "marketplace/admin/presale_allocate.html", context)


@admin.register(Presale)
class PresaleAdmin(PresaleAdminBase):
    pass


class PresaleVendorAdmin(OrgScopedAdmin, PresaleAdminBase):
    org_path = "variant__product__producer"
    org_kinds = PRODUCERS


vendor_site.register(Presale, PresaleVendorAdmin)
