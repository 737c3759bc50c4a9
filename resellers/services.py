"""What a reseller does: its account and keys, and the OCTO booking flow
(reserve → extend → confirm → cancel), each step a tours service on an
ordinary booking, so seats are locked and counted exactly as for the site's
own customers."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid as uuid_lib
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import DomainError
from organizations.models import Organization
from tours import selectors as tour_selectors
from tours import services as tours
from tours.models import Booking, Departure, Route, TravellerType

from . import errors, octo
from .models import Reseller, ResellerBooking, ResellerKey

# A hold lasts 30 minutes unless the reseller asks (1 minute to 24 hours),
# and never past the departure's booking cut-off.
DEFAULT_HOLD_MINUTES = 30
MAX_HOLD_MINUTES = 24 * 60
KEY_USE_RESOLUTION = dt.timedelta(minutes=5)


# --- Accounts and keys -------------------------------------------------------------


def reseller_create(*, organization: Organization, commission_rate: Decimal) -> Reseller:
    """A reseller for ``organization``, with an account its bookings are made
    in (no password: it signs in with its keys only)."""
    if not organization.phone:
        raise DomainError(
            "A reseller needs a phone number (its bookings' contact until confirmed)."
        )
    User = get_user_model()
    user, _ = User.objects.get_or_create(
        username=f"reseller-{organization.slug}"[:150],
        defaults={"email": organization.email},
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return Reseller.objects.create(
        organization=organization, user=user, commission_rate=commission_rate
    )


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedKey:
    key: str
    record: ResellerKey


def key_issue(*, reseller: Reseller, name: str = "") -> IssuedKey:
    key = "octo_" + secrets.token_urlsafe(30)
    record = ResellerKey.objects.create(
        reseller=reseller, key_hash=_hash(key), prefix=key[5:13], name=name[:200]
    )
    return IssuedKey(key=key, record=record)


def key_revoke(*, key: ResellerKey) -> None:
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])


def key_authenticate(key: str) -> ResellerKey | None:
    """The active key ``key`` is, of an active reseller; None otherwise."""
    try:
        record = ResellerKey.objects.select_related("reseller__user", "reseller__organization").get(
            key_hash=_hash(key), revoked_at__isnull=True
        )
    except ResellerKey.DoesNotExist:
        return None
    if not record.reseller.is_active or not record.reseller.user.is_active:
        return None
    now = timezone.now()
    if record.last_used_at is None or now - record.last_used_at >= KEY_USE_RESOLUTION:
        ResellerKey.objects.filter(pk=record.pk).update(last_used_at=now)
        record.last_used_at = now
    return record


# --- Products and availability ------------------------------------------------------


def product_route(product_id) -> Route:
    try:
        return tour_selectors.published_routes().get(slug=str(product_id))
    except (Route.DoesNotExist, ValueError):
        raise errors.invalid_product(product_id) from None


def check_option(option_id) -> None:
    if option_id != octo.OPTION_ID:
        raise errors.invalid_option(option_id)


def departure_for(route: Route, availability_id) -> Departure:
    starts = octo.parse_availability_id(str(availability_id or ""))
    if starts is None:
        raise errors.invalid_availability(availability_id)
    local = starts.astimezone(octo.LOCAL_TZ)
    found = (
        Departure.objects.filter(route=route, date=local.date(), start_time=local.time())
        .select_related("route")
        .prefetch_related("prices")
        .first()
    )
    if found is None:
        raise errors.invalid_availability(availability_id)
    return found


def unit_types(unit_items, departure: Departure) -> list[str]:
    if not isinstance(unit_items, list) or not unit_items:
        raise errors.bad_request("unitItems must list one item a traveller.")
    offered = octo.fares_of(departure)
    types = []
    for item in unit_items:
        unit_id = item.get("unitId") if isinstance(item, dict) else None
        if unit_id not in TravellerType.values:
            raise errors.invalid_unit(unit_id)
        if unit_id not in offered:
            raise errors.invalid_unit(unit_id)
        types.append(unit_id)
    return types


def _minutes(value) -> int:
    if value is None:
        return DEFAULT_HOLD_MINUTES
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_HOLD_MINUTES:
        raise errors.bad_request(
            f"expirationMinutes must be a whole number from 1 to {MAX_HOLD_MINUTES}."
        )
    return value


def _text(value, name: str, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > limit:
        raise errors.bad_request(f"{name} must be text of at most {limit} characters.")
    return value


def _refused(error: DomainError) -> errors.OctoError:
    return errors.unprocessable(str(error.message))


# --- Bookings -----------------------------------------------------------------------


def reserve(
    *,
    reseller: Reseller,
    data: dict,
    language: str | None = None,
) -> tuple[ResellerBooking, bool]:
    """OCTO's booking reservation: seats held for ``expirationMinutes``.
    Returns (the booking, made now?). The reseller's ``uuid`` makes it
    idempotent: the same UUID again answers the booking it made."""
    raw_uuid = data.get("uuid")
    try:
        booking_uuid = uuid_lib.UUID(str(raw_uuid)) if raw_uuid is not None else uuid_lib.uuid4()
    except ValueError:
        raise errors.bad_request("uuid must be a UUID.") from None
    existing = _existing(reseller, booking_uuid)
    if existing is not None:
        return existing, False
    route = product_route(data.get("productId"))
    check_option(data.get("optionId"))
    departure = departure_for(route, data.get("availabilityId"))
    items = data.get("unitItems")
    types = unit_types(items, departure)
    minutes = _minutes(data.get("expirationMinutes"))
    reference = _text(data.get("resellerReference"), "resellerReference", 100)
    notes = _text(data.get("notes"), "notes", 2000)
    organization = reseller.organization
    try:
        with transaction.atomic():
            booking = tours.booking_hold(
                customer=reseller.user,
                departure_id=departure.pk,
                seats=len(types),
                contact_name=organization.name[:100],
                contact_phone=organization.phone,
                minutes=minutes,
                travellers=[tours.Traveller(type=t) for t in types],
                language=language,
                per_customer_cap=False,
            )
            made = ResellerBooking.objects.create(
                reseller=reseller,
                booking=booking,
                uuid=booking_uuid,
                reseller_reference=reference,
                notes=notes,
                unit_items=[
                    {
                        "uuid": str(item.get("uuid") or uuid_lib.uuid4()),
                        "unitId": t,
                        "resellerReference": _text(
                            item.get("resellerReference"), "resellerReference", 100
                        ),
                    }
                    for item, t in zip(items or [], types, strict=True)
                ],
                commission_rate=reseller.commission_rate,
            )
    except IntegrityError:
        # The same UUID raced in from another request: that one won.
        existing = _existing(reseller, booking_uuid)
        if existing is None:
            raise
        return existing, False
    except DomainError as error:
        raise _refused(error) from None
    return _refresh(made), True


def _existing(reseller: Reseller, booking_uuid) -> ResellerBooking | None:
    from .selectors import reseller_bookings

    return reseller_bookings(reseller=reseller).filter(uuid=booking_uuid).first()


def booking_of(reseller: Reseller, raw_uuid) -> ResellerBooking:
    try:
        booking_uuid = uuid_lib.UUID(str(raw_uuid))
    except ValueError:
        raise errors.invalid_booking(raw_uuid) from None
    found = _existing(reseller, booking_uuid)
    if found is None:
        raise errors.invalid_booking(raw_uuid)
    return found


def _contact(given) -> dict:
    if given is None:
        return {}
    if not isinstance(given, dict):
        raise errors.bad_request("contact must be an object.")
    kept: dict[str, object] = {}
    for key in octo.CONTACT_KEYS:
        kept[key] = _text(given.get(key), f"contact.{key}", 200) or None
    locales = given.get("locales") or []
    if not isinstance(locales, list):
        raise errors.bad_request("contact.locales must be a list.")
    kept["locales"] = [str(x)[:20] for x in locales[:5]]
    return kept


def _contact_name(contact: dict) -> str:
    full = contact.get("fullName") or " ".join(
        x for x in (contact.get("firstName"), contact.get("lastName")) if x
    )
    return (full or "").strip()[:100]


def _refresh(rb: ResellerBooking) -> ResellerBooking:
    fresh = _existing(rb.reseller, rb.uuid)
    assert fresh is not None
    return fresh


def confirm(*, rb: ResellerBooking, data: dict) -> ResellerBooking:
    """OCTO's confirmation: the hold becomes a confirmed booking, with the
    lead traveller's contact. Confirming a confirmed booking answers it."""
    contact = _contact(data.get("contact"))
    reference = data.get("resellerReference")
    booking = rb.booking
    try:
        with transaction.atomic():
            if booking.status == Booking.Status.HELD:
                tours.booking_confirm(booking=booking, by=rb.reseller.user)
                rb.confirmed_at = timezone.now()
            elif booking.status not in (Booking.Status.CONFIRMED, Booking.Status.PAID):
                raise errors.unprocessable(
                    f"A booking that is {octo.booking_status(booking, timezone.now())} "
                    "cannot be confirmed."
                )
            name, phone = _contact_name(contact), contact.get("phoneNumber")
            if name or phone:
                tours.booking_set_contact(
                    booking=booking,
                    contact_name=name or booking.contact_name,
                    contact_phone=phone or booking.contact_phone,
                    by=rb.reseller.user,
                )
            if contact:
                rb.contact = contact
            if reference is not None:
                rb.reseller_reference = _text(reference, "resellerReference", 100)
            rb.save(update_fields=["confirmed_at", "contact", "reseller_reference"])
    except DomainError as error:
        raise _refused(error) from None
    return _refresh(rb)


