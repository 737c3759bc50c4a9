"""Integer fields of an order (a line's variant and quantity, the counter)
take JSON integers only, as the schema says: "1", 1.5 and true are a 400
naming the field, never silently read as 1. An integral number (2.0) is the
same JSON number as 2 and is accepted."""

import pytest
from rest_framework.test import APIClient

from marketplace.models import Order

pytestmark = pytest.mark.django_db

NOT_INTEGERS = ["2", 1.5, True, "1.0", [1], {"id": 1}]


def _post(world, *, counter=None, variant=None, quantity=2):
    client = APIClient()
    client.force_authenticate(world.customer)
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    line = {"variant": world.chestnut_bag.pk if variant is None else variant, "quantity": quantity}
    body = {"counter": world.counter1.pk if counter is None else counter, "lines": [line]}
    return client.post("/api/v1/orders/", body, format="json")


def _as_id(value, pk):
    """``value``'s JSON type carrying ``pk``: "2" -> "<pk>", "1.0" -> "<pk>.0"."""
    if value == "2":
        return str(pk)
    if value == "1.0":
        return f"{pk}.0"
    return value


def _expects_an_integer(response) -> str:
    assert response.status_code == 400, response.content
    data = response.json()
    assert data["code"] == "invalid"
    return str(data["errors"])


@pytest.mark.parametrize("value", NOT_INTEGERS)
def test_a_line_quantity_that_is_not_an_integer_is_refused(world, value):
    # when
    response = _post(world, quantity=value)
    # then
    errors = _expects_an_integer(response)
    assert "quantity" in errors and "integer" in errors
    assert Order.objects.count() == 0


@pytest.mark.parametrize("value", NOT_INTEGERS)
def test_a_line_variant_that_is_not_an_integer_is_refused(world, value):
    # given: the variant's real id, in the wrong JSON type
    # when
    response = _post(world, variant=_as_id(value, world.chestnut_bag.pk))
    # then
    errors = _expects_an_integer(response)
    assert "variant" in errors and "integer" in errors
    assert Order.objects.count() == 0


@pytest.mark.parametrize("value", NOT_INTEGERS)
def test_a_counter_that_is_not_an_integer_is_refused(world, value):
    # given: the counter's real id, in the wrong JSON type (true would be read as id 1)
    # when
    response = _post(world, counter=_as_id(value, world.counter1.pk))
    # then
    errors = _expects_an_integer(response)
    assert "counter" in errors and "integer" in errors
    assert Order.objects.count() == 0


def test_integral_numbers_are_integers(world):
    # when: 2.0 and the counter's id as 1.0-style numbers are the same JSON numbers
    response = _post(world, counter=float(world.counter1.pk), quantity=2.0)
    # then
    assert response.status_code == 201, response.content
    assert Order.objects.get().lines.get().quantity == 2
