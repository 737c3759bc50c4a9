"""An order placed in Traditional Chinese keeps the Traditional names of what
was bought, and its e-mail reads in Traditional Chinese."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation

from core import hant
from marketplace import services

pytestmark = pytest.mark.django_db


def test_an_order_placed_in_traditional_is_answered_in_traditional(
    world, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        order = services.order_place(
            customer=world.customer,
            counter=world.counter1,
            lines=[{"variant": world.chestnut_bag.pk, "quantity": 2}],
            language="zh-hant",
        )
    # then: the line copied the Traditional name, and the e-mail uses it
    assert order.language == "zh-hant"
    line = order.lines.get()
    assert line.product_name_zh_hant == "懷柔板栗"
    with translation.override("zh-hant"):
        assert line.product_name == "懷柔板栗"
    [message] = mail.outbox
    assert "懷柔板栗" in message.body
    assert hant.still_simplified(message.subject + message.body) == set()


def test_an_order_line_keeps_the_name_staff_wrote_in_traditional(world):
    # given: staff wrote the product's Traditional name by hand
    product = world.chestnut_bag.product
    product.name_zh_hant = "懷柔栗子"
    product.save()
    # when
    order = services.order_place(
        customer=world.customer,
        counter=world.counter1,
        lines=[{"variant": world.chestnut_bag.pk, "quantity": 1}],
        language="zh-hant",
    )
    # then
    assert order.lines.get().product_name_zh_hant == "懷柔栗子"


def test_a_bulk_order_line_copies_the_traditional_names(world):
    # when
    bulk = services.bulk_order_request(
        buyer=world.buyer,
        requested_by=world.buyer_user,
        lines=[(world.chestnut_box.pk, 60)],
        requested_delivery_date=timezone.localdate() + timedelta(days=3),
    )
    # then
    line = bulk.lines.get()
    assert (line.product_name_zh_hant, line.variant_name_zh_hant) == ("懷柔板栗", "2.5千克禮盒")
