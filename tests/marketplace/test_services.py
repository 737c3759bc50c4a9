"""Services: order placement, transitions, stock ledger, expiry, reminders, bulk orders."""

from datetime import timedelta
from decimal import Decimal
from functools import partial

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from core import codes
from marketplace import errors, services
from marketplace.models import (
    MAX_LINE_QUANTITY,
    BulkOrder,
    Order,
    OrderLine,
    Stock,
    StockMovement,
)
from marketplace.selectors import stock_mismatches, with_available
from tests.factories import AreaFactory

from .helpers import counts

pytestmark = pytest.mark.django_db


def available(variant, counter) -> int:
    return with_available(Stock.objects.filter(variant=variant, counter=counter)).get().available


def place(world, lines=None, **kwargs):
    kwargs.setdefault("customer", world.customer)
    kwargs.setdefault("counter", world.counter1)
    return services.order_place(
        lines=lines or [{"variant": world.chestnut_bag.pk, "quantity": 2}], **kwargs
    )


def at_counter1(world, stock_service):
    """``stock_service`` (receive or correct) for chestnut bags at counter 1, by its staff."""
    return partial(
        stock_service, counter=world.counter1, variant=world.chestnut_bag, by=world.counter1_user
    )


# --- Placing ---------------------------------------------------------------------------


def test_place_holds_stock_and_copies_names_and_prices(world):
    # when
    order = place(world, [(world.chestnut_bag.pk, 2), (world.potato_bag, 3)])
    # then
    assert order.status == Order.Status.PLACED
    assert order.total == Decimal("87.50")  # 2 × 25.00 + 3 × 12.50
    assert len(order.pickup_code) == 6
    assert set(order.pickup_code) <= set(codes.ALPHABET)
    assert order.pickup_deadline == order.placed_at + timedelta(days=3)
    line = order.lines.get(variant=world.chestnut_bag)
    assert (line.product_name_zh_hans, line.product_name_en) == ("怀柔板栗", "Huairou chestnuts")
    assert (line.variant_name_zh_hans, line.variant_name_en) == ("500克袋装", "500 g bag")
    assert (line.unit_price, line.line_total, line.sku) == (
        Decimal("25.00"),
        Decimal("50.00"),
        "CH-500",
    )
    assert line.producer == world.producer1 and line.village == world.producer1.area
    stock = Stock.objects.get(variant=world.chestnut_bag, counter=world.counter1)
    assert (stock.on_hand, stock.held) == (10, 2)
    assert available(world.chestnut_bag, world.counter1) == 8
    hold = StockMovement.objects.get(order=order, stock=stock)
    assert (hold.kind, hold.quantity, hold.held_delta) == ("hold", 0, 2)
    event = order.events.get()
    assert (event.from_status, event.to_status, event.by) == ("", "placed", world.customer)
    assert stock_mismatches() == []


def test_a_line_records_the_products_own_village_before_the_producers(world):
    village = AreaFactory(name="汤河口村")
    world.potato_bag.product.origin_area = village
    world.potato_bag.product.save()
    order = place(world, [(world.potato_bag.pk, 1), (world.chestnut_bag.pk, 1)])
    villages = {line.variant_id: line.village for line in order.lines.all()}
    assert villages == {world.potato_bag.pk: village, world.chestnut_bag.pk: world.producer1.area}


def test_price_change_later_leaves_the_order_alone(world):
    order = place(world)
    world.chestnut_bag.unit_price = Decimal("99.00")
    world.chestnut_bag.save()
    assert order.lines.get().unit_price == Decimal("25.00")
    assert Order.objects.get(pk=order.pk).total == Decimal("50.00")


def test_same_variant_twice_is_added_up(world):
    order = place(world, [(world.chestnut_bag.pk, 2), (world.chestnut_bag.pk, 3)])
    assert order.lines.get().quantity == 5


