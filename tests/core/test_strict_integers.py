"""Every integer an API body carries is a StrictIntegerField (core.api.strict),
directly or as the pk_field of a related field, and the schema still calls it
an integer. The refusals themselves are tested at the API level in
tests/marketplace/test_api_integers.py and tests/tours/test_api_integers.py."""

import importlib
import inspect

import pytest
from rest_framework import serializers

from core.api.strict import StrictIntegerField

pytestmark = pytest.mark.django_db

MODULES = [
    "accounts.api.serializers",
    "cooperation.api.serializers",
    "marketplace.api.serializers",
    "tours.api.serializers",
]


def _writable_fields(serializer_class):
    try:
        fields = serializer_class().fields
    except Exception:  # a serializer that needs arguments to build: none here today
        pytest.fail(f"cannot build {serializer_class.__name__}")
    for name, field in fields.items():
        if field.read_only:
            continue
        if isinstance(field, serializers.ListSerializer):
            field = field.child
        if isinstance(field, serializers.Serializer):
            yield from ((f"{name}.{n}", f) for n, f in _writable_fields(type(field)))
        elif isinstance(field, serializers.ListField):
            yield f"{name}[]", field.child
        else:
            yield name, field


def _schema(api_client) -> dict:
    return api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


def _request_serializers(schema) -> dict[str, type]:
    """The serializers of every request body the schema documents
    (``OrderInputRequest`` -> OrderInputSerializer, ``PatchedMeRequest`` ->
    MeSerializer)."""
    classes = {}
    for module_name in MODULES:
        for name, cls in inspect.getmembers(importlib.import_module(module_name), inspect.isclass):
            if issubclass(cls, serializers.Serializer) and cls.__module__ == module_name:
                classes[name] = cls
    found = {}
    for component in schema["components"]["schemas"]:
        if component.endswith("Request"):
            name = component.removesuffix("Request").removeprefix("Patched") + "Serializer"
            assert name in classes, f"no serializer found for {component}"
            found[component] = classes[name]
    return found


def test_every_integer_input_is_strict(api_client):
    # given
    bodies = _request_serializers(_schema(api_client))
    assert {"OrderInputRequest", "BookingInputRequest", "WaitlistJoinInputRequest"} <= set(bodies)
    # when
    loose = []
    for cls in bodies.values():
        for name, field in _writable_fields(cls):
            if isinstance(field, serializers.PrimaryKeyRelatedField):
                strict = isinstance(field.pk_field, StrictIntegerField)
            else:
                strict = not isinstance(field, serializers.IntegerField) or isinstance(
                    field, StrictIntegerField
                )
            if not strict:
                loose.append(f"{cls.__name__}.{name}")
    # then
    assert loose == []


def test_the_schema_still_says_integer(api_client):
    # when
    components = _schema(api_client)["components"]["schemas"]
    # then
    fields = {
        "OrderInputRequest": ["counter"],
        "OrderLineInputRequest": ["variant", "quantity"],
        "BookingInputRequest": ["departure", "seats"],
        "WaitlistJoinInputRequest": ["seats"],
    }
    for component, names in fields.items():
        for name in names:
            assert components[component]["properties"][name]["type"] == "integer", (
                component,
                name,
            )
