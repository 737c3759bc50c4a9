"""Categories, products, variants, images and tier prices.

District staff edit everything in /admin/; a producer edits its own products
in /vendor/ (never another's: the queryset, the producer choices and the save
are all scoped). Whether a product is "named in the report" or demo data is
the district's call, so the vendor form leaves those out.
"""

import secrets

from django import forms
from django.contrib import admin
from django.db.models import Prefetch
from django.utils.dates import MONTHS
from django.utils.html import format_html_join
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from pypinyin import lazy_pinyin

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
    fields = ["sku", "gtin", "name", "unit_price", "weight_grams", "is_active", "position"]
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


# --- The producer's own form on /vendor/ ------------------------------------------------
# One screen: the Chinese name, category, origin and season, then the
# variants (what is sold: the pack or unit, its price) and the pictures.
# The rest (the English and Traditional texts, the description, storage,
# labels, the web address, bulk minimum) is folded into "More details"; a
# web address or SKU left empty is made up on save. District staff keep the
# full form in /admin/.

MONTH_CHOICES = [("", "—"), *MONTHS.items()]


class PlainChineseLabels:
    """The Chinese field of a bilingual text is labelled "名称", not
    "名称 [zh-hans]": on the producer's form it is the one that matters (the
    English and Traditional ones, labelled with their language, are folded away)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and db_field.name.endswith("_zh_hans"):
            original = db_field.model._meta.get_field(db_field.name.removesuffix("_zh_hans"))
            formfield.label = capfirst(original.verbose_name)
        return formfield


class VendorVariantForm(forms.ModelForm):
    class Meta:
        model = ProductVariant
        fields = ["name_zh_hans", "unit_price", "weight_grams", "sku", "is_active"]
        labels = {"name_zh_hans": _("unit or pack (e.g. 500 g bag)")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sku"].required = False
        self.fields["sku"].help_text = _("Leave empty to get one.")

    def clean_sku(self):
        sku = (self.cleaned_data.get("sku") or "").strip()
        if sku:
            return sku
        if self.instance.pk and self.instance.sku:
            return self.instance.sku
        while True:  # eight hex digits: a clash is rare, and checked
            sku = f"HR-{secrets.token_hex(4).upper()}"
            if not ProductVariant.objects.filter(sku=sku).exists():
                return sku


class VendorVariantInline(VendorInlineMixin, admin.TabularInline):
    model = ProductVariant
    form = VendorVariantForm
    fields = ["name_zh_hans", "unit_price", "weight_grams", "sku", "is_active"]

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj else 2  # a new product: two empty rows, ignored if left empty

    def has_delete_permission(self, request, obj=None):
        return False  # order lines point at variants: switch one off instead


class VendorImageInline(PlainChineseLabels, VendorInlineMixin, ProductImageInline):
    fields = ["image", "alt_text_zh_hans", "position", "preview"]

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj else 1


class VendorProductForm(forms.ModelForm):
    season_start_month = forms.TypedChoiceField(
        label=_("season starts (month)"),
        choices=MONTH_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    season_end_month = forms.TypedChoiceField(
        label=_("season ends (month)"),
        choices=MONTH_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Leave both empty if it is sold all year."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name.endswith("_zh_hant"):
                # core.hant: the producer's own Traditional text is kept, never converted again
                field.required = False
                field.help_text = _(
                    "Optional. Left as it is or emptied, it follows the Simplified text "
                    "(converted automatically); what you write here is kept."
                )
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _(
                "The product's web address. Leave empty to make one from the name."
            )

    def clean_slug(self):
        slug = self.cleaned_data.get("slug") or ""
        if slug or self.instance.slug:
            return slug or self.instance.slug
        name = self.data.get(self.add_prefix("name_zh_hans")) or self.data.get(
            self.add_prefix("name_en"), ""
        )
        base = slugify(" ".join(lazy_pinyin(name)))[:60].strip("-") or "product"
        slug, n = base, 2
        while Product.objects.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug


class ProductVendorAdmin(PlainChineseLabels, OrgScopedAdmin, ProductAdminBase):
    org_path = "producer"
    org_kinds = PRODUCERS
    scoped_fk = {"producer": ""}
    list_filter = ["is_active", "category"]
    list_display = ["name", "category", "origin_area", "season_display", "is_active"]
    form = VendorProductForm
    inlines = [VendorVariantInline, VendorImageInline]
    prepopulated_fields = {}  # the web address is made from the Chinese name
    filter_horizontal = []
    # No "named in the report", position or demo flag: those are the district's.
    essentials = [
        "name_zh_hans",
        "category",
        "origin_area",
        ("season_start_month", "season_end_month"),
        "summary_zh_hans",
    ]
    more = [
        "slug",
        "name_en",
        "name_zh_hant",
        "summary_en",
        "summary_zh_hant",
        "description_zh_hans",
        "description_en",
        "description_zh_hant",
        "shelf_life_days",
        "storage_zh_hans",
        "storage_en",
        "storage_zh_hant",
        "certifications",
        "is_active",
        "bulk_min_quantity",
    ]

    def get_fieldsets(self, request, obj=None):
        # A member of one producer has it chosen, folded away; one who acts
        # for several picks it first.
        several = len(self._org_ids(request)) > 1
        essentials = ["producer", *self.essentials] if several else self.essentials
        more = self.more if several else ["producer", *self.more]
        return [
            (None, {"fields": essentials}),
            (_("More details"), {"classes": ["collapse"], "fields": more}),
        ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "certifications":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("season"))
    def season_display(self, obj):
        if not obj.season_start_month:
            return _("all year")
        return f"{MONTHS[obj.season_start_month]}–{MONTHS[obj.season_end_month or obj.season_start_month]}"

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
        "gtin",
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
