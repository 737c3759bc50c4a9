"""The check-in desk (/vendor/desk/check-in/): check-in with the payment
choice, the undo of a mistaken check-in, and the offline queue's handler
(core.desk applies each queued action exactly once, in scan-time order)."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import desk as offline
from core.errors import DomainError
from core.transitions import Actor
from organizations.models import Membership

from .. import errors
from ..models import Booking, BookingEvent
from .bookings import booking_by_code_for_operator, booking_check_in, booking_record_payment
from .common import relock
from .transitions import S, booking_transition

CHECK_IN_DESK = "check_in"
CHECK_IN = "check_in"
# The payment choice "not paid yet, collect later" (any other value is a PaymentMethod).
PAY_LATER = "later"


def desk_check_in(*, actor: User, booking: Booking, payment_method: str = "") -> Booking:
    """Lets the travellers on. An unpaid booking needs the clerk's explicit
    choice: how it was paid now (recorded as paid on the day), or ``later``."""
    if booking.status == S.CHECKED_IN:
        raise errors.InvalidTransition(_("Already checked in."), code="already_checked_in")
    if booking.status == S.CANCELLED:
        raise errors.InvalidTransition(_("This booking was cancelled meanwhile."), code="cancelled")
    with transaction.atomic():
        if booking.paid_at is None:
            if not payment_method:
                raise DomainError(
                    _("Record how the travellers paid, or choose “pay later”."),
                    code="payment_method_required",
                )
            if payment_method != PAY_LATER:
                booking = booking_record_payment(
                    booking=booking,
                    by=actor,
                    method=payment_method,
                    timing=Booking.PaymentTiming.ON_THE_DAY,
                )
        return booking_check_in(booking=booking, by=actor)


def _is_manager(user: User, booking: Booking) -> bool:
    return (
        user.is_staff
        or Membership.objects.filter(
            user=user,
            organization_id=booking.departure.route.operator_id,
            role=Membership.Role.MANAGER,
        ).exists()
    )


def booking_undo_check_in(*, booking: Booking, by: User, now: dt.datetime | None = None) -> Booking:
    """Undoes a mistaken check-in: back to paid (or confirmed when unpaid),
    audited; within DESK_UNDO_MINUTES, by whoever checked in or a manager of
    the operator."""
    now = now or timezone.now()
    with transaction.atomic():
        departure, booking = relock(booking)
        booking.departure = departure
        if booking.status != S.CHECKED_IN:
            raise errors.InvalidTransition(_("This booking is not checked in."))
        event = (
            BookingEvent.objects.filter(booking=booking, to_status=S.CHECKED_IN)
            .order_by("-at", "-pk")
            .first()
        )
        if event is None or now - event.at > dt.timedelta(minutes=settings.DESK_UNDO_MINUTES):
            raise errors.InvalidTransition(
                _("A check-in can only be undone within %(minutes)s minutes.")
                % {"minutes": settings.DESK_UNDO_MINUTES}
            )
        if event.actor_id != by.pk and not _is_manager(by, booking):
            refused = DomainError(
                _("Only whoever checked the booking in, or a manager, can undo it."),
                code="not_allowed",
            )
            refused.status_code = 403
            raise refused
        booking_transition(
            booking=booking,
            to=S.PAID if booking.paid_at else S.CONFIRMED,
            actor=Actor.OPERATOR,
            by=by,
            reason="check-in undone at the desk",
        )
    return booking


def _check_in(actor: User, action: offline.DeskAction, at: dt.datetime) -> None:
    booking = booking_by_code_for_operator(code=action.code, user=actor)
    desk_check_in(actor=actor, booking=booking, payment_method=action.payment_method)


HANDLERS: offline.Handlers = {CHECK_IN: _check_in}


def apply_offline_actions(*, actor: User, actions: list[offline.DeskAction]) -> list:
    """The check-in desk's queued check-ins, each applied exactly once in
    scan-time order: ``applied``, ``duplicate`` or ``conflict`` (already
    checked in elsewhere, cancelled meanwhile, payment missing)."""
    return offline.apply_actions(
        actor=actor, desk=CHECK_IN_DESK, actions=actions, handlers=HANDLERS
    )
