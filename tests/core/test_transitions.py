import importlib
import re
from pathlib import Path

import pytest

from core.transitions import Actor, Rule, markdown_table, next_statuses, rule_for, successors
from marketplace.models import BulkOrder, Order
from marketplace.services import BULK_TRANSITIONS, ORDER_TRANSITIONS
from marketplace.services.bulk import BULK_RULES
from marketplace.services.orders import ORDER_RULES
from tours.models import Booking
from tours.services import TRANSITIONS
from tours.services.transitions import BOOKING_RULES

DOCS = Path(__file__).resolve().parents[2] / "docs"
BLOCK = re.compile(r"<!-- transitions: ([\w.]+) [^>]*-->\n(.*?)\n<!-- /transitions -->", re.S)


def _doc_blocks():
    for doc in sorted(DOCS.glob("*.md")):
        for path, table in BLOCK.findall(doc.read_text(encoding="utf-8")):
            yield pytest.param(path, table, id=f"{doc.name}:{path}")


def test_the_docs_show_the_tables_of_every_state_machine():
    # when
    documented = {param.values[0] for param in _doc_blocks()}
    # then
    assert documented == {
        "marketplace.services.orders.ORDER_RULES",
        "marketplace.services.bulk.BULK_RULES",
        "tours.services.transitions.BOOKING_RULES",
        "tours.services.transitions.ENTRY_RULES",
        "tours.services.transitions.DEPARTURE_RULES",
    }


@pytest.mark.parametrize(("path", "table"), list(_doc_blocks()))
def test_each_documented_table_equals_the_data(path, table):
    # given
    module, name = path.rsplit(".", 1)
    rules = getattr(importlib.import_module(module), name)
    # when
    expected = markdown_table(rules, lambda status: f"`{status}`")
    # then: paste the expected table into the docs when the data changes
    assert table == expected


def test_the_successor_maps_are_read_from_the_rules():
    # then
    assert ORDER_TRANSITIONS[Order.Status.PLACED] == {
        Order.Status.READY,
        Order.Status.CANCELLED,
        Order.Status.EXPIRED,
    }
    assert ORDER_TRANSITIONS[Order.Status.COLLECTED] == {Order.Status.READY}  # the desk's undo
    assert BULK_TRANSITIONS[BulkOrder.Status.CONFIRMED] == {BulkOrder.Status.DELIVERED}
    assert TRANSITIONS[Booking.Status.NO_SHOW] == {Booking.Status.CHECKED_IN}
    assert set(ORDER_TRANSITIONS) == set(Order.Status)
    assert set(BULK_TRANSITIONS) == set(BulkOrder.Status)


def test_every_rule_names_who_may_make_it():
    # then
    for table in (ORDER_RULES, BULK_RULES, BOOKING_RULES):
        for rule in table.values():
            assert rule.actors and rule.actors <= set(Actor)


def test_the_helpers_walk_a_small_table():
    # given
    table = {
        ("a", "b"): Rule(actors=frozenset({Actor.SYSTEM})),
        ("b", "c"): Rule(actors=frozenset()),
    }
    # then
    assert rule_for(table, "a", "b") is table[("a", "b")]
    assert rule_for(table, "a", "c") is None
    assert next_statuses(table, "a") == {"b"}
    assert successors(table, ["a", "b", "c"]) == {"a": {"b"}, "b": {"c"}, "c": frozenset()}
    assert markdown_table(table).splitlines()[2] == "| a | b | system | – | – |"
