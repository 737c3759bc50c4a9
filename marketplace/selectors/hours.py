"""Counters' opening hours as ``marketplace.hours.Schedule`` objects."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, time, timedelta

from django.conf import settings
from django.db import connection

from core import cache as cache_lib

from ..hours import SEARCH_DAYS, Schedule
from ..models import OpeningException, OpeningHours


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _as_time(value) -> time:
    return value if isinstance(value, time) else time.fromisoformat(value)


def counter_schedules(*, counter_ids: Iterable[int], start: date) -> dict[int, Schedule]:
    """{counter id: Schedule} with the weekly hours and the exceptions dated from
    ``SEARCH_DAYS`` before ``start`` to twice that after it, for every counter
    asked for (an empty Schedule: always open).

    One query, a UNION ALL written by hand: placing an order reads this, and
    the ORM cannot yet line up the columns of two models' rows with a NULL in
    each (it moves expressions in a values list). SQLite hands back dates and
    times as text, read here; PostgreSQL as objects."""
    ids = sorted({int(pk) for pk in counter_ids})
    schedules = {pk: Schedule() for pk in ids}
    if not ids:
        return schedules
    marks = ", ".join(["%s"] * len(ids))
    qn = connection.ops.quote_name
    sql = (
        f"SELECT counter_id, weekday, NULL, opens, closes FROM {qn(OpeningHours._meta.db_table)} "
        f"WHERE counter_id IN ({marks}) "
        f"UNION ALL "
        f"SELECT counter_id, NULL, {qn('date')}, opens, closes "
        f"FROM {qn(OpeningException._meta.db_table)} "
        f"WHERE counter_id IN ({marks}) AND {qn('date')} >= %s AND {qn('date')} <= %s"
    )
    adapt = connection.ops.adapt_datefield_value  # text for SQLite, as its driver wants
    params: list = [
        *ids,
        *ids,
        adapt(start - timedelta(days=SEARCH_DAYS + 1)),
        adapt(start + timedelta(days=2 * SEARCH_DAYS)),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    exceptions: dict[int, dict[date, list]] = defaultdict(dict)
    for counter_id, weekday, day, opens, closes in rows:
        schedule = schedules[counter_id]
        if day is None:
            schedule.weekly.setdefault(weekday, []).append((_as_time(opens), _as_time(closes)))
        elif opens is None:
            exceptions[counter_id][_as_date(day)] = []  # closed all day
        else:
            exceptions[counter_id][_as_date(day)] = [(_as_time(opens), _as_time(closes))]
    for counter_id, found in exceptions.items():
        schedules[counter_id].exceptions = found
    return schedules


def counter_schedule(*, counter_id: int, start: date) -> Schedule:
    """``counter_schedules`` of one counter, for placing an order there: from
    the shared cache until opening hours change (the counter admin, where
    they are edited with their inlines, bumps the editorial scope)."""
    return cache_lib.remembered(
        f"counter-schedule:{counter_id}:{start.isoformat()}",
        version_keys=cache_lib.scope_keys(("editorial",)),
        compute=lambda: counter_schedules(counter_ids=[counter_id], start=start)[counter_id],
        seconds=settings.PERSONAL_CACHE_SECONDS,
    )