@pytest.mark.parametrize(
    ("lines", "error"),
    [
        ([], errors.EmptyOrder),
        ([(None, 1)], errors.UnknownVariant),
        ([("7", 1)], errors.UnknownVariant),
        ([(999_999, 1)], errors.UnknownVariant),
        ("zero", errors.InvalidQuantity),
        ("negative", errors.InvalidQuantity),
        ("huge", errors.InvalidQuantity),
        ("float", errors.InvalidQuantity),
        ("bool", errors.InvalidQuantity),
    ],
)
def test_bad_lines_are_refused_and_nothing_is_written(world, lines, error):
    variant = world.chestnut_bag.pk
    if isinstance(lines, str):
        lines = {
            "zero": [(variant, 0)],
            "negative": [(variant, -3)],
            "huge": [(variant, 10**12)],
            "float": [(variant, 1.5)],
            "bool": [(variant, True)],
        }[lines]
    before = counts()
    with pytest.raises(error) as caught:
        services.order_place(customer=world.customer, counter=world.counter1, lines=lines)
    assert caught.value.status_code == 400
    assert str(caught.value.message)
    assert counts() == before


def test_more_than_the_per_line_maximum_is_absurd(world):
    with pytest.raises(errors.InvalidQuantity, match=str(MAX_LINE_QUANTITY)):
        place(world, [(world.chestnut_bag.pk, MAX_LINE_QUANTITY + 1)])


def test_variant_not_carried_at_that_counter(world):
    # counter2 does not carry producer2's sweet potatoes
    before = counts()
    with pytest.raises(errors.VariantNotCarried) as caught:
        place(world, [(world.potato_bag.pk, 1)], counter=world.counter2)
    assert "汤河红薯" in str(caught.value.message) or "Tanghe" in str(caught.value.message)
    assert counts() == before


def test_inactive_variant_or_counter(world):
    world.chestnut_box.is_active = False
    world.chestnut_box.save()
    with pytest.raises(errors.UnknownVariant):
        place(world, [(world.chestnut_box.pk, 1)])
    # a product taken off sale: its stocked variants can't be ordered either
    world.potato_bag.product.is_active = False
    world.potato_bag.product.save()
    before = counts()
    with pytest.raises(errors.UnknownVariant, match=str(world.potato_bag.pk)):
        place(world, [(world.chestnut_bag.pk, 1), (world.potato_bag.pk, 1)])
    assert counts() == before
    world.counter1.is_active = False
    world.counter1.save()
    with pytest.raises(errors.CounterUnavailable):
        place(world)


def test_insufficient_stock_names_the_line_and_writes_nothing(world):
    before = counts()
    with pytest.raises(errors.InsufficientStock) as caught:
        # the first line fits, the second does not: all or nothing
        place(world, [(world.chestnut_bag.pk, 2), (world.chestnut_box.pk, 11)])
    assert caught.value.status_code == 409
    assert caught.value.variant_id == world.chestnut_box.pk
    assert caught.value.available == 10
    assert "10" in str(caught.value.message)
    assert counts() == before
    assert available(world.chestnut_bag, world.counter1) == 10


def test_no_stock_row_at_all_is_insufficient(world):
    with pytest.raises(errors.InsufficientStock):
        place(world, [(world.chestnut_box.pk, 1)], counter=world.counter2)


def test_pickup_codes_are_unique_among_open_orders(world, monkeypatch):
    codes = iter(["AAAAAA", "AAAAAA", "BBBBBB"])
    monkeypatch.setattr(services.orders, "_new_pickup_code", lambda: next(codes))
    first = place(world, [(world.chestnut_bag.pk, 1)])
    second = place(world, [(world.chestnut_bag.pk, 1)])
    assert (first.pickup_code, second.pickup_code) == ("AAAAAA", "BBBBBB")


