"""Strict query filters for a JSON API.

django-filter is made for HTML forms, where an empty field means "any": it
quietly ignores `?date_to=` and reads `?is_reported=null` as "don't care".
An API client that sends those has a bug, and the schema (format: date,
type: boolean) says so; this backend answers 400 naming the parameter.
"""

import django_filters
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

BOOLEANS = {"true", "false"}


class StrictFilterBackend(DjangoFilterBackend):
    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            errors = {}
            for name, declared in filterset.filters.items():
                for value in request.query_params.getlist(name):
                    if value.strip() == "":
                        errors[name] = [_("Give a value, or leave the parameter out.")]
                    elif (
                        isinstance(declared, django_filters.BooleanFilter) and value not in BOOLEANS
                    ):
                        errors[name] = [_("Must be true or false.")]
            if errors:
                raise ValidationError(errors)
        return filterset
