"""Content in two languages through django-modeltranslation: each registered field
gets `<field>_zh_hans` and `<field>_en` columns, and reading `<field>` returns the
active language's value with a fallback to Chinese."""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    Agreement,
    AnnualSupport,
    Field,
    Figure,
    Fund,
    FundInvestment,
    Pairing,
    Project,
    Source,
)


@register(Source)
class SourceTranslation(TranslationOptions):
    fields = ("publisher", "title")


@register(Field)
class FieldTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Agreement)
class AgreementTranslation(TranslationOptions):
    fields = ("title", "basis", "summary")


@register(Project)
class ProjectTranslation(TranslationOptions):
    fields = ("title", "summary")


@register(Fund)
class FundTranslation(TranslationOptions):
    fields = ("name", "description")


@register(FundInvestment)
class FundInvestmentTranslation(TranslationOptions):
    fields = ("note",)


@register(Pairing)
class PairingTranslation(TranslationOptions):
    fields = ("note",)


@register(Figure)
class FigureTranslation(TranslationOptions):
    fields = ("label", "unit", "note")


@register(AnnualSupport)
class AnnualSupportTranslation(TranslationOptions):
    fields = ("note",)
