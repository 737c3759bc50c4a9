"""Content in two languages (django-modeltranslation): each field below gets
``<field>_zh_hans`` and ``<field>_en`` columns; reading ``<field>`` gives the
active language with a fallback to Chinese. Order lines carry both languages
of the names they copied, so an old order reads right in either language."""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    BulkOrderLine,
    Category,
    Centre,
    Certification,
    Counter,
    OpeningException,
    OrderLine,
    ProducerSale,
    Product,
    ProductImage,
    ProductVariant,
    SalesReport,
)


@register(Category)
class CategoryTranslation(TranslationOptions):
    fields = ("name",)


@register(Certification)
class CertificationTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Product)
class ProductTranslation(TranslationOptions):
    fields = ("name", "summary", "description", "storage")


@register(ProductVariant)
class ProductVariantTranslation(TranslationOptions):
    fields = ("name",)


@register(ProductImage)
class ProductImageTranslation(TranslationOptions):
    fields = ("alt_text",)


@register(Centre)
class CentreTranslation(TranslationOptions):
    fields = ("address", "opening_hours")


@register(Counter)
class CounterTranslation(TranslationOptions):
    fields = ("name", "location")


@register(OpeningException)
class OpeningExceptionTranslation(TranslationOptions):
    fields = ("note",)


@register(OrderLine)
class OrderLineTranslation(TranslationOptions):
    fields = ("product_name", "variant_name")


@register(BulkOrderLine)
class BulkOrderLineTranslation(TranslationOptions):
    fields = ("product_name", "variant_name")


# Proxies of a translated model are registered too, so their querysets load
# (and their admin pages show) the language columns.
@register(ProducerSale)
class ProducerSaleTranslation(TranslationOptions):
    fields = ()


@register(SalesReport)
class SalesReportTranslation(TranslationOptions):
    fields = ()
