"""The visitor's cart, kept in the session as {variant id: quantity}.

It holds no prices and reserves nothing: prices and stock are read when the
cart is shown and checked again, under lock, when the order is placed.
"""

from django.contrib.sessions.backends.base import SessionBase

from .models import MAX_LINE_QUANTITY, MAX_ORDER_LINES

SESSION_KEY = "cart"


class Cart:
    def __init__(self, session: SessionBase) -> None:
        self.session = session
        raw = session.get(SESSION_KEY) or {}
        self.items: dict[str, int] = {
            str(k): int(v)
            for k, v in raw.items()
            if str(k).isdigit() and isinstance(v, int) and v > 0
        }

    def __len__(self) -> int:
        return len(self.items)

    def units(self) -> int:
        """How many units the cart holds, all lines together (the header's count)."""
        return sum(self.items.values())

    def quantity(self, variant_id: int) -> int:
        return self.items.get(str(variant_id), 0)

    def add(self, variant_id: int, quantity: int) -> int:
        """Adds up to the per-line maximum; returns the quantity now in the cart
        (0 when the cart already holds as many different products as an order may)."""
        key = str(variant_id)
        if key not in self.items and len(self.items) >= MAX_ORDER_LINES:
            return 0
        self.items[key] = min(self.items.get(key, 0) + quantity, MAX_LINE_QUANTITY)
        self._save()
        return self.items[key]

    def set(self, variant_id: int, quantity: int) -> None:
        key = str(variant_id)
        if quantity <= 0:
            self.items.pop(key, None)
        else:
            self.items[key] = min(quantity, MAX_LINE_QUANTITY)
        self._save()

    def clear(self) -> None:
        self.items = {}
        self._save()

    def _save(self) -> None:
        self.session[SESSION_KEY] = self.items
        self.session.modified = True
