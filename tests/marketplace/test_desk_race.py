"""The desk's exactly-once rule under concurrent uploads, on PostgreSQL:
real threads, each with its own connection, sending the same queued
hand-over (a phone retrying while its first upload is still running, two
tabs), and two devices handing over one order at once."""

import uuid
from collections import Counter as Tally

import pytest
from django.utils import timezone

from core import desk as offline
from core.models import OfflineAction
from marketplace import services
from marketplace.models import Order, OrderEvent, StockMovement
from marketplace.selectors import stock_mismatches
from tests.factories import UserFactory

from .factories import counter_staff
from .test_race import run_together, stocked_counter

pytestmark = [pytest.mark.race, pytest.mark.django_db(transaction=True)]


def queued(code: str, nonce=None) -> offline.DeskAction:
    return offline.DeskAction(
        nonce=nonce or uuid.uuid4(),
        kind="handover",
        code=code,
        scanned_at=timezone.now(),
        payment_method="cash",
    )


def test_the_same_action_uploaded_8_times_at_once_is_applied_once():
    # given an order and one queued hand-over of it
    counter, (variant,) = stocked_counter(5)
    clerk = counter_staff(counter, "clerk")
    order = services.order_place(customer=UserFactory(), counter=counter, lines=[(variant.pk, 2)])
    action = queued(order.pickup_code)

    # when eight uploads of it race
    def upload():
        (outcome,) = services.apply_offline_actions(actor=clerk, actions=[action])
        return outcome.result

    results = run_together([upload] * 8)

    # then one applied it and seven were told it was a duplicate
    assert Tally(results) == {"applied": 1, "duplicate": 7}
    assert OfflineAction.objects.filter(nonce=action.nonce).count() == 1
    assert Order.objects.get(pk=order.pk).status == "collected"
    assert StockMovement.objects.filter(order=order, kind="sale").count() == 1
    assert OrderEvent.objects.filter(order=order, to_status="collected").count() == 1
    assert stock_mismatches() == []


def test_two_devices_handing_over_one_order_at_once_give_one_conflict():
    # given two clerks' phones, each with its own queued hand-over of the same order
    counter, (variant,) = stocked_counter(5)
    clerks = [counter_staff(counter, "clerk-a"), counter_staff(counter, "clerk-b")]
    order = services.order_place(customer=UserFactory(), counter=counter, lines=[(variant.pk, 1)])
    jobs = []
    for clerk in clerks:
        action = queued(order.pickup_code)
        jobs.append(
            lambda clerk=clerk, action=action: services.apply_offline_actions(
                actor=clerk, actions=[action]
            )[0]
        )

    # when both upload at the same moment
    outcomes = run_together(jobs)

    # then one hand-over is applied and the other is the conflict the clerk sees
    assert sorted(o.result for o in outcomes) == ["applied", "conflict"]
    (conflict,) = [o for o in outcomes if o.result == "conflict"]
    assert conflict.conflict == "already_collected"
    assert StockMovement.objects.filter(order=order, kind="sale").count() == 1
    assert OfflineAction.objects.filter(result="conflict", resolved_at__isnull=True).count() == 1
