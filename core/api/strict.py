"""Strict JSON input: a string field takes a JSON string, nothing else.

DRF's CharField quietly turns a number into text (``{"last_name": 0}`` is
saved as "0"); in a JSON API that is a client bug to report, not to guess at,
and the schema (``type: string``) says so. Applied once, from
``ConfigConfig.ready``, to CharField and everything built on it (EmailField,
SlugField, RegexField, URLField, ...).
"""

from rest_framework import serializers

_original = serializers.CharField.to_internal_value


def _strict_to_internal_value(self, data):
    if not isinstance(data, str):
        self.fail("invalid")
    return _original(self, data)


def make_char_fields_strict() -> None:
    # A deliberate patch of DRF's class (see above), which mypy refuses on principle.
    serializers.CharField.to_internal_value = _strict_to_internal_value  # type: ignore[method-assign]
