"""Query parameters of the product list. The filter set validates them (with
the project's strict backend a bad boolean or an empty value is a 400 naming
the parameter) and hands the clean values to the selector, which owns the
filtering, so the web page and the API agree."""

import django_filters

from marketplace import selectors
from marketplace.models import Product


class ProductFilter(django_filters.FilterSet):
    category = django_filters.CharFilter(method="by_selector", help_text="Category slug")
    vendor = django_filters.CharFilter(method="by_selector", help_text="Producer (vendor) slug")
    centre = django_filters.CharFilter(
        method="by_selector",
        help_text="Centre slug: sold at one of its counters (with in_stock: in stock there)",
    )
    in_stock = django_filters.BooleanFilter(
        method="by_selector", help_text="Can be reserved now at some counter"
    )
    in_season = django_filters.BooleanFilter(method="by_selector", help_text="In season this month")
    q = django_filters.CharFilter(
        method="by_selector",
        max_length=100,
        help_text="Site search (Simplified, Traditional, English or pinyin) in names, "
        "descriptions, producer, village and category; best matches first; a word misspelt by one "
        "letter is corrected when nothing matches as typed (the X-Search-Corrected "
        "header then names the corrected query)",
    )

    class Meta:
        model = Product
        fields = ["category", "vendor", "centre", "in_stock", "in_season", "q"]

    def by_selector(self, queryset, name, value):
        return queryset  # filter_queryset below applies them all at once

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return selectors.product_list(
            category=data.get("category") or None,
            producer=data.get("vendor") or None,
            centre=data.get("centre") or None,
            in_stock=data.get("in_stock"),
            in_season=data.get("in_season"),
            q=data.get("q") or None,
        )
