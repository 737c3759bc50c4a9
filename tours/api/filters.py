"""Query parameters of the list endpoints. The filter sets validate them (a
bad date is a 400 naming the field) and hand the clean values to the
selectors, which own the filtering, so the web pages and the API agree."""

import django_filters

from tours import selectors
from tours.models import Departure, Route


class RouteFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="by_selector",
        max_length=100,
        help_text="Site search (Simplified, Traditional, English or pinyin) in titles, "
        "summaries, descriptions and stops; best matches first; a word misspelt by one "
        "letter is corrected when nothing matches as typed (the X-Search-Corrected "
        "header then names the corrected query)",
    )
    district = django_filters.CharFilter(
        method="by_selector", help_text="District code: dongcheng or huairou"
    )
    duration = django_filters.NumberFilter(
        method="by_selector", min_value=1, help_text="Length in days"
    )
    date_from = django_filters.DateFilter(
        method="by_selector", help_text="Has a departure on or after"
    )
    date_to = django_filters.DateFilter(
        method="by_selector", help_text="Has a departure on or before"
    )

    class Meta:
        model = Route
        fields = ["q", "district", "duration", "date_from", "date_to"]

    def by_selector(self, queryset, name, value):
        return queryset  # filter_queryset below applies them all at once

    def filter_queryset(self, queryset):
        data = {k: v for k, v in self.form.cleaned_data.items() if v not in (None, "")}
        if "duration" in data:
            data["duration"] = int(data["duration"])
        return selectors.route_list(**data)


class DepartureFilter(django_filters.FilterSet):
    route = django_filters.CharFilter(method="by_selector", help_text="Route slug")
    date_from = django_filters.DateFilter(
        method="by_selector", help_text="From this date (default: today)"
    )
    date_to = django_filters.DateFilter(method="by_selector", help_text="Up to this date")

    class Meta:
        model = Departure
        fields = ["route", "date_from", "date_to"]

    def by_selector(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        data = {k: v for k, v in self.form.cleaned_data.items() if v not in (None, "")}
        return selectors.departure_list(**data)
