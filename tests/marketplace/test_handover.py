"""Staff workflows that sent the wrong thing (issue 11, point 8): the pickup
desk's hand-over is one service call that e-mails nobody "ready", records the
payment method only when the clerk chose one, and a desk cancel asks first."""

import re

import pytest
from django.core import mail

from marketplace import errors, services
from marketplace.models import Order, OrderEvent, Stock, StockMovement

from .test_vendor import V, scene, signed_in  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db
DESK = f"{V}/counterorder/pickup/"


def test_hand_over_of_a_placed_order_is_one_step_and_mails_no_ready(
    scene,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    # given an order the counter has not prepared yet
    order = scene.order1
    mail.outbox.clear()
    # when the customer takes it at the desk
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(scene.counter1_user).post(
            DESK, {"code": order.pickup_code, "action": "handover", "payment_method": "wechat"}
        )
    # then it is paid and collected, both steps audited, and nobody got a "ready" mail
    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.status, order.payment_method) == ("collected", "wechat")
    assert [e.to_status for e in order.events.all()] == ["placed", "ready", "collected"]
    assert mail.outbox == []


def test_the_service_hands_over_in_one_transaction(scene, django_capture_on_commit_callbacks):  # noqa: F811
    # given a placed order
    order = scene.order1
    # when the hand-over is refused (no payment method), nothing is written, not even "ready"
    before = OrderEvent.objects.count(), StockMovement.objects.count()
    with pytest.raises(errors.PaymentMethodRequired):
        services.order_hand_over(order=order, by=scene.counter1_user, payment_method="")
    assert Order.objects.get(pk=order.pk).status == "placed"
    assert (OrderEvent.objects.count(), StockMovement.objects.count()) == before
    # a ready order: just collected, no mail either
    services.order_transition(order=order, to="ready", by=scene.counter1_user, notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        done = services.order_hand_over(order=order, by=scene.counter1_user, payment_method="card")
    assert (done.status, done.payment_method) == ("collected", "card")
    assert mail.outbox == []
    stock = Stock.objects.get(pk=scene.stock1.pk)
    assert stock.held == 0
    # a collected order cannot be handed over again; another counter's staff cannot either
    with pytest.raises(errors.InvalidTransition):
        services.order_hand_over(order=order, by=scene.counter1_user, payment_method="cash")
    with pytest.raises(errors.NotAllowed):
        services.order_hand_over(order=scene.order2, by=scene.counter1_user, payment_method="cash")


def test_the_desk_has_no_default_payment_method(scene):  # noqa: F811
    # given the desk page of an open order
    order = scene.order1
    client = signed_in(scene.counter1_user)
    html = client.get(DESK, {"code": order.pickup_code}).content.decode()
    # then the payment select starts on an empty choice, not on cash
    select = re.search(r'<select name="payment_method"[^>]*>(.*?)</select>', html, re.S).group(1)
    first = re.search(r"<option[^>]*>", select).group(0)
    assert 'value=""' in first
    assert "selected" not in select.replace(first, "")
    # when the clerk hands over without choosing one
    response = client.post(
        DESK, {"code": order.pickup_code, "action": "handover", "payment_method": ""}
    )
    # then the form comes back with its error and the order is as it was
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    order.refresh_from_db()
    assert (order.status, order.payment_method) == ("placed", "")
    assert [e.to_status for e in order.events.all()] == ["placed"]


def test_a_desk_cancel_asks_to_confirm(scene, django_capture_on_commit_callbacks):  # noqa: F811
    # given an open order at the desk
    order = scene.order1
    client = signed_in(scene.counter1_user)
    mail.outbox.clear()
    # when the clerk sends the cancel form with a reason but no confirmation
    response = client.post(
        DESK, {"code": order.pickup_code, "action": "cancel", "reason": "spoiled"}
    )
    # then nothing changed, and the page asks, carrying the reason along
    html = response.content.decode()
    assert response.status_code == 200
    assert Order.objects.get(pk=order.pk).status == "placed"
    assert 'name="confirm" value="yes"' in html and 'name="reason" value="spoiled"' in html
    assert mail.outbox == []
    # with the confirmation it is cancelled and the customer told
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            DESK,
            {"code": order.pickup_code, "action": "cancel", "reason": "spoiled", "confirm": "yes"},
        )
    assert response.status_code == 302
    assert Order.objects.get(pk=order.pk).status == "cancelled"
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("line", ["abc", "1.5", "²", "9" * 30])
def test_a_desk_return_with_a_line_that_is_no_id_is_a_400(scene, line):  # noqa: F811
    # given a collected order at the desk
    order = scene.order1
    client = signed_in(scene.counter1_user)
    services.order_hand_over(order=order, by=scene.counter1_user, payment_method="cash")
    # when the clerk sends a return whose line is not an id of the order's lines
    response = client.post(
        DESK,
        {
            "code": order.pickup_code,
            "action": "return",
            "line": line,
            "quantity": "1",
            "reason": "bruised",
        },
    )
    # then the desk says what is missing, and nothing came back
    assert response.status_code == 400
    assert "请选择退货的商品行和数量。" in response.content.decode()  # the panel is in Chinese
    assert not StockMovement.objects.filter(order=order, kind=StockMovement.Kind.RETURN).exists()
