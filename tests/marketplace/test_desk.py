"""The task-focused pickup desk (/vendor/desk/pickup/, issue 14): its JSON
endpoints scoped to the clerk's counters, the undo of a hand-over, and the
offline queue applied exactly once, in scan-time order, with conflicts."""

import json
import uuid
from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from core import desk as offline
from core.models import OfflineAction
from marketplace import errors, services
from marketplace.models import Order, OrderEvent, Stock, StockMovement
from marketplace.selectors import stock_mismatches

from .factories import counter_staff
from .test_vendor import scene, signed_in  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db
DESK = "/vendor/desk/pickup/"


def action(code, *, payment="cash", minutes_ago=0, nonce=None, kind="handover"):
    return {
        "nonce": str(nonce or uuid.uuid4()),
        "kind": kind,
        "code": code,
        "scanned_at": (timezone.now() - timedelta(minutes=minutes_ago)).isoformat(),
        "payment_method": payment,
    }


def sync(client, *actions):
    return client.post(
        DESK + "sync", json.dumps({"actions": list(actions)}), content_type="application/json"
    )


def test_the_desk_page_is_task_focused_and_may_use_the_camera(scene):  # noqa: F811
    # when the clerk opens the desk
    response = signed_in(scene.counter1_user).get(DESK)
    # then it is the desk's own page: one big code box, no admin chrome, its scripts from static
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="desk-code"' in html and "breadcrumbs" not in html
    assert "/static/js/desk/desk.js" in html and "<script>" not in html
    assert 'rel="manifest"' in html
    assert response["Permissions-Policy"] == "camera=(self)"
    # and only the desk pages may use the camera
    assert "Permissions-Policy" not in signed_in(scene.counter1_user).get("/vendor/")


def test_signed_out_the_page_asks_to_sign_in_and_the_api_answers_403(scene):  # noqa: F811
    assert Client().get(DESK).status_code == 302
    response = Client().get(DESK + "snapshot")
    assert response.status_code == 403
    assert response.json()["code"] == "not_authenticated"
    # someone with no counter (a producer) gets neither
    assert signed_in(scene.producer1_user).get(DESK).status_code == 403
    assert signed_in(scene.producer1_user).get(DESK + "snapshot").status_code == 403


def test_staff_of_counter_a_never_see_the_orders_of_counter_b(scene):  # noqa: F811
    # given order1 at counter1 and order2 at counter2
    client = signed_in(scene.counter1_user)
    # then counter1's snapshot lists only its own order
    data = client.get(DESK + "snapshot").json()
    assert [item["code"] for item in data["data"]["items"]] == [scene.order1.pickup_code]
    # nor can the other counter's order be found, nor handed over, nor undone
    assert client.get(DESK + "find", {"code": scene.order2.pickup_code}).status_code == 404
    result = sync(client, action(scene.order2.pickup_code)).json()["results"][0]
    assert (result["result"], result["conflict"]) == ("conflict", "not_found")
    assert Order.objects.get(pk=scene.order2.pk).status == "placed"
    response = client.post(
        DESK + "undo", json.dumps({"code": scene.order2.pickup_code}), "application/json"
    )
    assert response.status_code == 400


def test_the_snapshot_is_signed_with_the_user_and_the_counters(scene):  # noqa: F811
    # when
    data = signed_in(scene.counter1_user).get(DESK + "snapshot").json()
    # then the signed copy says whose and which counters it is, and tampering is refused
    content = offline.read_snapshot(data["signed"], user=scene.counter1_user, desk="pickup")
    assert content["scope"] == [scene.counter1.pk]
    assert content["data"]["items"][0]["name"] == scene.customer.username
    with pytest.raises(offline.DomainError) as refused:
        offline.read_snapshot(data["signed"], user=scene.counter2_user, desk="pickup")
    assert refused.value.code == "bad_snapshot"
    with pytest.raises(signing.BadSignature):
        signing.TimestampSigner(salt=offline.SNAPSHOT_SALT).unsign_object(data["signed"] + "x")


