"""Order notices by text message: a customer with a mobile number and no
e-mail address hears about their order by SMS, in the language they ordered
in; one with both gets the e-mail, plus a text when the order is ready (news
that cannot wait); the order page says which will happen. End to end through
the API, the services, the queued task and core.sms's file backend."""

import pytest
from django.core import mail
from rest_framework.test import APIClient

from core import sms
from marketplace import services
from marketplace.models import Order
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sms_file(tmp_path, settings):
    path = tmp_path / "sms.log"
    settings.SMS = {"backend": "file", "path": str(path)}
    return path


def order_through_api(world, user, language="en"):
    api = APIClient()
    api.force_authenticate(user)
    response = api.post(
        "/api/v1/orders/",
        {
            "counter": world.counter1.pk,
            "lines": [{"variant": world.chestnut_bag.pk, "quantity": 1}],
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_a_customer_without_e_mail_is_told_by_text_message_in_their_language(
    world, sms_file, django_capture_on_commit_callbacks
):
    # given a customer who gave only a mobile number, ordering in English
    customer = UserFactory(username="phoneonly", email="", phone="13900000011")
    with django_capture_on_commit_callbacks(execute=True):
        data = order_through_api(world, customer, "en")
    order = Order.objects.get(pk=data["id"])
    # when the counter marks it ready
    with django_capture_on_commit_callbacks(execute=True):
        services.order_transition(order=order, to="ready", by=world.counter1_user)
    # then two texts went to the number, in English, and no e-mail at all
    sent = sms.read_file_outbox(sms_file)
    assert [m["kind"] for m in sent] == ["order_placed", "order_ready"]
    assert {m["to"] for m in sent} == {"13900000011"}
    assert sent[1]["body"].startswith(f"Order {order.pickup_code_display} is ready at the counter.")
    assert sent[1]["params"]["code"] == order.pickup_code_display
    assert all(sms.segments(m["body"]) == 1 for m in sent)
    assert mail.outbox == []


def test_the_text_is_in_chinese_for_a_chinese_order(
    world, smsoutbox, django_capture_on_commit_callbacks
):
    customer = UserFactory(username="zh", email="", phone="+8613900000012")
    with django_capture_on_commit_callbacks(execute=True):
        data = order_through_api(world, customer, "zh-hans")
    (message,) = smsoutbox
    assert message.to == "13900000012"
    assert message.body.startswith(f"订单{data['pickup_code'][:3]} {data['pickup_code'][3:]}已预留")


def test_with_both_the_e_mail_comes_and_a_text_only_when_it_is_ready(
    world, smsoutbox, mailoutbox, django_capture_on_commit_callbacks
):
    customer = UserFactory(username="both", email="both@example.org", phone="13900000013")
    with django_capture_on_commit_callbacks(execute=True):
        data = order_through_api(world, customer, "zh-hans")
    assert len(mailoutbox) == 1 and smsoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.order_transition(
            order=Order.objects.get(pk=data["id"]), to="ready", by=world.counter1_user
        )
    assert len(mailoutbox) == 2
    assert [m.kind for m in smsoutbox] == ["order_ready"]


def test_nobody_to_tell_sends_nothing_and_the_page_says_so(
    world, client, smsoutbox, mailoutbox, django_capture_on_commit_callbacks
):
    customer = UserFactory(username="nothing", email="", phone="")
    with django_capture_on_commit_callbacks(execute=True):
        data = order_through_api(world, customer, "en")
    assert smsoutbox == [] and mailoutbox == []
    client.force_login(customer)
    page = client.get(f"/en/orders/{data['id']}/").content.decode()
    assert "no e-mail address or mobile number" in page
    assert "We will tell you" not in page


@pytest.mark.parametrize(
    ("email", "phone", "says"),
    [
        ("a@example.org", "", "We will tell you by e-mail when"),
        ("", "13900000014", "We will tell you by text message to 139****0014 when"),
        ("a@example.org", "13900000014", "by e-mail and by text message to 139****0014"),
    ],
)
def test_the_order_page_says_how_the_customer_will_hear(world, client, email, phone, says):
    customer = UserFactory(username="pager", email=email, phone=phone)
    order = services.order_place(
        customer=customer, counter=world.counter1, lines=[(world.chestnut_bag, 1)], notify=False
    )
    client.force_login(customer)
    page = client.get(f"/en/orders/{order.pk}/").content.decode()
    assert says in " ".join(page.split())
    assert "We e-mail you" not in page