def extend(*, rb: ResellerBooking, data: dict) -> ResellerBooking:
    minutes = _minutes(data.get("expirationMinutes"))
    try:
        tours.booking_extend_hold(booking=rb.booking, minutes=minutes, by=rb.reseller.user)
    except DomainError as error:
        raise _refused(error) from None
    return _refresh(rb)


def update(*, rb: ResellerBooking, data: dict) -> ResellerBooking:
    """OCTO's booking update (PATCH): the reseller's reference, notes and
    contact; ``expirationMinutes`` extends a hold. Moving a booking to
    another time is not offered (the reseller cancels and books again)."""
    for moved in ("productId", "optionId", "availabilityId", "unitItems"):
        if moved in data:
            raise errors.unprocessable(
                f"{moved} can't be changed: cancel this booking and make a new one."
            )
    if "expirationMinutes" in data:
        rb = extend(rb=rb, data=data)
    fields = []
    if "resellerReference" in data:
        rb.reseller_reference = _text(data["resellerReference"], "resellerReference", 100)
        fields.append("reseller_reference")
    if "notes" in data:
        rb.notes = _text(data["notes"], "notes", 2000)
        fields.append("notes")
    if "contact" in data:
        rb.contact = _contact(data["contact"])
        fields.append("contact")
        name, phone = _contact_name(rb.contact), rb.contact.get("phoneNumber")
        if name or phone:
            try:
                tours.booking_set_contact(
                    booking=rb.booking,
                    contact_name=name or rb.booking.contact_name,
                    contact_phone=phone or rb.booking.contact_phone,
                    by=rb.reseller.user,
                )
            except DomainError as error:
                raise _refused(error) from None
    if fields:
        rb.save(update_fields=fields)
    return _refresh(rb)


def cancel(*, rb: ResellerBooking, data: dict) -> ResellerBooking:
    """Cancels a hold or a booking (its seats go to the waitlist); a
    cancelled booking cancelled again is answered as it is."""
    if rb.booking.status == Booking.Status.CANCELLED:
        return rb
    reason = _text(data.get("reason"), "reason", 500)
    try:
        tours.booking_cancel(
            booking=rb.booking,
            by=rb.reseller.user,
            reason=reason or "cancelled by the reseller",
        )
    except DomainError as error:
        raise _refused(error) from None
    return _refresh(rb)