def test_a_closed_orders_code_may_be_drawn_again(world, monkeypatch):
    codes = iter(["AAAAAA", "AAAAAA"])
    monkeypatch.setattr(services.orders, "_new_pickup_code", lambda: next(codes))
    first = place(world, [(world.chestnut_bag.pk, 1)])
    services.order_transition(order=first, to="cancelled", by=world.customer)
    assert place(world, [(world.chestnut_bag.pk, 1)]).pickup_code == "AAAAAA"


def test_placed_email_after_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = place(world)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["customer@example.org"]
    assert order.pickup_code_display in mail.outbox[0].subject


def test_no_email_when_placement_fails(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(errors.InsufficientStock):
        place(world, [(world.chestnut_bag.pk, 50)])
    assert mail.outbox == []


# With the production queue (django-tasks-db): the e-mail is a row written in
# the order's own transaction, sent by `manage.py db_worker` once committed.
# Real commits here, as the worker runs in its own transactions.


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_queued_email_is_sent_by_the_worker(world, database_queue):
    from django_tasks_db.models import DBTaskResult

    order = place(world)
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "marketplace.tasks.send_order_email"
    assert queued.args_kwargs == {"args": [], "kwargs": {"order_id": order.pk, "kind": "placed"}}
    assert mail.outbox == []  # nothing sent in the request
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["customer@example.org"]
    assert order.pickup_code_display in mail.outbox[0].subject
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_queued_email_rolls_back_with_the_order(world, database_queue):
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    with pytest.raises(RuntimeError), transaction.atomic():
        place(world)
        raise RuntimeError("something later in the same transaction fails")
    assert (Order.objects.count(), DBTaskResult.objects.count()) == (0, 0)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert mail.outbox == []


# --- Transitions ---------------------------------------------------------------------------


def test_ready_then_collected_is_a_sale(world, django_capture_on_commit_callbacks):
    order = place(world, [(world.chestnut_bag.pk, 2)])
    with django_capture_on_commit_callbacks(execute=True):
        services.order_transition(order=order, to="ready", by=world.counter1_user)
    assert len(mail.outbox) == 1
    assert order.pickup_code_display in mail.outbox[0].subject
    assert mail.outbox[0].to == ["customer@example.org"]
    order = services.order_transition(
        order=order, to="collected", by=world.counter1_user, payment_method="wechat"
    )
    assert order.status == "collected" and order.payment_method == "wechat" and order.closed_at
    stock = Stock.objects.get(variant=world.chestnut_bag, counter=world.counter1)
    assert (stock.on_hand, stock.held) == (8, 0)
    sale = StockMovement.objects.get(order=order, kind="sale")
    assert (sale.quantity, sale.held_delta, sale.created_by) == (-2, -2, world.counter1_user)
    assert [(e.from_status, e.to_status) for e in order.events.all()] == [
        ("", "placed"),
        ("placed", "ready"),
        ("ready", "collected"),
    ]
    assert stock_mismatches() == []


def test_collection_needs_a_payment_method(world):
    order = place(world)
    services.order_transition(order=order, to="ready", by=world.counter1_user)
    for method in (None, "", "bitcoin"):
        with pytest.raises(errors.PaymentMethodRequired):
            services.order_transition(
                order=order, to="collected", by=world.counter1_user, payment_method=method
            )
    assert Order.objects.get(pk=order.pk).status == "ready"


def test_customer_cancels_before_ready_and_stock_returns(world):
    order = place(world, [(world.chestnut_bag.pk, 4)])
    services.order_transition(order=order, to="cancelled", by=world.customer)
    assert available(world.chestnut_bag, world.counter1) == 10
    release = StockMovement.objects.get(order=order, kind="release")
    assert (release.quantity, release.held_delta) == (0, -4)
    assert stock_mismatches() == []


def test_customer_cannot_cancel_once_ready_but_staff_can(world, django_capture_on_commit_callbacks):
    order = place(world)
    services.order_transition(order=order, to="ready", by=world.counter1_user)
    with pytest.raises(errors.InvalidTransition):
        services.order_transition(order=order, to="cancelled", by=world.customer)
    with pytest.raises(errors.ReasonRequired):
        services.order_transition(order=order, to="cancelled", by=world.counter1_user)
    with django_capture_on_commit_callbacks(execute=True):
        services.order_transition(
            order=order, to="cancelled", by=world.counter1_user, reason="spoiled"
        )
    assert Order.objects.get(pk=order.pk).status == "cancelled"
    assert "spoiled" in mail.outbox[-1].body
    assert order.events.last().reason == "spoiled"


@pytest.mark.parametrize(
    ("path", "to"),
    [
        (["ready", "collected"], "cancelled"),
        (["ready", "collected"], "placed"),  # collected → ready is the desk's undo
        (["cancelled"], "ready"),
        (["cancelled"], "cancelled"),
        ([], "collected"),
        ([], "placed"),
        ([], "shipped"),
    ],
)
def test_invalid_transitions_are_conflicts(world, path, to):
    order = place(world)
    for step in path:
        services.order_transition(
            order=order, to=step, by=world.counter1_user, payment_method="cash", reason="test"
        )
    before = counts()
    with pytest.raises(errors.InvalidTransition) as caught:
        services.order_transition(
            order=order, to=to, by=world.counter1_user, payment_method="cash", reason="x"
        )
    assert caught.value.status_code == 409
    assert counts() == before


def test_only_the_customer_or_that_counters_staff(world):
    order = place(world)
    with pytest.raises(errors.NotAllowed):
        services.order_transition(order=order, to="cancelled", by=world.other_customer)
    with pytest.raises(errors.NotAllowed):
        services.order_transition(
            order=order, to="ready", by=world.counter2_user
        )  # another counter
    with pytest.raises(errors.NotAllowed):
        services.order_transition(order=order, to="ready", by=world.customer)
    with pytest.raises(errors.NotAllowed):
        services.order_transition(order=order, to="ready", by=world.producer1_user)
    assert Order.objects.get(pk=order.pk).status == "placed"


def test_centre_manager_works_at_every_counter_of_the_centre(world):
    from tests.marketplace.factories import CounterFactory, member

    sibling = CounterFactory(centre=world.counter1.centre, producers=[world.producer1])
    manager = member(world.counter1.centre.organization, "centre-manager", role="manager")
    from marketplace.selectors import counter_ids_for

    assert set(counter_ids_for(manager)) == {world.counter1.pk, sibling.pk}
    # a staff member sees only the counters assigned to them
    assert counter_ids_for(world.counter1_user) == [world.counter1.pk]


# --- Expiry ----------------------------------------------------------------------------------


def test_expiry_is_right_at_read_time_without_the_command(world):
    order = place(world, [(world.chestnut_bag.pk, 10)])
    assert available(world.chestnut_bag, world.counter1) == 0
    Order.objects.filter(pk=order.pk).update(pickup_deadline=timezone.now() - timedelta(minutes=1))
    # nobody ran expire_orders: the cached figure still says held, the answer does not
    assert Stock.objects.get(variant=world.chestnut_bag, counter=world.counter1).held == 10
    assert available(world.chestnut_bag, world.counter1) == 10
    # and a new order can have the units
    again = place(world, [(world.chestnut_bag.pk, 10)])
    assert again.status == "placed"
    # the overdue order can no longer be collected
    with pytest.raises(errors.OrderExpired):
        services.order_transition(order=order, to="ready", by=world.counter1_user)
    assert Order.objects.get(pk=order.pk).effective_status() == "expired"


def test_expire_orders_command_tidies_and_mails_nobody(world, django_capture_on_commit_callbacks):
    order = place(world, [(world.chestnut_bag.pk, 3)])
    fresh = place(world, [(world.chestnut_bag.pk, 1)])
    Order.objects.filter(pk=order.pk).update(pickup_deadline=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("expire_orders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert mail.outbox == []
    order.refresh_from_db()
    assert order.status == "expired" and order.closed_at
    assert Order.objects.get(pk=fresh.pk).status == "placed"
    event = order.events.last()
    assert (event.to_status, event.by) == ("expired", None)
    assert StockMovement.objects.get(order=order, kind="expiry_release").held_delta == -3
    stock = Stock.objects.get(variant=world.chestnut_bag, counter=world.counter1)
    assert (stock.on_hand, stock.held) == (10, 1)
    assert stock_mismatches() == []
    # running it again changes nothing
    assert services.expire_overdue_orders() == 0


def test_an_order_cannot_expire_before_its_deadline(world):
    order = place(world)
    with pytest.raises(errors.InvalidTransition):
        services.order_transition(order=order, to="expired", by=None)


def test_the_system_expires_and_cancels_a_placed_order_only_with_a_reason(world):
    # The system's one cancellation: a tour operator cancelled the trip the
    # order was to be collected on (tests/tours/test_trip_produce.py).
    order = place(world)
    with pytest.raises(errors.ReasonRequired):
        services.order_transition(order=order, to="cancelled", by=None)
    services.order_transition(order=order, to="cancelled", by=None, reason="trip cancelled")
    order.refresh_from_db()
    assert order.status == "cancelled"
    ready = place(world)
    services.order_transition(order=ready, to="ready", by=world.counter1_user)
    with pytest.raises(errors.NotAllowed):
        services.order_transition(order=ready, to="cancelled", by=None, reason="x")


# --- Reminders ---------------------------------------------------------------------------------


def test_reminder_the_day_before_the_deadline_once(world, django_capture_on_commit_callbacks):
    soon = place(world, [(world.chestnut_bag.pk, 1)])
    later = place(world, [(world.chestnut_bag.pk, 1)])
    Order.objects.filter(pk=soon.pk).update(pickup_deadline=timezone.now() + timedelta(hours=20))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_pickup_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1
    assert soon.pickup_code_display in mail.outbox[0].subject
    assert Order.objects.get(pk=soon.pk).reminder_sent_at is not None
    assert Order.objects.get(pk=later.pk).reminder_sent_at is None
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_pickup_reminders() == 0
    assert len(mail.outbox) == 1


def test_email_in_the_language_of_the_order(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = place(world, language="en")
        services.order_transition(order=order, to="ready", by=world.counter1_user)
    assert "Ready for pickup" in mail.outbox[-1].subject
    assert "Pickup code" in mail.outbox[-1].body


# --- Stock services ---------------------------------------------------------------------------


def test_receive_and_correct(world):
    movement = services.stock_receive(
        counter=world.counter2,
        variant=world.chestnut_box,
        quantity=5,
        by=world.counter2_user,
        reason="delivery 12",
    )
    assert (movement.kind, movement.quantity, movement.created_by) == (
        "receipt",
        5,
        world.counter2_user,
    )
    services.stock_correct(
        counter=world.counter2,
        variant=world.chestnut_box,
        quantity=-2,
        by=world.counter2_user,
        reason="crushed box",
    )
    assert Stock.objects.get(variant=world.chestnut_box, counter=world.counter2).on_hand == 3
    assert stock_mismatches() == []


def test_stock_changes_are_refused_when_wrong(world):
    before = StockMovement.objects.count()
    with pytest.raises(errors.NotAllowed):
        services.stock_receive(
            counter=world.counter1, variant=world.chestnut_bag, quantity=5, by=world.counter2_user
        )
    with pytest.raises(errors.VariantNotCarried):
        services.stock_receive(
            counter=world.counter2, variant=world.potato_bag, quantity=5, by=world.counter2_user
        )
    for quantity in (0, -1, 10**9, 2.5):
        with pytest.raises(errors.InvalidQuantity):
            at_counter1(world, services.stock_receive)(quantity=quantity)
    correct = at_counter1(world, services.stock_correct)
    with pytest.raises(errors.ReasonRequired):
        correct(quantity=-1, reason=" ")
    with pytest.raises(errors.InvalidQuantity):
        correct(quantity=0, reason="x")
    with pytest.raises(errors.InvalidStockChange):
        correct(quantity=-11, reason="lost")
    assert StockMovement.objects.count() == before


def test_correction_cannot_take_units_held_by_open_orders(world):
    place(world, [(world.chestnut_bag.pk, 8)])
    correct = at_counter1(world, services.stock_correct)
    with pytest.raises(errors.InvalidStockChange):
        correct(quantity=-3, reason="broken")
    correct(quantity=-2, reason="broken")
    assert available(world.chestnut_bag, world.counter1) == 0


def test_return_after_collection(world):
    order = place(world, [(world.chestnut_bag.pk, 3)])
    services.order_transition(order=order, to="ready", by=world.counter1_user)
    services.order_transition(
        order=order, to="collected", by=world.counter1_user, payment_method="cash"
    )
    line = order.lines.get()
    with pytest.raises(errors.ReasonRequired):
        services.order_line_return(line=line, quantity=1, by=world.counter1_user, reason="")
    with pytest.raises(errors.InvalidQuantity):
        services.order_line_return(line=line, quantity=4, by=world.counter1_user, reason="mouldy")
    with pytest.raises(errors.NotAllowed):
        services.order_line_return(line=line, quantity=1, by=world.counter2_user, reason="mouldy")
    services.order_line_return(line=line, quantity=1, by=world.counter1_user, reason="mouldy")
    assert OrderLine.objects.get(pk=line.pk).returned_quantity == 1
    assert Stock.objects.get(variant=world.chestnut_bag, counter=world.counter1).on_hand == 8
    assert stock_mismatches() == []


def test_verify_stock_command(world, capsys):
    call_command("verify_stock")
    assert "ok" in capsys.readouterr().out
    Stock.objects.filter(variant=world.chestnut_bag, counter=world.counter1).update(on_hand=11)
    with pytest.raises(CommandError):
        call_command("verify_stock")
    assert "on_hand is 11, ledger says 10" in capsys.readouterr().err


def test_verify_stock_sees_a_held_figure_that_open_orders_do_not_explain(world):
    order = place(world)
    Order.objects.filter(pk=order.pk).update(status="cancelled")  # bypassing the service
    fields = {p.field for p in stock_mismatches()}
    assert fields == {"held (open orders)"}


# --- Bulk orders ----------------------------------------------------------------------------------


def bulk_request(world, lines=None, **kwargs):
    kwargs.setdefault("requested_delivery_date", timezone.localdate() + timedelta(days=7))
    return services.bulk_order_request(
        buyer=world.buyer,
        requested_by=world.buyer_user,
        lines=lines or [{"variant": world.chestnut_bag.pk, "quantity": 60}],
        **kwargs,
    )


def test_bulk_request_uses_tier_prices(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        bulk = bulk_request(world, [(world.chestnut_bag.pk, 60), (world.chestnut_box.pk, 2)])
    line = bulk.lines.get(variant=world.chestnut_bag)
    assert (line.unit_price, line.line_total) == (Decimal("20.00"), Decimal("1200.00"))
    assert bulk.total == Decimal("1440.00")
    assert bulk.producer == world.producer1 and bulk.status == "requested"
    # the producer is told
    assert mail.outbox[0].to == ["producer1@example.org"]


def test_bulk_minimum_order_per_product(world):
    world.chestnut_bag.product.bulk_min_quantity = 100
    world.chestnut_bag.product.save()
    with pytest.raises(errors.BelowMinimum):
        bulk_request(world, [(world.chestnut_bag.pk, 60), (world.chestnut_box.pk, 2)])
    assert (
        bulk_request(world, [(world.chestnut_bag.pk, 60), (world.chestnut_box.pk, 40)]).status
        == "requested"
    )


def test_bulk_request_refusals(world):
    before = BulkOrder.objects.count()
    with pytest.raises(errors.InvalidBulkOrder):  # two producers
        bulk_request(world, [(world.chestnut_bag.pk, 60), (world.potato_bag.pk, 60)])
    with pytest.raises(errors.NotAllowed):
        services.bulk_order_request(
            buyer=world.buyer,
            requested_by=world.customer,
            lines=[(world.chestnut_bag.pk, 60)],
            requested_delivery_date=timezone.localdate() + timedelta(days=3),
        )
    with pytest.raises(errors.InvalidBulkOrder):
        bulk_request(world, requested_delivery_date=timezone.localdate())
    with pytest.raises(errors.InvalidQuantity):
        bulk_request(world, [(world.chestnut_bag.pk, -5)])
    with pytest.raises(errors.EmptyOrder):
        bulk_request(world, [(world.chestnut_bag.pk, 0)])
    with pytest.raises(errors.UnknownVariant):
        bulk_request(world, [(424242, 5)])
    assert BulkOrder.objects.count() == before


def test_bulk_workflow_confirm_with_changes_deliver_settle(
    world, django_capture_on_commit_callbacks
):
    bulk = bulk_request(world, [(world.chestnut_bag.pk, 60), (world.chestnut_box.pk, 2)])
    bag_line = bulk.lines.get(variant=world.chestnut_bag)
    box_line = bulk.lines.get(variant=world.chestnut_box)
    new_date = timezone.localdate() + timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        bulk = services.bulk_order_transition(
            bulk_order=bulk,
            to="confirmed",
            by=world.producer1_user,
            quantities={bag_line.pk: 200, box_line.pk: 0},
            delivery_date=new_date,
        )
    bag_line.refresh_from_db()
    assert (bag_line.quantity, bag_line.requested_quantity, bag_line.unit_price) == (
        200,
        60,
        Decimal("18.00"),
    )
    assert bulk.total == Decimal("3600.00") and bulk.delivery_date == new_date
    assert "CH-500 60 → 200" in bulk.events.last().reason
    assert mail.outbox[-1].to == ["buyer1@example.org"]
    services.bulk_order_transition(bulk_order=bulk, to="delivered", by=world.producer1_user)
    bulk = services.bulk_order_transition(bulk_order=bulk, to="settled", by=world.producer1_user)
    assert bulk.settled_at is not None
    assert [e.to_status for e in bulk.events.all()] == [
        "requested",
        "confirmed",
        "delivered",
        "settled",
    ]


def test_bulk_transition_refusals(world):
    bulk = bulk_request(world)
    with pytest.raises(errors.NotAllowed):
        services.bulk_order_transition(bulk_order=bulk, to="confirmed", by=world.producer2_user)
    with pytest.raises(errors.NotAllowed):
        services.bulk_order_transition(bulk_order=bulk, to="confirmed", by=world.buyer_user)
    with pytest.raises(errors.InvalidTransition):
        services.bulk_order_transition(bulk_order=bulk, to="settled", by=world.producer1_user)
    with pytest.raises(errors.ReasonRequired):
        services.bulk_order_transition(bulk_order=bulk, to="rejected", by=world.producer1_user)
    with pytest.raises(errors.InvalidBulkOrder):
        services.bulk_order_transition(
            bulk_order=bulk,
            to="confirmed",
            by=world.producer1_user,
            quantities={bulk.lines.get().pk: 0},
        )
    with pytest.raises(errors.InvalidQuantity):
        services.bulk_order_transition(
            bulk_order=bulk,
            to="confirmed",
            by=world.producer1_user,
            quantities={bulk.lines.get().pk: -1},
        )
    assert BulkOrder.objects.get(pk=bulk.pk).status == "requested"
    services.bulk_order_transition(
        bulk_order=bulk, to="rejected", by=world.producer1_user, reason="sold out"
    )
    with pytest.raises(errors.InvalidTransition):
        services.bulk_order_transition(bulk_order=bulk, to="confirmed", by=world.producer1_user)
