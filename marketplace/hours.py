"""Opening hours as time: the periods a counter is open, and the times that
depend on them (the pickup deadline, the reminder before it). Pure functions
over a ``Schedule``; ``selectors.counter_schedules`` loads one in one query.

Rules (docs/marketplace.md, "Opening hours"):

* A pickup deadline is ``PICKUP_DAYS`` after the order, kept as it is when the
  counter is open then. Otherwise it moves forward to the closing time of the
  counter's next opening period, closed days and dated closures skipped: the
  customer always has that whole opening to collect in.
* The reminder goes out ``REMINDER_BEFORE`` (a day) before the deadline, or
  earlier if by then less than ``REMINDER_OPEN_TIME`` of opening time would be
  left before the deadline (a deadline soon after a Tuesday opening, the counter
  closed on Monday: the reminder goes out while there is still time to come).
* A counter with no weekly hours is always open: the deadline is kept and the
  reminder goes out a day before.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

# How far ahead a deadline may move looking for an opening (a counter closed
# for longer keeps the plain deadline: its orders expire as before).
SEARCH_DAYS = 31
REMINDER_BEFORE = timedelta(days=1)
REMINDER_OPEN_TIME = timedelta(hours=4)

Period = tuple[time, time]


@dataclass
class Schedule:
    """A counter's weekly periods {weekday (Monday 0): [(opens, closes)]} and
    dated exceptions {date: [(opens, closes)] or [] for closed all day}."""

    weekly: dict[int, list[Period]] = field(default_factory=dict)
    exceptions: dict[date, list[Period]] = field(default_factory=dict)

    @property
    def always_open(self) -> bool:
        return not any(self.weekly.values())

    def periods_on(self, day: date) -> list[Period]:
        if day in self.exceptions:
            return self.exceptions[day]
        return sorted(self.weekly.get(day.weekday(), []))

    def periods(self, start: date, days: int) -> Iterator[tuple[datetime, datetime]]:
        """Aware (opens, closes) datetimes, in order, from ``start`` for ``days`` days."""
        tz = timezone.get_default_timezone()
        for offset in range(days):
            day = start + timedelta(days=offset)
            for opens, closes in self.periods_on(day):
                yield datetime.combine(day, opens, tz), datetime.combine(day, closes, tz)

    def is_open(self, moment: datetime) -> bool:
        if self.always_open:
            return True
        local = timezone.localtime(moment)
        return any(o <= local <= c for o, c in self.periods(local.date(), 1))


def pickup_deadline(schedule: Schedule, target: datetime) -> datetime:
    """``target`` if the counter is open then, else the close of its next opening."""
    if schedule.always_open:
        return target
    local = timezone.localtime(target)
    for opens, closes in schedule.periods(local.date(), SEARCH_DAYS):
        if opens <= local <= closes:
            return target
        if opens > local:
            return closes
    return target


def reminder_due(schedule: Schedule, deadline: datetime) -> datetime:
    """When the reminder for an order collected by ``deadline`` is due."""
    plain = deadline - REMINDER_BEFORE
    if schedule.always_open:
        return plain
    local = timezone.localtime(deadline)
    start = local.date() - timedelta(days=SEARCH_DAYS)
    before = [(o, min(c, local)) for o, c in schedule.periods(start, SEARCH_DAYS + 1) if o < local]
    left = timedelta(0)
    for opens, closes in reversed(before):
        if left + (closes - opens) >= REMINDER_OPEN_TIME:
            # the moment from which less than REMINDER_OPEN_TIME is left
            return min(plain, closes - (REMINDER_OPEN_TIME - left))
        left += closes - opens
    return min(plain, before[0][0]) if before else plain


def weekly_summary(rows) -> list[tuple[list[int], list[Period]]]:
    """Weekly hours rows (``weekday``, ``opens``, ``closes``) grouped for a
    page: runs of consecutive weekdays with the same periods, as
    ([weekdays], [(opens, closes)]), Monday first; closed days left out."""
    by_day: dict[int, list[Period]] = {}
    for row in rows:
        by_day.setdefault(row.weekday, []).append((row.opens, row.closes))
    groups: list[tuple[list[int], list[Period]]] = []
    for day in range(7):
        periods = sorted(by_day.get(day, []))
        if not periods:
            continue
        if groups and groups[-1][1] == periods and groups[-1][0][-1] == day - 1:
            groups[-1][0].append(day)
        else:
            groups.append(([day], periods))
    return groups
