"""Opening hours per counter: the pickup deadline falls inside them (one that
would fall when the counter is closed moves to the close of its next opening,
closed days and dated closures skipped), the reminder goes out while there is
time to come, and the centres page shows them."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import IntegrityError

from marketplace import hours, selectors, services
from marketplace.hours import Schedule
from marketplace.models import OpeningException, OpeningHours, Order

from .factories import CounterFactory

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """December 2026: the 7th is a Monday."""
    return datetime(2026, 12, day, hour, minute, tzinfo=TZ)


def weekdays(*days, opens=time(9), closes=time(20)) -> dict[int, list]:
    return {d: [(opens, closes)] for d in days}


EVERY_DAY = weekdays(0, 1, 2, 3, 4, 5, 6)
CLOSED_MONDAYS = weekdays(1, 2, 3, 4, 5, 6)


# --- The deadline, on a schedule ---------------------------------------------------------


def test_a_deadline_inside_the_hours_is_kept():
    assert hours.pickup_deadline(Schedule(EVERY_DAY), at(10, 15)) == at(10, 15)


def test_a_deadline_after_closing_moves_to_the_close_of_the_next_opening():
    # 21:30 Thursday, closed since 20:00: Friday until 20:00
    assert hours.pickup_deadline(Schedule(EVERY_DAY), at(10, 21, 30)) == at(11, 20)
    # 7:00, before the 9:00 opening: until that day's close
    assert hours.pickup_deadline(Schedule(EVERY_DAY), at(10, 7)) == at(10, 20)


def test_closed_days_are_skipped():
    # Sunday 22:00; closed on Mondays: Tuesday's close
    assert hours.pickup_deadline(Schedule(CLOSED_MONDAYS), at(6, 22)) == at(8, 20)


def test_a_dated_closure_is_skipped_and_special_hours_count():
    schedule = Schedule(EVERY_DAY, exceptions={date(2026, 12, 11): []})
    assert hours.pickup_deadline(schedule, at(10, 21)) == at(12, 20)
    short = Schedule(EVERY_DAY, exceptions={date(2026, 12, 11): [(time(10), time(14))]})
    assert hours.pickup_deadline(short, at(10, 21)) == at(11, 14)
    assert hours.pickup_deadline(short, at(11, 15)) == at(12, 20)  # after the short day


def test_a_lunch_break_is_a_gap_between_two_periods():
    schedule = Schedule({d: [(time(9), time(12)), (time(13), time(18))] for d in range(7)})
    assert hours.pickup_deadline(schedule, at(10, 12, 30)) == at(10, 18)


def test_a_counter_without_hours_is_always_open():
    assert hours.pickup_deadline(Schedule(), at(10, 3)) == at(10, 3)
    assert hours.reminder_due(Schedule(), at(10, 3)) == at(9, 3)


def test_a_counter_closed_for_longer_than_the_search_keeps_the_plain_deadline():
    schedule = Schedule(
        EVERY_DAY,
        exceptions={date(2026, 12, 10) + timedelta(days=n): [] for n in range(40)},
    )
    assert hours.pickup_deadline(schedule, at(10, 21)) == at(10, 21)


# --- The reminder -------------------------------------------------------------------------


def test_the_reminder_goes_out_a_day_before():
    assert hours.reminder_due(Schedule(EVERY_DAY), at(10, 20)) == at(9, 20)


def test_the_reminder_comes_earlier_when_little_opening_time_is_left():
    # deadline Tuesday 10:30, the counter opens at 9:00 and is closed on Monday: a
    # day before (Monday 10:30) would leave 1.5 hours; four are left from Sunday 17:30
    assert hours.reminder_due(Schedule(CLOSED_MONDAYS), at(8, 10, 30)) == at(6, 17, 30)


# --- Loaded from the database, used by orders -------------------------------------------------


@pytest.fixture
def closed_mondays(world):
    counter = world.counter1
    OpeningHours.objects.bulk_create(
        OpeningHours(counter=counter, weekday=d, opens=time(9), closes=time(20))
        for d in range(1, 7)
    )
    OpeningException.objects.create(counter=counter, date=date(2026, 12, 10), note="盘点")
    return counter


def test_the_schedule_is_one_query(closed_mondays, world, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = selectors.counter_schedules(
            counter_ids=[closed_mondays.pk, world.counter2.pk], start=date(2026, 12, 3)
        )
    mine = found[closed_mondays.pk]
    assert sorted(mine.weekly) == [1, 2, 3, 4, 5, 6]
    assert mine.exceptions == {date(2026, 12, 10): []}
    assert found[world.counter2.pk].always_open  # no hours entered


def test_an_order_placed_on_friday_evening_is_held_past_the_closed_monday(closed_mondays, world):
    # Friday 4 December 21:00 + 3 days = Monday 21:00: closed all Monday, so Tuesday 20:00
    order = services.order_place(
        customer=world.customer,
        counter=closed_mondays,
        lines=[(world.chestnut_bag.pk, 1)],
        now=at(4, 21),
        notify=False,
    )
    assert order.pickup_deadline == at(8, 20)
    # Monday 7 December 12:00 + 3 = Thursday 12:00, the stocktaking closure: Friday 20:00
    later = services.order_place(
        customer=world.customer,
        counter=closed_mondays,
        lines=[(world.chestnut_bag.pk, 1)],
        now=at(7, 12),
        notify=False,
    )
    assert later.pickup_deadline == at(11, 20)


def test_at_a_counter_without_hours_the_deadline_is_three_days(world):
    order = services.order_place(
        customer=world.customer,
        counter=world.counter2,
        lines=[(world.chestnut_bag.pk, 1)],
        now=at(4, 21),
        notify=False,
    )
    assert order.pickup_deadline == at(7, 21)


def test_reminders_follow_the_counters_hours(
    closed_mondays, world, django_capture_on_commit_callbacks
):
    services.order_place(
        customer=world.customer,
        counter=closed_mondays,
        lines=[(world.chestnut_bag.pk, 1)],
        now=at(4, 21),
        notify=False,
    )  # deadline Tuesday 8th 20:00
    Order.objects.update(pickup_deadline=at(8, 10, 30))  # collect by 10:30 on Tuesday
    assert services.send_pickup_reminders(now=at(6, 17)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_pickup_reminders(now=at(6, 17, 30)) == 1  # not Monday: closed
    assert services.send_pickup_reminders(now=at(7, 11)) == 0  # once
    assert len(mail.outbox) == 1


def test_hours_close_after_they_open(world):
    with pytest.raises(IntegrityError):
        OpeningHours.objects.create(
            counter=world.counter1, weekday=0, opens=time(20), closes=time(9)
        )


def test_one_exception_a_day(world):
    OpeningException.objects.create(counter=world.counter1, date=date(2026, 12, 24))
    with pytest.raises(IntegrityError):
        OpeningException.objects.create(counter=world.counter1, date=date(2026, 12, 24))


def test_an_exception_has_both_times_or_none(world):
    with pytest.raises(IntegrityError):
        OpeningException.objects.create(
            counter=world.counter1, date=date(2026, 12, 24), opens=time(9)
        )


def test_a_counter_of_its_own_is_independent():
    counter = CounterFactory()
    assert selectors.counter_schedules(counter_ids=[counter.pk], start=date(2026, 12, 3))[
        counter.pk
    ].always_open


def test_the_centres_page_shows_each_counters_hours_and_coming_closures(
    closed_mondays, client, django_assert_num_queries
):
    OpeningException.objects.create(
        counter=closed_mondays,
        date=date.today() + timedelta(days=3),
        opens=time(10),
        closes=time(14),
        note="盘点",
        note_en="Stocktaking",
    )
    page = client.get("/en/centres/").content.decode()
    assert "Tuesday–Sunday 9:00–20:00" in page
    assert "10:00–14:00 (Stocktaking)" in page
    assert "Tuesday–Sunday 9:00–20:00" in page
    assert "周二至周日 9:00–20:00" in client.get("/centres/").content.decode()


def test_the_weekly_summary_groups_runs_of_equal_days():
    class Row:
        def __init__(self, weekday, opens, closes):
            self.weekday, self.opens, self.closes = weekday, time(opens), time(closes)

    rows = [Row(d, 10, 21) for d in range(6)] + [Row(6, 10, 18)]
    assert hours.weekly_summary(rows) == [
        ([0, 1, 2, 3, 4, 5], [(time(10), time(21))]),
        ([6], [(time(10), time(18))]),
    ]
    # a closed Wednesday splits the run
    rows = [Row(d, 9, 20) for d in (0, 1, 3, 4)]
    assert [days for days, _periods in hours.weekly_summary(rows)] == [[0, 1], [3, 4]]


# --- Edited inline on the counter, in /admin/ and by the centre's manager in /vendor/ ----------


def _inline_post(counter, prefix_hours, prefix_exceptions, rows):
    """The counter's change form as the browser sends it, with ``rows`` weekly periods."""
    data = {
        "centre": counter.centre_id,
        "name_zh_hans": counter.name,
        "name_en": "",
        "kind": counter.kind,
        "location_zh_hans": "",
        "location_en": "",
        "position": 0,
        "is_active": "on",
        "producers": [p.pk for p in counter.producers.all()],
        f"{prefix_hours}-TOTAL_FORMS": len(rows),
        f"{prefix_hours}-INITIAL_FORMS": 0,
        f"{prefix_exceptions}-TOTAL_FORMS": 0,
        f"{prefix_exceptions}-INITIAL_FORMS": 0,
        "assignments-TOTAL_FORMS": 0,
        "assignments-INITIAL_FORMS": 0,
    }
    for n, (weekday, opens, closes) in enumerate(rows):
        data[f"{prefix_hours}-{n}-weekday"] = weekday
        data[f"{prefix_hours}-{n}-opens"] = opens
        data[f"{prefix_hours}-{n}-closes"] = closes
    return data


@pytest.mark.parametrize("site", ["admin", "vendor"])
def test_the_hours_are_edited_inline_on_the_counter(world, client, site):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    from .factories import member

    counter = world.counter1
    if site == "admin":
        user = UserFactory(username="district", is_staff=True, is_superuser=True)
    else:
        user = member(counter.centre.organization, "centre-manager", role="manager")
    assert Permission.objects.exists()
    client.force_login(user)
    url = f"/{site}/marketplace/counter/{counter.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="opening_hours-TOTAL_FORMS"' in html
    assert 'name="opening_exceptions-TOTAL_FORMS"' in html
    # a period that closes before it opens is refused with a 400 and nothing written
    bad = _inline_post(counter, "opening_hours", "opening_exceptions", [(0, "20:00", "09:00")])
    assert client.post(url, bad).status_code == 400
    assert not OpeningHours.objects.filter(counter=counter).exists()
    good = _inline_post(counter, "opening_hours", "opening_exceptions", [(0, "09:00", "20:00")])
    response = client.post(url, good)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert OpeningHours.objects.filter(counter=counter, weekday=0).count() == 1
