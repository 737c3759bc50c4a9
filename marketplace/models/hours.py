"""When each counter is open: weekly hours, and dated exceptions (closed for a
holiday, shorter hours on New Year's Eve). The pickup deadline of an order, the
reminder before it and the centres page read them (``marketplace.hours``).

Times are the counter's local time (``TIME_ZONE``, Asia/Shanghai). A period
ends on the day it starts: a counter open past midnight is entered as two
periods. A counter without any weekly hours is treated as always open.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.hant import Traditional

from .places import Counter


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningHours(models.Model):
    """One opening period of a counter on a weekday (two rows for a day with a
    lunch break; no row: closed that day)."""

    counter = models.ForeignKey(
        Counter, on_delete=models.CASCADE, related_name="opening_hours", verbose_name=_("counter")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["counter", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens__lt=F("closes")), name="hours_open_before_close"
            ),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="hours_weekday_range"),
            models.UniqueConstraint(
                fields=["counter", "weekday", "opens"], name="hours_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class OpeningException(Traditional, models.Model):
    """A dated change to a counter's weekly hours: closed all day (no times),
    or open other hours that day (one period)."""

    counter = models.ForeignKey(
        Counter,
        on_delete=models.CASCADE,
        related_name="opening_exceptions",
        verbose_name=_("counter"),
    )
    date = models.DateField(_("date"))
    opens = models.TimeField(
        _("opens"), null=True, blank=True, help_text=_("empty: closed all day")
    )
    closes = models.TimeField(_("closes"), null=True, blank=True)
    note = models.CharField(
        _("note"), max_length=120, blank=True, help_text=_("e.g. Spring Festival, stocktaking")
    )

    # Columns modeltranslation adds for `note` (see translation.py).
    note_zh_hans: str | None
    note_zh_hant: str | None
    note_en: str | None

    class Meta:
        verbose_name = _("opening exception")
        verbose_name_plural = _("opening exceptions")
        ordering = ["counter", "date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens__isnull=True, closes__isnull=True)
                | Q(opens__isnull=False, closes__isnull=False, opens__lt=F("closes")),
                name="exception_closed_or_open_before_close",
            ),
            models.UniqueConstraint(fields=["counter", "date"], name="exception_one_per_day"),
        ]

    def __str__(self) -> str:
        if self.opens is None or self.closes is None:
            return f"{self.date}: {_('closed all day')}"
        return f"{self.date}: {self.opens:%H:%M}–{self.closes:%H:%M}"

    @property
    def is_closed(self) -> bool:
        return self.opens is None
