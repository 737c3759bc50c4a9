"""Content in two languages through django-modeltranslation: each registered field
gets `<field>_zh_hans` and `<field>_en` columns, and reading `<field>` returns the
active language's value with a fallback to Chinese."""

from modeltranslation.translator import TranslationOptions, register

from .models import Area, District, Organization


@register(District)
class DistrictTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Area)
class AreaTranslation(TranslationOptions):
    fields = ("name",)


@register(Organization)
class OrganizationTranslation(TranslationOptions):
    fields = ("name", "description")
