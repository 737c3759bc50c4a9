"""An iCalendar (RFC 5545) file for one booking, so the trip lands in the
customer's calendar in Beijing time whatever their phone's time zone."""

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from core.links import absolute_url

from .models import LOCAL_TZ, Booking, Departure, RouteStop

# Asia/Shanghai has had no daylight saving since 1991: one STANDARD rule is
# the whole definition.
VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    "TZID:Asia/Shanghai",
    "X-LIC-LOCATION:Asia/Shanghai",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0800",
    "TZOFFSETTO:+0800",
    "TZNAME:CST",
    "DTSTART:19700101T000000",
    "END:STANDARD",
    "END:VTIMEZONE",
]
DEFAULT_DAY_HOURS = 8
DEFAULT_END = dt.time(18, 0)


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11)."""
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Splits a content line into lines of at most 75 octets, never inside a
    UTF-8 character; continuation lines start with one space (§3.1)."""
    out, current, size, limit = [], "", 0, 75
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def departure_ends_at(departure: Departure, stops: list[RouteStop]) -> dt.datetime:
    """When the trip ends: the end of the last timed stop, else a usual day."""
    start = departure.starts_at
    timed = [s for s in stops if s.time is not None]
    if timed:
        last = max(timed, key=lambda s: (s.day, s.time))
        end_time = last.ends_at or last.time
        assert end_time is not None  # a timed stop has a time
        end = dt.datetime.combine(
            departure.date + dt.timedelta(days=last.day - 1), end_time, tzinfo=start.tzinfo
        )
        if end > start:
            return end
    days = departure.route.duration_days
    if days <= 1:
        return start + dt.timedelta(hours=DEFAULT_DAY_HOURS)
    return dt.datetime.combine(
        departure.date + dt.timedelta(days=days - 1), DEFAULT_END, tzinfo=start.tzinfo
    )


def _local(value: dt.datetime) -> str:
    return value.astimezone(LOCAL_TZ).strftime("%Y%m%dT%H%M%S")


def _sequence(booking: Booking, departure: Departure) -> int:
    if departure.status == Departure.Status.CANCELLED or booking.status in (
        Booking.Status.CANCELLED,
        Booking.Status.LAPSED,
    ):
        return 2
    return 0 if booking.status == Booking.Status.HELD else 1


def booking_calendar(
    booking: Booking,
    *,
    stops: list[RouteStop],
    now: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> str:
    """The links follow core.links.absolute_url (the request's host in
    development); the UID's host is always SITE_URL's, so the same booking is
    the same event wherever the file was downloaded from."""
    departure = booking.departure
    route = departure.route
    now = now or timezone.now()
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    statuses: dict[str, str] = {
        Booking.Status.HELD: "TENTATIVE",
        Booking.Status.CANCELLED: "CANCELLED",
        Booking.Status.LAPSED: "CANCELLED",
    }
    status = statuses.get(booking.status, "CONFIRMED")
    if departure.status == Departure.Status.CANCELLED:
        status = "CANCELLED"
    itinerary = "\n".join(
        f"{s.day}. {s.time:%H:%M} {s.attraction.name}"
        if s.time
        else f"{s.day}. {s.attraction.name}"
        for s in stops
    )
    description = "\n".join(
        part
        for part in (
            f"{booking.code} · {booking.seats} × {route.title}",
            str(route.meeting_point or ""),
            itinerary,
            absolute_url(reverse("tours:booking", kwargs={"code": booking.code}), request),
        )
        if part
    )
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Dongcheng-Huairou cooperation//Tours//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        *VTIMEZONE,
        "BEGIN:VEVENT",
        f"UID:tour-booking-{booking.code}@{host}",
        f"DTSTAMP:{now.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}",
        f"DTSTART;TZID=Asia/Shanghai:{_local(departure.starts_at)}",
        f"DTEND;TZID=Asia/Shanghai:{_local(departure_ends_at(departure, stops))}",
        # A later state (confirmed, then cancelled) must replace a copy the
        # calendar already imported: the sequence only grows along the way.
        f"SEQUENCE:{_sequence(booking, departure)}",
        f"SUMMARY:{escape(route.title)}",
        f"LOCATION:{escape(route.meeting_point or '')}",
        f"DESCRIPTION:{escape(description)}",
        f"URL:{absolute_url(route.get_absolute_url(), request)}",
        f"STATUS:{status}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
