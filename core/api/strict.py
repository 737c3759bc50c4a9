"""Strict JSON input: a string field takes a JSON string, nothing else.

DRF's CharField quietly turns a number into text (``{"last_name": 0}`` is
saved as "0"); in a JSON API that is a client bug to report, not to guess at,
and the schema (``type: string``) says so. Applied once, from
``ConfigConfig.ready``, to CharField and everything built on it (EmailField,
SlugField, RegexField, URLField, ...).

Integers the same way: ``StrictIntegerField`` below takes a JSON integer only,
and ``StrictBooleanField`` a JSON ``true`` or ``false`` only.
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


class StrictIntegerField(serializers.IntegerField):
    """An integer field that takes a JSON integer, nothing else.

    DRF's IntegerField reads ``"1"`` and ``"1.0"`` as 1 (and a related field
    given ``true`` or ``1.5`` looks up id 1); the schema says ``integer``, so a
    string, a boolean or a fraction is a client bug: a 400 saying an integer
    is expected. A number with no fractional part (``2.0``) is the same JSON
    number as ``2`` (JSON Schema counts it as an integer too) and is accepted.
    Used for every integer an API body carries, and as the ``pk_field`` of
    related fields (``PrimaryKeyRelatedField(pk_field=StrictIntegerField())``)
    so ids are checked the same way; the OpenAPI type stays ``integer``.
    """

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (int, float)):
            self.fail("invalid")
        if isinstance(data, float) and not data.is_integer():
            self.fail("invalid")
        return super().to_internal_value(int(data))


class StrictBooleanField(serializers.BooleanField):
    """A boolean field that takes a JSON ``true`` or ``false``, nothing else.

    DRF's BooleanField reads ``0``, ``1``, ``"yes"``, ``"off"``… as booleans;
    the schema says ``boolean``, so anything else is a client bug: a 400
    saying a boolean is expected (schemathesis sent ``{"cancel_order": 0}``
    and it was taken). For JSON bodies; a form's "on" is a form's business."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data
