"""The check-in desk at /vendor/desk/check-in/: one box for a typed or
scanned booking code, the booking shown big (travellers, paid or not), one
check-in button with the payment choice, an undo window, today's manifest;
it works offline (core.desk has the shared endpoints)."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core import desk as offline
from core.errors import DomainError
from core.payments import PaymentMethod

from . import selectors
from .services import desk as services


class CheckInDesk(offline.Desk):
    name = services.CHECK_IN_DESK
    path = "check-in"
    template = "desk/check_in.html"
    kinds = (services.CHECK_IN,)

    def scope(self, user) -> list[int]:
        return selectors.desk_operator_ids(user=user)

    def items(self, user, now: dt.datetime) -> list[dict]:
        today = timezone.localdate(now)
        return [
            selectors.booking_item(booking)
            for booking in selectors.desk_manifest(user=user, today=today)
        ]

    def find(self, user, code: str, now: dt.datetime) -> dict | None:
        from core import codes

        booking = selectors.desk_bookings(user=user).filter(code=codes.normalise(code)).first()
        return selectors.booking_item(booking) if booking else None

    def handlers(self) -> offline.Handlers:
        return services.HANDLERS

    def undo(self, user, code: str, now: dt.datetime) -> None:
        from core import codes

        booking = selectors.desk_bookings(user=user).filter(code=codes.normalise(code)).first()
        if booking is None:
            raise DomainError(_("No booking with this code for your routes."), code="not_found")
        services.booking_undo_check_in(booking=booking, by=user, now=now)

    def page_context(self, request) -> dict:
        return {
            "title": _("Check-in desk"),
            "payment_methods": list(PaymentMethod.choices),
            "pay_later": services.PAY_LATER,
        }

    def strings(self) -> dict[str, str]:
        return {
            "action": _("Check in"),
            "done": _("Checked in"),
            "done_offline": _("Checked in (not yet synced)"),
            "closed": _("Nothing to check in: this booking is %(status)s."),
            "lines": _("Travellers"),
        }

    def manifest_names(self) -> tuple[str, str]:
        return _("Check-in desk"), pgettext("desk app short name", "Check-in")


check_in_desk = CheckInDesk()