def test_a_hand_over_then_its_undo_restores_the_stock(scene):  # noqa: F811
    # given a placed order and what was on hand
    client, order = signed_in(scene.counter1_user), scene.order1
    before = Stock.objects.get(pk=scene.stock1.pk)
    # when it is handed over at the desk (an online action is a queue of one)
    result = sync(client, action(order.pickup_code, payment="wechat")).json()
    assert result["results"][0]["result"] == "applied"
    assert result["items"][0]["status"] == "collected"
    # and undone
    response = client.post(
        DESK + "undo", json.dumps({"code": order.pickup_code}), "application/json"
    )
    # then the order is ready again, unpaid, the sale reversed in the ledger, all audited
    assert response.status_code == 200, response.content
    order.refresh_from_db()
    assert (order.status, order.payment_method, order.closed_at) == ("ready", "", None)
    stock = Stock.objects.get(pk=scene.stock1.pk)
    assert (stock.on_hand, stock.held) == (before.on_hand, before.held)
    assert StockMovement.objects.filter(order=order, kind="sale_undone").count() == 1
    last = OrderEvent.objects.filter(order=order).order_by("-pk").first()
    assert (last.from_status, last.to_status, last.by) == (
        "collected",
        "ready",
        scene.counter1_user,
    )
    assert stock_mismatches() == []
    # and it can be handed over again
    assert sync(client, action(order.pickup_code)).json()["results"][0]["result"] == "applied"


def test_undo_is_for_the_same_clerk_or_a_manager_within_the_window(scene, settings):  # noqa: F811
    # given a hand-over by one clerk
    order = scene.order1
    colleague = counter_staff(scene.counter1, "colleague")
    manager = counter_staff(scene.counter1, "boss", role="manager")
    services.order_hand_over(order=order, by=scene.counter1_user, payment_method="cash")
    # then a colleague may not undo it, a manager may
    with pytest.raises(errors.NotAllowed):
        services.order_undo_hand_over(order=order, by=colleague)
    services.order_undo_hand_over(order=order, by=manager)
    # and past the window nobody may
    services.order_hand_over(order=order, by=scene.counter1_user, payment_method="cash")
    OrderEvent.objects.filter(order=order, to_status="collected").update(
        at=timezone.now() - timedelta(minutes=settings.DESK_UNDO_MINUTES + 1)
    )
    with pytest.raises(errors.InvalidTransition):
        services.order_undo_hand_over(order=order, by=scene.counter1_user)
    assert Order.objects.get(pk=order.pk).status == "collected"


def test_offline_actions_apply_once_in_scan_time_order(scene):  # noqa: F811
    # given two hand-overs of the same order queued offline (two taps), the later sent first
    client, code = signed_in(scene.counter1_user), scene.order1.pickup_code
    first, second = action(code, minutes_ago=5), action(code, minutes_ago=1)
    # when the batch arrives, and is sent again (the answer was lost)
    results = sync(client, second, first).json()["results"]
    again = sync(client, second, first).json()["results"]
    # then the earlier scan is the hand-over and the later one a conflict, once each
    assert [(r["nonce"], r["result"]) for r in results] == [
        (first["nonce"], "applied"),
        (second["nonce"], "conflict"),
    ]
    assert results[1]["conflict"] == "already_collected"
    assert [r["result"] for r in again] == ["duplicate", "duplicate"]
    assert OfflineAction.objects.count() == 2
    assert StockMovement.objects.filter(order=scene.order1, kind="sale").count() == 1
    # and the event is dated at the scan, not at the upload
    event = OrderEvent.objects.get(order=scene.order1, to_status="collected")
    assert abs(event.at - timezone.datetime.fromisoformat(first["scanned_at"])) < timedelta(
        seconds=1
    )


def test_conflicts_are_listed_until_the_clerk_resolves_them(scene):  # noqa: F811
    # given an order cancelled at the counter while a colleague's phone was offline
    client, order = signed_in(scene.counter1_user), scene.order1
    services.order_transition(order=order, to="cancelled", by=scene.counter1_user, reason="gone")
    queued = action(order.pickup_code)
    # when the phone syncs
    result = sync(client, queued).json()["results"][0]
    # then it is a conflict, in the list, until resolved
    assert (result["result"], result["conflict"]) == ("conflict", "cancelled")
    listed = client.get(DESK + "conflicts").json()["conflicts"]
    assert [c["nonce"] for c in listed] == [queued["nonce"]]
    response = client.post(
        DESK + "conflicts", json.dumps({"nonce": queued["nonce"]}), "application/json"
    )
    assert response.json()["conflicts"] == []
    # another clerk's conflicts are not theirs to see
    assert signed_in(scene.counter2_user).get(DESK + "conflicts").json()["conflicts"] == []


