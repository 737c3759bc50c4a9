"""The booking form without JavaScript: "Recalculate" resizes it keeping every
name and type typed, the price breakdown and total are shown before booking,
and a number changed without recalculating books nothing."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from tours.models import Booking

from .factories import DeparturePriceFactory
from .test_views import traveller_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, customer):
    client.force_login(customer)
    return client


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def _url(departure):
    return reverse("tours:book", args=[departure.route.slug, departure.pk])


def _rows(html: str) -> list[tuple[str, str, str]]:
    """The breakdown's visible rows: (type, count, subtotal)."""
    rows = re.findall(
        r'<tr data-type="(\w+)" data-price="[\d.]+"( hidden)?>.*?class="count">(\d+)</span>'
        r'.*?class="amount subtotal">¥([\d.]+)</td>',
        html,
        re.S,
    )
    return [(kind, count, amount) for kind, hidden, count, amount in rows if not hidden]


def _total(html: str) -> str:
    return re.search(r'class="total"[^>]*>¥([\d.]+)<', html).group(1)


def test_the_first_form_shows_the_total_of_one_adult(english, signed_in, departure):
    html = signed_in.get(_url(departure)).content.decode()
    assert _rows(html) == [("adult", "1", "100.00")] and _total(html) == "100.00"
    assert 'name="recalculate"' in html and "js/booking.js" in html
    assert "<script>" not in html  # nothing inline (CSP)


def test_recalculate_keeps_every_name_and_type(english, signed_in, departure):
    DeparturePriceFactory(departure=departure, traveller_type="student", amount="50.00")
    data = traveller_form([("王芳", "adult"), ("小明", "child")], contact_phone="13900000002")
    response = signed_in.post(_url(departure), {**data, "seats": "4", "recalculate": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and Booking.objects.count() == 0
    assert 'value="王芳"' in html and 'value="小明"' in html and "游客" not in html
    assert 'name="t-TOTAL_FORMS" value="4"' in html
    assert re.search(r'name="t-1-type"[^>]*>.*?<option value="child" selected', html, re.S)
    assert _rows(html) == [("adult", "3", "300.00"), ("child", "1", "60.00")]
    assert _total(html) == "360.00"
    assert 'value="13900000002"' in html  # the contact too
    # fewer travellers: the first ones stay as typed
    response = signed_in.post(_url(departure), {**data, "seats": "1", "recalculate": "1"})
    html = response.content.decode()
    assert 'value="王芳"' in html and "小明" not in html and _total(html) == "100.00"


def test_a_changed_number_without_recalculating_books_nothing(english, signed_in, departure):
    data = traveller_form([("王芳", "adult")])
    response = signed_in.post(_url(departure), {**data, "seats": "2"})
    html = response.content.decode()
    assert response.status_code == 200 and Booking.objects.count() == 0
    assert "check the travellers and the total" in html
    assert 'value="王芳"' in html and 'name="t-TOTAL_FORMS" value="2"' in html
    # the same form with the number left alone books, at the total shown
    data = traveller_form([("王芳", "adult"), ("小明", "child")])
    response = signed_in.post(_url(departure), {**data, "seats": "2"})
    assert response.status_code == 302
    assert str(Booking.objects.get().total_price) == "160.00"


def test_the_routes_limits_shape_the_number_field(english, signed_in, departure):
    route = departure.route
    route.min_travellers, route.max_travellers = 2, 4
    route.save()
    html = signed_in.get(_url(departure)).content.decode()
    options = re.findall(
        r'<option value="(\d+)"', html.split('name="seats"')[1].split("</select>")[0]
    )
    assert options == ["2", "3", "4"]
    assert 'name="t-TOTAL_FORMS" value="2"' in html
    # a tampered single traveller is refused by the service with its message
    response = signed_in.post(_url(departure), traveller_form([("A", "adult")]))
    assert response.status_code == 400 and "2 to 4 travellers" in response.content.decode()
