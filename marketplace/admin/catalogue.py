"""Categories, products, variants, images and tier prices.

District staff edit everything in /admin/; a producer edits its own products
in /vendor/ (never another's: the queryset, the producer choices and the save
are all scoped). Whether a product is "named in the report" or demo data is
the district's call, so the vendor form leaves those out.
"""

from django.contrib import admin
from django.db.models import Prefetch
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from core.admin_tools import ImageInline
from organizations.models import Organization
from organizations.vendor import OrgScopedAdmin, VendorInlineMixin, vendor_site

from ..models import (
    BusinessBuyer,
    Category,
    Certification,
    PriceTier,
    Product,
    ProductImage,
    ProductVariant,
    Stock,
)
from ..selectors import with_available
from .base import PRODUCERS, ContentChangedMixin, FormErrorsMixin


@admin.register(Category)
class CategoryAdmin(ContentChangedMixin, TranslationAdmin):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Certification)
class CertificationAdmin(ContentChangedMixin, TranslationAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


class VariantInline(TranslationTabularInline):
    model = ProductVariant
    extra = 0
    fields = ["sku", "name", "unit_price", "weight_grams", "is_active", "position"]
    show_change_link = True

    def has_delete_permission(self, request, obj=None):
        return False  # order lines point at variants: switch one off instead


class ProductImageInline(ImageInline):
    model = ProductImage


class ProductAdminBase(FormErrorsMixin, ContentChangedMixin, TranslationAdmin):
    list_display = [
        "name",
        "producer",
        "category",
        "origin_area",
        "is_active",
        "is_reported",
        "is_demo",
    ]
    list_filter = ["is_active", "category", "is_reported", "is_demo"]
    search_fields = ["name_zh_hans", "name_en", "slug", "producer__name_zh_hans"]
    prepopulated_fields = {"slug": ["name_en"]}
    filter_horizontal = ["certifications"]
    inlines = [VariantInline, ProductImageInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "producer",
                    "slug",
                    "name",
                    "category",
                    "origin_area",
                    "summary",
                    "description",
                ]
            },
        ),
        (
            _("Season, keeping and labels"),
            {
                "fields": [
                    ("season_start_month", "season_end_month"),
                    "shelf_life_days",
                    "storage",
                    "certifications",
                ]
            },
        ),
        (
            _("Sale"),
            {"fields": ["is_active", "bulk_min_quantity", "is_reported", "position", "is_demo"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("producer", "category", "origin_area")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "producer" and "queryset" not in kwargs:
            kwargs["queryset"] = Organization.objects.filter(kind__in=PRODUCERS)
        if db_field.name == "origin_area":
            kwargs["queryset"] = db_field.remote_field.model.objects.filter(
                district__code="huairou"
            ).select_related("parent")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Product)
class ProductAdmin(ProductAdminBase):
    pass


class VendorVariantInline(VendorInlineMixin, VariantInline):
    pass


class VendorImageInline(VendorInlineMixin, ProductImageInline):
    pass


class ProductVendorAdmin(OrgScopedAdmin, ProductAdminBase):
    org_path = "producer"
    org_kinds = PRODUCERS
    scoped_fk = {"producer": ""}
    list_filter = ["is_active", "category"]
    inlines = [VendorVariantInline, VendorImageInline]
    # The same form without "named in the report", position and demo flag.
    fieldsets = [
        *ProductAdminBase.fieldsets[:-1],
        (_("Sale"), {"fields": ["is_active", "bulk_min_quantity"]}),
    ]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        own = self._org_ids(request)
        if len(own) == 1:
            initial.setdefault("producer", own[0])
        return initial


class PriceTierInline(admin.TabularInline):
    model = PriceTier
    extra = 0
    fields = ["min_quantity", "unit_price"]


class VariantAdminBase(FormErrorsMixin, ContentChangedMixin, TranslationAdmin):
    list_display = [
        "sku",
        "product",
        "name",
        "unit_price",
        "weight_grams",
        "is_active",
        "stock_display",
    ]
    list_filter = ["is_active"]
    search_fields = ["sku", "name_zh_hans", "name_en", "product__name_zh_hans", "product__name_en"]
    fields = [
        "product",
        "sku",
        "name",
        "unit_price",
        "weight_grams",
        "is_active",
        "position",
        "stock_display",
    ]
    readonly_fields = ["stock_display"]
    inlines = [PriceTierInline]

    def get_queryset(self, request):
        stocks = with_available(
            Stock.objects.select_related("counter__centre__organization").order_by("counter")
        )
        return (
            super()
            .get_queryset(request)
            .select_related("product")
            .prefetch_related(Prefetch("stocks", queryset=stocks, to_attr="stock_list"))
        )

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("available per counter"))
    def stock_display(self, obj):
        stocks = getattr(obj, "stock_list", None)
        if stocks is None:
            stocks = list(
                with_available(obj.stocks.select_related("counter__centre__organization"))
            )
        if not stocks:
            return "—"
        return format_html_join(
            ", ",
            "{}: {} ({})",
            ((s.counter, max(s.available, 0), s.on_hand) for s in stocks),
        )


@admin.register(ProductVariant)
class ProductVariantAdmin(VariantAdminBase):
    pass


class VendorPriceTierInline(VendorInlineMixin, PriceTierInline):
    pass


class VariantVendorAdmin(OrgScopedAdmin, VariantAdminBase):
    inlines = [VendorPriceTierInline]
    org_path = "product__producer"
    org_kinds = PRODUCERS
    scoped_fk = {"product": "producer"}


@admin.register(BusinessBuyer)
class BusinessBuyerAdmin(admin.ModelAdmin):
    list_display = ["organization", "delivery_address", "contact_name", "contact_phone"]
    search_fields = ["organization__name_zh_hans", "organization__name_en", "contact_name"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organization":
            kwargs["queryset"] = Organization.objects.filter(kind__in=("supermarket", "restaurant"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


vendor_site.register(Product, ProductVendorAdmin)
vendor_site.register(ProductVariant, VariantVendorAdmin)