def test_a_malformed_batch_is_refused_whole_and_nothing_is_written(scene):  # noqa: F811
    client = signed_in(scene.counter1_user)
    good = action(scene.order1.pickup_code)
    for bad in (
        {**good, "nonce": "not-a-uuid"},
        {**good, "kind": "launch"},
        {**good, "scanned_at": "yesterday"},
        {**good, "code": ""},
        "text",
    ):
        response = sync(client, good, bad)
        assert response.status_code == 400, bad
        assert response.json()["code"] == "invalid_actions"
    assert client.post(DESK + "sync", "{", content_type="application/json").status_code == 400
    assert sync(client).status_code == 400
    # the same nonce twice in one batch is malformed too
    assert sync(client, good, good).status_code == 400
    assert OfflineAction.objects.count() == 0
    assert Order.objects.get(pk=scene.order1.pk).status == "placed"


def test_a_hand_over_needs_the_payment_choice_and_a_stale_scan_is_refused(scene):  # noqa: F811
    client, code = signed_in(scene.counter1_user), scene.order1.pickup_code
    result = sync(client, action(code, payment="")).json()["results"][0]
    assert (result["result"], result["conflict"]) == ("conflict", "payment_method_required")
    result = sync(client, action(code, minutes_ago=60 * 24 * 4)).json()["results"][0]
    assert (result["result"], result["conflict"]) == ("conflict", "too_old")
    result = sync(client, action(code, minutes_ago=-60)).json()["results"][0]
    assert (result["result"], result["conflict"]) == ("conflict", "clock")
    assert Order.objects.get(pk=scene.order1.pk).status == "placed"


def test_an_expired_order_is_a_conflict_its_stock_is_gone(scene):  # noqa: F811
    # given an order past its deadline while the phone was offline
    Order.objects.filter(pk=scene.order1.pk).update(
        pickup_deadline=timezone.now() - timedelta(minutes=30)
    )
    # when a hand-over scanned after the deadline arrives
    result = sync(signed_in(scene.counter1_user), action(scene.order1.pickup_code)).json()
    # then it is refused as a conflict
    assert result["results"][0]["conflict"] == "order_expired"


def test_todays_list_is_three_queries_whatever_its_length(
    scene,  # noqa: F811
    django_assert_max_num_queries,
):
    from marketplace.desk import pickup_desk

    for _ in range(5):
        services.order_place(
            customer=scene.other_customer,
            counter=scene.counter1,
            lines=[(scene.chestnut_bag.pk, 1)],
        )
    user = scene.counter1_user
    user._counter_ids = [scene.counter1.pk]  # as after the first read of a request
    with django_assert_max_num_queries(3):
        items = pickup_desk.items(user, timezone.now())
    assert len(items) == 6


def test_a_queue_of_100_hand_overs_syncs_in_one_upload(scene):  # noqa: F811
    # given 100 orders handed over offline (the README gives the time this takes)
    import time

    from tests.factories import UserFactory

    from .factories import receive

    receive(scene.counter1, scene.chestnut_box, 100)
    customers = [UserFactory() for _ in range(10)]  # at most 20 open units each
    codes = [
        services.order_place(
            customer=customers[n % 10],
            counter=scene.counter1,
            lines=[(scene.chestnut_box.pk, 1)],
            notify=False,
        ).pickup_code
        for n in range(100)
    ]
    queue = [action(code, minutes_ago=100 - n) for n, code in enumerate(codes)]
    # when the phone is back online
    started = time.perf_counter()
    response = sync(signed_in(scene.counter1_user), *queue)
    elapsed = time.perf_counter() - started
    # then every one is applied, once
    assert response.status_code == 200
    assert [r["result"] for r in response.json()["results"]] == ["applied"] * 100
    assert Order.objects.filter(pickup_code__in=codes, status="collected").count() == 100
    assert elapsed < 120, elapsed  # generous: a loaded 2-core machine
    print(f"\n100 queued hand-overs synced in {elapsed:.2f} s")
