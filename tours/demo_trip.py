"""Demo data of "one trip, produce included": a Huairou counter at the gate
of Hongluo Temple (on the way of 天坛+红螺寺+慕田峪), stocked with the
chestnuts of Lixiangyu, and one demo booking of that route that brings
produce home (collected there). Idempotent, like every demo loader."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from accounts.demo import ensure_user
from marketplace.models import (
    Centre,
    Counter,
    CounterStaff,
    ProductVariant,
    StockMovement,
)
from marketplace.services import stock_receive
from organizations.demo import ensure_member
from organizations.models import District, Organization

from . import services
from .models import BookingProduce, Departure

ROUTE = "temple-of-heaven-hongluo-mutianyu"
CENTRE_SLUG = "hongluo-visitor-centre"
TRIP_STOCK_REASON = "opening stock (trip demo)"
# (sku, units) received at the Hongluo counter
STOCK = (("HR-CHESTNUT-500", 30), ("HR-CHESTNUT-2500", 8), ("HR-KERNEL-100", 40))


def _counter(huairou: District) -> Counter | None:
    chestnuts = ProductVariant.objects.select_related("product__producer").filter(
        sku="HR-CHESTNUT-500"
    )
    variant = chestnuts.first()
    if variant is None:  # the marketplace demo is not loaded
        return None
    org, _ = Organization.objects.update_or_create(
        slug=CENTRE_SLUG,
        defaults={
            "kind": Organization.Kind.SUPPORT_CENTRE,
            "district": huairou,
            "name_zh_hans": "红螺寺游客中心消费帮扶展销点",
            "name_en": "Hongluo Temple Visitor Centre Produce Shop",
            "is_demo": True,
        },
    )
    centre, _ = Centre.objects.update_or_create(
        organization=org,
        defaults={
            "address_zh_hans": "怀柔区红螺东路2号 红螺寺景区游客中心",
            "address_en": "Hongluo Temple visitor centre, 2 Hongluo East Road, Huairou",
            "opening_hours_zh_hans": "每天 8:00–17:00",
            "opening_hours_en": "Daily 8:00–17:00",
            "latitude": Decimal("40.373400"),
            "longitude": Decimal("116.626800"),
            "position": 10,
        },
    )
    counter, _ = Counter.objects.update_or_create(
        centre=centre,
        name_zh_hans="怀柔专柜",
        defaults={
            "name_en": "Huairou counter",
            "kind": Counter.Kind.COUNTER,
            "location_zh_hans": "游客中心一层",
            "location_en": "Visitor centre, ground floor",
            "is_demo": True,
        },
    )
    counter.producers.add(variant.product.producer)
    return counter


def _stock(counter: Counter) -> int:
    staff = ensure_member(
        "counter3", counter.centre.organization, role="staff", first_name="红螺寺专柜"
    )
    CounterStaff.objects.get_or_create(counter=counter, user=staff)
    done = 0
    for variant in ProductVariant.objects.filter(sku__in=[sku for sku, _n in STOCK]).select_related(
        "product"
    ):
        if StockMovement.objects.filter(
            stock__counter=counter, stock__variant=variant, reason=TRIP_STOCK_REASON
        ).exists():
            continue
        stock_receive(
            counter=counter,
            variant=variant,
            quantity=dict(STOCK)[variant.sku],
            by=staff,
            reason=TRIP_STOCK_REASON,
        )
        done += 1
    return done


def _booking(counter: Counter, today: dt.date) -> int:
    """One booking with produce, two weeks ahead (the first departure of the
    route is the demo's full one), unless one is already ahead."""
    customer = ensure_user("visitor", first_name="游客", phone="13800000001")
    if BookingProduce.objects.filter(
        booking__customer=customer,
        booking__departure__route__slug=ROUTE,
        booking__departure__date__gte=today,
    ).exists():
        return 0
    departure = (
        Departure.objects.filter(route__slug=ROUTE, date__gte=today + dt.timedelta(days=14))
        .order_by("date")
        .first()
    )
    chestnuts = ProductVariant.objects.filter(sku="HR-CHESTNUT-500").first()
    if departure is None or chestnuts is None:
        return 0
    services.booking_create(
        customer=customer,
        departure_id=departure.pk,
        seats=2,
        contact_name="游客",
        contact_phone="13800000001",
        travellers=[{"name": "游客", "type": "adult"}, {"name": "游客家属", "type": "adult"}],
        language="zh-hans",
        produce=[{"variant": chestnuts.pk, "quantity": 2}],
        pickup_counter=counter.pk,
    )
    return 1


def load(huairou: District) -> str:
    counter = _counter(huairou)
    if counter is None:
        return "no trip produce (the marketplace demo is not loaded)"
    received = _stock(counter)
    made = _booking(counter, timezone.localdate())
    return f"1 counter on the way, {received} new receipts there, {made} new booking with produce"
