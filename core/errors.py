"""The base of every app's domain errors (see each app's errors.py)."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A business rule said no. Carries a translated message and a stable code.

    ``status_code`` is what the API and the web views answer with: 400 for input
    that can never succeed, 409 for a conflict with the current state (sold
    out, already collected, departure full).
    """

    status_code = 400
    code = "invalid"
    default_message = _("The request could not be completed.")

    def __init__(self, message=None, *, code: str | None = None):
        self.message = message or self.default_message
        if code:
            self.code = code
        super().__init__(str(self.message))


class Conflict(DomainError):
    status_code = 409
    code = "conflict"


class CustomerLimitReached(Conflict):
    """One customer asked for more than a per-customer cap allows (units of an
    item, seats on a departure, waitlist entries; see the MAX_* settings). 409:
    it can succeed once the customer's earlier orders or bookings are closed."""

    code = "customer_limit"
    default_message = _("You have reached the limit for one customer.")
