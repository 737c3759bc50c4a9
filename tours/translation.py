"""Content in both languages (see cooperation/translation.py): each field gets
`<field>_zh_hans` and `<field>_en` columns; reading it falls back to Chinese."""

from modeltranslation.translator import TranslationOptions, register

from .models import Attraction, AttractionImage, Route, RouteImage, RouteStop


@register(Attraction)
class AttractionTranslation(TranslationOptions):
    fields = ("name", "description", "opening_info")


@register(AttractionImage)
class AttractionImageTranslation(TranslationOptions):
    fields = ("alt_text",)


@register(Route)
class RouteTranslation(TranslationOptions):
    fields = ("title", "summary", "description", "highlights", "included", "meeting_point")


@register(RouteImage)
class RouteImageTranslation(TranslationOptions):
    fields = ("alt_text",)


@register(RouteStop)
class RouteStopTranslation(TranslationOptions):
    fields = ("note",)
