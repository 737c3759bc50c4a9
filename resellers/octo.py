"""The joint routes in OCTO's shapes (Open Connectivity for Tours, Activities
and Attractions, docs.octo.travel; checked against the OpenAPI document of the
``@octocloud/types`` npm package in tests/resellers).

- a product is a published route (its id is the route's slug), with one
  option, ``DEFAULT``;
- a unit is a traveller type the route's departures have a fare for
  (``adult`` → ADULT, ``child`` → CHILD, ``senior`` → SENIOR,
  ``student`` → STUDENT), with the route's fewest/most travellers per
  booking as the option's restrictions;
- an availability is a departure, its id the departure's local start time
  in ISO 8601 (``2026-12-10T08:00:00+08:00``), OCTO's usual form;
- a booking is a ``tours.Booking`` made in the reseller's account.

Prices are integers in fen (CNY, currencyPrecision 2); ``net`` is the retail
price less the reseller's commission.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone

from tours.models import (
    LOCAL_TZ,
    Booking,
    Departure,
    Route,
    TravellerType,
    is_almost_full,
)

OPTION_ID = "DEFAULT"
CURRENCY = "CNY"
PRICING = "octo/pricing"
CAPABILITIES = (PRICING,)
UNIT_TYPES = {
    TravellerType.ADULT: "ADULT",
    TravellerType.CHILD: "CHILD",
    TravellerType.SENIOR: "SENIOR",
    TravellerType.STUDENT: "STUDENT",
}
# Ages as the fares define them (children's fares under 14, seniors' from 60,
# students with a student card); a student's or senior's fare asks for an ID.
UNIT_AGES = {
    TravellerType.ADULT: (14, 59, False),
    TravellerType.CHILD: (0, 13, False),
    TravellerType.SENIOR: (60, 120, True),
    TravellerType.STUDENT: (6, 35, True),
}
# A route's departures end the same day in the evening (stops are daytime
# visits); a route of n days ends on the n-th day.
END_OF_DAY = dt.time(18, 0)


def availability_id(departure: Departure) -> str:
    return departure.starts_at.isoformat()


def parse_availability_id(value: str) -> dt.datetime | None:
    try:
        parsed = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=LOCAL_TZ)
    return parsed


def _utc(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def ends_at(departure: Departure) -> dt.datetime:
    end = dt.datetime.combine(
        departure.date + dt.timedelta(days=departure.route.duration_days - 1),
        END_OF_DAY,
        tzinfo=LOCAL_TZ,
    )
    return max(end, departure.starts_at + dt.timedelta(hours=1))


def fen(amount: Decimal) -> int:
    return int((amount * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def price(amount: Decimal, commission: Decimal) -> dict[str, Any]:
    retail = fen(amount)
    return {
        "original": retail,
        "retail": retail,
        "net": fen(amount * (1 - commission)),
        "currency": CURRENCY,
        "currencyPrecision": 2,
        "includedTaxes": [],
    }


def unit(traveller_type: str, *, price_from: Decimal | None, pricing: bool, commission) -> dict:
    min_age, max_age, id_required = UNIT_AGES[TravellerType(traveller_type)]
    data: dict[str, Any] = {
        "id": traveller_type,
        "internalName": str(TravellerType(traveller_type).label),
        "reference": traveller_type,
        "type": UNIT_TYPES[TravellerType(traveller_type)],
        "requiredContactFields": [],
        "restrictions": {
            "minAge": min_age,
            "maxAge": max_age,
            "idRequired": id_required,
            "minQuantity": None,
            "maxQuantity": None,
            "paxCount": 1,
            "accompaniedBy": ["adult", "senior"] if traveller_type == TravellerType.CHILD else [],
        },
    }
    if pricing and price_from is not None:
        data["pricingFrom"] = [price(price_from, commission)]
    return data


def option(route: Route, fares: dict[str, Decimal], *, pricing: bool, commission) -> dict:
    data: dict[str, Any] = {
        "id": OPTION_ID,
        "default": True,
        "internalName": route.title,
        "reference": None,
        "availabilityLocalStartTimes": sorted(
            {t.strftime("%H:%M") for t in getattr(route, "start_times", ())}
        ),
        "cancellationCutoff": "0 hours",
        "cancellationCutoffAmount": 0,
        "cancellationCutoffUnit": "hour",
        "requiredContactFields": ["firstName", "phoneNumber"],
        "restrictions": {"minUnits": route.min_travellers, "maxUnits": route.max_travellers},
        "units": [
            unit(t, price_from=fares.get(t), pricing=pricing, commission=commission)
            for t in UNIT_TYPES
            if t in fares
        ],
    }
    if pricing and TravellerType.ADULT in fares:
        data["pricingFrom"] = [price(fares[TravellerType.ADULT], commission)]
    return data


def product(
    route: Route, fares: dict[str, Decimal], *, pricing: bool, commission, locale: str
) -> dict:
    data: dict[str, Any] = {
        "id": route.slug,
        "internalName": route.title,
        "reference": route.slug,
        "locale": locale,
        "timeZone": str(LOCAL_TZ),
        "allowFreesale": False,
        "instantConfirmation": True,
        "instantDelivery": True,
        "availabilityRequired": True,
        "availabilityType": "START_TIME",
        "deliveryFormats": ["QRCODE"],
        "deliveryMethods": ["TICKET", "VOUCHER"],
        "redemptionMethod": "DIGITAL",
        "options": [option(route, fares, pricing=pricing, commission=commission)],
    }
    if pricing:
        data["defaultCurrency"] = CURRENCY
        data["availableCurrencies"] = [CURRENCY]
        data["pricingPer"] = "UNIT"
    return data


def status_of(departure: Departure, seats_left: int, now: dt.datetime) -> str:
    if not departure.is_bookable(now) or not departure.route.is_published:
        return "CLOSED"
    if seats_left <= 0:
        return "SOLD_OUT"
    if is_almost_full(seats_left, departure.capacity):
        return "LIMITED"
    return "AVAILABLE"


def availability(
    departure: Departure,
    *,
    now: dt.datetime,
    wanted: list[str],
    pricing: bool,
    commission,
) -> dict:
    left = max(0, departure.seats_left)  # type: ignore[attr-defined]
    status = status_of(departure, left, now)
    fares = fares_of(departure)
    fits = len(wanted) <= left and all(t in fares for t in wanted)
    data: dict[str, Any] = {
        "id": availability_id(departure),
        "localDateTimeStart": departure.starts_at.isoformat(),
        "localDateTimeEnd": ends_at(departure).isoformat(),
        "utcCutoffAt": _utc(departure.booking_closes_at),
        "allDay": False,
        "available": status in ("AVAILABLE", "LIMITED") and fits,
        "status": status,
        "vacancies": left,
        "capacity": departure.capacity,
        "maxUnits": min(left, departure.route.max_travellers),
        "openingHours": [],
    }
    if pricing:
        data["unitPricing"] = [
            {"unitId": t, **price(amount, commission)} for t, amount in fares.items()
        ]
        if wanted and all(t in fares for t in wanted):
            data["pricing"] = price(sum((fares[t] for t in wanted), Decimal(0)), commission)
    return data


_STATUS_RANK = {"AVAILABLE": 0, "LIMITED": 1, "SOLD_OUT": 2, "CLOSED": 3}


def calendar_day(day: dt.date, slots: list[dict], *, pricing: bool) -> dict:
    best = min((slot["status"] for slot in slots), key=_STATUS_RANK.__getitem__)
    data: dict[str, Any] = {
        "localDate": day.isoformat(),
        "available": any(slot["available"] for slot in slots),
        "status": best,
        "vacancies": sum(slot["vacancies"] for slot in slots),
        "capacity": sum(slot["capacity"] for slot in slots),
        "openingHours": [],
    }
    if pricing:
        lowest: dict[str, dict] = {}
        for slot in slots:
            for entry in slot.get("unitPricing", []):
                if (
                    entry["unitId"] not in lowest
                    or entry["retail"] < lowest[entry["unitId"]]["retail"]
                ):
                    lowest[entry["unitId"]] = entry
        data["unitPricingFrom"] = list(lowest.values())
        adult = lowest.get(TravellerType.ADULT)
        if adult:
            data["pricingFrom"] = {k: v for k, v in adult.items() if k != "unitId"}
    return data


def fares_of(departure: Departure) -> dict[str, Decimal]:
    """{traveller type: fare} of the types this departure offers."""
    return {t: amount for t, _label, amount in departure.price_table()}


def route_fares(departures: Iterable[Departure]) -> dict[str, Decimal]:
    """The lowest fare of each type over ``departures`` (for pricingFrom)."""
    lowest: dict[str, Decimal] = {}
    for departure in departures:
        for t, amount in fares_of(departure).items():
            lowest[t] = min(amount, lowest.get(t, amount))
    return lowest


BOOKING_STATUS = {
    Booking.Status.HELD: "ON_HOLD",
    Booking.Status.CONFIRMED: "CONFIRMED",
    Booking.Status.PAID: "CONFIRMED",
    Booking.Status.NO_SHOW: "CONFIRMED",
    Booking.Status.CHECKED_IN: "REDEEMED",
    Booking.Status.CANCELLED: "CANCELLED",
    Booking.Status.LAPSED: "EXPIRED",
}


def booking_status(booking: Booking, now: dt.datetime) -> str:
    if booking.is_hold_expired(now):
        return "EXPIRED"  # its seats stopped counting at the deadline
    return BOOKING_STATUS[Booking.Status(booking.status)]


CONTACT_KEYS = (
    "fullName",
    "firstName",
    "lastName",
    "emailAddress",
    "phoneNumber",
    "postalCode",
    "country",
    "notes",
)


def contact(given: dict | None) -> dict:
    given = given or {}
    data: dict[str, Any] = {key: (given.get(key) or None) for key in CONTACT_KEYS}
    data["locales"] = [str(x) for x in given.get("locales") or [] if isinstance(x, str)][:5]
    return data


def booking(reseller_booking, *, pricing: bool, check_in_url: str, now=None) -> dict:
    now = now or timezone.now()
    b: Booking = reseller_booking.booking
    departure = b.departure
    status = booking_status(b, now)
    redeemed = b.updated_at if b.status == Booking.Status.CHECKED_IN else None
    items = reseller_booking.unit_items or []
    travellers = list(b.travellers.all())
    unit_items = []
    for n, traveller in enumerate(travellers):
        item = items[n] if n < len(items) else {}
        unit_items.append(
            {
                "uuid": item.get("uuid") or f"{reseller_booking.uuid}-{n + 1}",
                "resellerReference": item.get("resellerReference") or None,
                "supplierReference": f"{b.code}-{n + 1}",
                "unitId": traveller.traveller_type,
                "status": status,
                "utcRedeemedAt": _utc(redeemed),
                "contact": contact(item.get("contact")),
                "ticket": None,
                **(
                    {"pricing": price(traveller.price, reseller_booking.commission_rate)}
                    if pricing
                    else {}
                ),
            }
        )
    voucher = None
    if status in ("CONFIRMED", "REDEEMED"):
        voucher = {
            "redemptionMethod": "DIGITAL",
            "utcRedeemedAt": _utc(redeemed),
            "deliveryOptions": [
                {"deliveryFormat": "QRCODE", "deliveryValue": check_in_url},
            ],
        }
    cancellation = None
    if b.status == Booking.Status.CANCELLED:
        cancellation = {
            "refund": "FULL",
            "reason": b.cancel_reason or None,
            "utcCancelledAt": _utc(b.updated_at),
        }
    data: dict[str, Any] = {
        "id": b.code,
        "uuid": str(reseller_booking.uuid),
        "testMode": False,
        "resellerReference": reseller_booking.reseller_reference or None,
        "supplierReference": b.code,
        "status": status,
        "utcCreatedAt": _utc(b.created_at),
        "utcUpdatedAt": _utc(b.updated_at),
        "utcExpiresAt": _utc(b.hold_expires_at) if b.status == Booking.Status.HELD else None,
        "utcRedeemedAt": _utc(redeemed),
        "utcConfirmedAt": _utc(reseller_booking.confirmed_at),
        "productId": departure.route.slug,
        "optionId": OPTION_ID,
        "cancellable": status in ("ON_HOLD", "CONFIRMED") and b.can_cancel(now),
        "cancellation": cancellation,
        "freesale": False,
        "availabilityId": availability_id(departure),
        # The departure as an availability now (``seats_left`` annotated by the selector).
        "availability": availability(
            departure,
            now=now,
            wanted=[],
            pricing=False,
            commission=reseller_booking.commission_rate,
        ),
        "contact": contact(reseller_booking.contact),
        "notes": reseller_booking.notes or None,
        "deliveryMethods": ["TICKET", "VOUCHER"],
        "voucher": voucher,
        "unitItems": unit_items,
    }
    if pricing:
        data["pricing"] = price(b.total_price, reseller_booking.commission_rate)
    return data
