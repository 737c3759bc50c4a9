"""Query-string filters of the cooperation API. They parse and validate (an
unknown value is a 400 naming the parameter); the filtering itself is the
selectors', the same the web pages use."""

import django_filters

from cooperation import selectors
from cooperation.models import Agreement, Field, Figure, Pairing, Project
from organizations.models import Area


class ProjectFilter(django_filters.FilterSet):
    field = django_filters.ModelChoiceFilter(
        queryset=Field.objects.all(),
        to_field_name="code",
        help_text="Field code, e.g. `rural_revitalisation`.",
    )
    status = django_filters.ChoiceFilter(choices=Project.Status.choices)
    agreement = django_filters.ModelChoiceFilter(
        queryset=Agreement.objects.all(), to_field_name="slug", help_text="Agreement slug."
    )
    area = django_filters.ModelChoiceFilter(
        queryset=Area.objects.all(), help_text="Area id; a town includes its villages."
    )
    q = django_filters.CharFilter(
        max_length=100,
        help_text="Site search (Simplified, Traditional, English or pinyin) in the title or "
        "summary; a word misspelt by one letter is corrected when nothing matches as typed "
        "(the X-Search-Corrected header then names the corrected query).",
    )

    def filter_queryset(self, queryset):
        data = {
            key: value for key, value in self.form.cleaned_data.items() if value not in (None, "")
        }
        return selectors.filter_projects(queryset, **data)


class PairingFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Pairing.Kind.choices)

    def filter_queryset(self, queryset):
        kind = self.form.cleaned_data.get("kind")
        return queryset.filter(kind=kind) if kind else queryset


class FigureFilter(django_filters.FilterSet):
    topic = django_filters.ChoiceFilter(choices=Figure.Topic.choices)
    is_headline = django_filters.BooleanFilter()
    is_reported = django_filters.BooleanFilter()

    class Meta:
        model = Figure
        fields = ["topic", "is_headline", "is_reported"]
