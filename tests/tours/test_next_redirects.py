"""Booking forms' hidden ``next`` follows core.redirects.safe_next (issue 11, point 5)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "next_url", ["foo", "javascript:alert(1)", "//evil.example/", "https:evil.example", "/\\x.y"]
)
def test_cancel_with_a_bad_next_goes_to_the_booking_not_off_site_nor_500(
    client, customer, departure, book, next_url
):
    # given
    client.force_login(customer)
    booking = book(departure, customer)
    # when
    response = client.post(
        reverse("tours:booking_cancel", args=[booking.code]), {"next": next_url, "confirm": "yes"}
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("tours:booking", args=[booking.code])
    booking.refresh_from_db()
    assert booking.status == "cancelled"
