"""Status changes as data: the one shape every state machine in the project
takes (marketplace orders and bulk orders, tour bookings, waitlist entries and
departures).

Each machine is a table ``{(from status, to status): Rule}``: a change not in
the table is refused, and its ``Rule`` names who may make it (``Actor``),
what it needs from the caller (``needs``) and what else it does
(``effects``), as enum members whose values read as English. The app's one
transition function walks the table; it is the only place the status
changes, and ``markdown_table`` renders the same data for the docs (a test
checks the docs' table equals the data).
"""

import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise


class Actor(enum.StrEnum):
    """Who asks for a status change; the transition function works it out from the user."""

    CUSTOMER = "customer"
    COUNTER_STAFF = "counter staff"
    PRODUCER = "producer"
    DISTRICT_STAFF = "district staff"
    OPERATOR = "operator"
    SYSTEM = "system"


@dataclass(frozen=True)
class Rule:
    """One allowed change: who may make it, what it needs, what it does.

    ``refusals`` gives an actor not in ``actors`` a message of its own (for
    example a customer who may cancel an order, but not once it is ready);
    the transition function decides what such a refusal raises.
    """

    actors: frozenset[Actor]
    needs: tuple[enum.StrEnum, ...] = ()
    effects: tuple[enum.StrEnum, ...] = ()
    refusals: Mapping[Actor, str | Promise] = field(default_factory=dict)


type Table[S: str] = Mapping[tuple[S, S], Rule]


def rule_for(table: Mapping[tuple[Any, Any], Rule], current: str, to: str) -> Rule | None:
    """The rule for changing ``current`` to ``to``; None: the change is refused."""
    return table.get((current, to))


def next_statuses[S: str](table: Table[S], current: str) -> frozenset[S]:
    """The statuses ``current`` may become (none: it is final)."""
    return frozenset(to for (frm, to) in table if frm == current)


def successors[S: str](table: Table[S], statuses: Iterable[S]) -> dict[S, frozenset[S]]:
    """{status: the statuses it may become}, for every status (final ones too)."""
    return {status: next_statuses(table, status) for status in statuses}


def markdown_table[S: str](table: Table[S], label: Callable[[S], str] = str) -> str:
    """The table as Markdown, one row a change: from, to, who, needs, effects."""
    rows = [
        "| From | To | Who | Needs | Effects |",
        "| --- | --- | --- | --- | --- |",
    ]
    for (frm, to), rule in table.items():
        who = ", ".join(actor.value for actor in Actor if actor in rule.actors)
        needs = "; ".join(str(need) for need in rule.needs) or "–"
        effects = "; ".join(str(effect) for effect in rule.effects) or "–"
        rows.append(f"| {label(frm)} | {label(to)} | {who} | {needs} | {effects} |")
    return "\n".join(rows)
