"""What the marketplace's services refuse, with a message a customer can act on.

400: the request can never succeed as sent (a bad quantity, a product the
counter does not carry). 409: it conflicts with the current state (sold out,
already collected) and might succeed later or elsewhere. 403: the user may not
do this to this object.
"""

from django.utils.translation import gettext_lazy as _

from core.errors import Conflict, CustomerLimitReached, DomainError


class EmptyOrder(DomainError):
    code = "empty_order"
    default_message = _("Add at least one product.")


class TooManyLines(DomainError):
    code = "too_many_lines"


class InvalidQuantity(DomainError):
    code = "invalid_quantity"


class UnknownVariant(DomainError):
    code = "unknown_variant"


class CounterUnavailable(DomainError):
    code = "counter_unavailable"
    default_message = _("This counter is not taking orders.")


class VariantNotCarried(DomainError):
    code = "not_carried"


class InsufficientStock(Conflict):
    code = "insufficient_stock"

    def __init__(self, message=None, *, variant_id: int | None = None, available: int = 0):
        self.variant_id = variant_id
        self.available = available
        super().__init__(message)


class ItemLimitReached(CustomerLimitReached):
    """More units of one variant at one counter than MAX_OPEN_UNITS_PER_ITEM
    in the customer's open orders (bulk orders of business buyers don't count)."""

    code = "item_limit"

    def __init__(self, message=None, *, variant_id=None, limit: int = 0, open_units: int = 0):
        self.variant_id = variant_id
        self.limit = limit
        self.open_units = open_units
        super().__init__(message)


class InvalidTransition(Conflict):
    code = "invalid_transition"


class OrderExpired(Conflict):
    code = "order_expired"
    default_message = _("The pickup deadline of this order has passed; it has expired.")


class NotAllowed(DomainError):
    status_code = 403
    code = "not_allowed"
    default_message = _("You are not allowed to do this.")


class PaymentMethodRequired(DomainError):
    code = "payment_method_required"
    default_message = _("Record how the customer paid.")


class ReasonRequired(DomainError):
    code = "reason_required"
    default_message = _("Give a reason.")


class InvalidStockChange(Conflict):
    code = "invalid_stock_change"


class BelowMinimum(DomainError):
    code = "below_minimum"


class InvalidBulkOrder(DomainError):
    code = "invalid_bulk_order"


class InvalidLot(DomainError):
    code = "invalid_lot"


class LotCodeTaken(Conflict):
    code = "lot_code_taken"
