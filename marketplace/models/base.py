"""Constants shared by the marketplace's models, services and forms."""

from django.core.validators import MaxValueValidator, MinValueValidator

from cooperation.models import Organization

PRODUCER_KINDS = (Organization.Kind.PRODUCER, Organization.Kind.COOPERATIVE)
BUYER_KINDS = (Organization.Kind.SUPERMARKET, Organization.Kind.RESTAURANT)

# Per order line at a counter: more than this is not a household purchase
# (shops and restaurants use the bulk channel) and is refused as absurd.
MAX_LINE_QUANTITY = 99
MAX_ORDER_LINES = 30
# Per bulk order line: a truckload, not a typo.
MAX_BULK_LINE_QUANTITY = 100_000
# At or below this many units a counter shows "few left" instead of "in stock".
FEW_LEFT = 5

money = {"max_digits": 12, "decimal_places": 2}
month_validators = [MinValueValidator(1), MaxValueValidator(12)]
