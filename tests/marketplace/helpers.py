"""Small helpers the marketplace tests share (fixtures are in conftest.py,
factories in factories.py)."""

from marketplace.models import Order, OrderEvent, OrderLine, StockMovement


def counts() -> tuple[int, int, int, int]:
    """How many orders, lines, ledger rows and audit events exist: a refused
    request must leave all four as they were."""
    return (
        Order.objects.count(),
        OrderLine.objects.count(),
        StockMovement.objects.count(),
        OrderEvent.objects.count(),
    )
