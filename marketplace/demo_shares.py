"""Demo purchase shares: one unit on pace, one behind, one without a canteen."""

from decimal import Decimal

from django.utils import timezone

from organizations.models import District, Organization

from .models import BulkOrder, PurchaseShare


def purchase_shares(buyer: dict[str, Organization], dongcheng: District, organization) -> int:
    year = timezone.localdate().year
    settled = sum(
        (
            o.total
            for o in BulkOrder.objects.filter(
                buyer=buyer["supermarket"], status="settled", settled_at__year=year
            )
        ),
        Decimal("0.00"),
    )
    rate = Decimal("0.10")
    # On pace: its settled orders already reach the whole year's target.
    on_pace_budget = (settled / rate).quantize(Decimal("1.00")) if settled else Decimal("50000.00")
    office = organization(
        "demo-dongcheng-street-office",
        Organization.Kind.GOVERNMENT,
        dongcheng,
        "东城示例街道办事处",
        "Demo Dongcheng Street Office",
    )
    rows = [
        (buyer["supermarket"], on_pace_budget, True),
        (buyer["restaurant"], Decimal("200000.00"), True),  # nothing settled yet: behind pace
        (office, Decimal("0.00"), False),  # no canteen: listed, no target
    ]
    for unit, budget, canteen in rows:
        PurchaseShare.objects.update_or_create(
            buyer=unit,
            year=year,
            defaults={
                "food_budget": budget,
                "share_rate": rate,
                "has_canteen": canteen,
                "is_demo": True,
            },
        )
    return len(rows)
