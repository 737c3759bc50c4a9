"""The API gives a mobile app the pickup QR code's exact content, the one the
order's web page encodes (the counter's scanner reads the pickup code)."""

import re

import pytest
from rest_framework.test import APIClient

from core import qr

pytestmark = pytest.mark.django_db


def _qr_modules(svg: str) -> list[str]:
    return re.findall(r'<path[^>]* d="([^"]+)"', svg)


def test_the_api_qr_text_is_what_the_order_page_encodes(world, client):
    # given an order placed through the API
    api = APIClient()
    api.force_authenticate(world.customer)
    response = api.post(
        "/api/v1/orders/",
        {
            "counter": world.counter1.pk,
            "lines": [{"variant": world.chestnut_bag.pk, "quantity": 1}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["qr_text"] == data["pickup_code"]
    assert api.get(f"/api/v1/orders/{data['id']}/").json()["qr_text"] == data["pickup_code"]
    # when its web page is shown
    client.force_login(world.customer)
    page = client.get(data["url"]).content.decode()
    (svg,) = re.findall(r'<div class="qr">(<svg.*?</svg>)', page, flags=re.S)
    # then the page's QR code holds exactly the API's qr_text
    assert _qr_modules(svg) == _qr_modules(qr.svg(data["qr_text"], label=""))
    # a standard QR code (a six-character text would get a Micro QR by default)
    assert not qr.make(data["qr_text"]).is_micro
