"""The directory's content in both languages (django-modeltranslation; see
cooperation/translation.py for how the columns work)."""

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
