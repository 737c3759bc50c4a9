"""A customer's journey with the client openapi-python-client generates from
/api/schema/ (make contract): no hand edits, only the generated API. The
client decodes every answer into its models, so an answer that does not
match the schema fails here too.

    python tests/contract/journey_python.py http://127.0.0.1:PORT
    (with the generated package dh_api_client on PYTHONPATH)
"""

import sys
import uuid

from dh_api_client import AuthenticatedClient, Client
from dh_api_client.api.auth import auth_me_retrieve, auth_register_create, auth_token_create
from dh_api_client.api.marketplace import (
    orders_cancel_create,
    orders_create,
    orders_list,
    orders_retrieve,
    products_list,
    products_retrieve,
)
from dh_api_client.api.tours import (
    bookings_cancel_create,
    bookings_create,
    bookings_retrieve,
    departures_list,
    routes_list,
    routes_retrieve,
)
from dh_api_client.models import (
    BookingInputRequest,
    OrderInputRequest,
    OrderLineInputRequest,
    RegisterInputRequest,
    TokenInputRequest,
)

STEPS: list[str] = []


def step(name: str, response, status: int):
    assert response.status_code == status, (
        f"{name}: {response.status_code}, expected {status}: {response.content[:300]!r}"
    )
    assert response.parsed is not None or status == 204, f"{name}: not decoded"
    STEPS.append(name)
    return response.parsed


def main(base: str) -> int:
    anon = Client(base_url=base, raise_on_unexpected_status=True)
    username, password = f"py-{uuid.uuid4().hex[:8]}", "a-long-journey-password"

    step(
        "register",
        auth_register_create.sync_detailed(
            client=anon, body=RegisterInputRequest(username=username, password=password)
        ),
        201,
    )
    step(
        "register again: 400",
        auth_register_create.sync_detailed(
            client=anon, body=RegisterInputRequest(username=username, password=password)
        ),
        400,
    )
    step(
        "wrong password: 401",
        auth_token_create.sync_detailed(
            client=anon, body=TokenInputRequest(username=username, password="wrong")
        ),
        401,
    )
    token = step(
        "token",
        auth_token_create.sync_detailed(
            client=anon, body=TokenInputRequest(username=username, password=password)
        ),
        200,
    ).token
    client = AuthenticatedClient(
        base_url=base, token=token, prefix="Token", raise_on_unexpected_status=True
    )
    me = step("me", auth_me_retrieve.sync_detailed(client=client), 200)
    assert me.username == username and me.phone is None

    routes = step("routes", routes_list.sync_detailed(client=anon), 200).results
    step("route", routes_retrieve.sync_detailed(routes[0].slug, client=anon), 200)
    step("no such route: 404", routes_retrieve.sync_detailed("no-such-route", client=anon), 404)
    departures = step("departures", departures_list.sync_detailed(client=anon), 200).results
    departure = next(d for d in departures if d.bookable and d.seats_left > 0)
    booking = step(
        "book",
        bookings_create.sync_detailed(
            client=client,
            body=BookingInputRequest(
                departure=departure.id, seats=1, contact_name="Py", contact_phone="13900000000"
            ),
        ),
        201,
    )
    assert booking.ics_url.startswith(base), booking.ics_url
    # What the booking page's QR code encodes, for an app to draw its own.
    check_in = f"{base}/vendor/tours/booking/check-in/?code={booking.code}"
    assert booking.qr_text == check_in, booking.qr_text

    products = step("products", products_list.sync_detailed(client=anon), 200).results
    detail = step("product", products_retrieve.sync_detailed(products[0].slug, client=anon), 200)
    variant = next(v for v in detail.variants if any(s.available > 0 for s in v.stock))
    counter = next(s.counter for s in variant.stock if s.available > 0)
    step(
        "empty order: 400",
        orders_create.sync_detailed(
            client=client, body=OrderInputRequest(counter=counter, lines=[])
        ),
        400,
    )
    order = step(
        "order",
        orders_create.sync_detailed(
            client=client,
            body=OrderInputRequest(
                counter=counter, lines=[OrderLineInputRequest(variant=variant.id, quantity=1)]
            ),
        ),
        201,
    )

    assert order.qr_text == order.pickup_code, order.qr_text
    step("read order", orders_retrieve.sync_detailed(order.id, client=client), 200)
    assert step("my orders", orders_list.sync_detailed(client=client), 200).count == 1
    step("read booking", bookings_retrieve.sync_detailed(booking.id, client=client), 200)
    step("cancel order", orders_cancel_create.sync_detailed(order.id, client=client), 200)
    step("cancel again: 409", orders_cancel_create.sync_detailed(order.id, client=client), 409)
    step("cancel booking", bookings_cancel_create.sync_detailed(booking.id, client=client), 200)
    step("not mine: 404", orders_retrieve.sync_detailed(10**9, client=client), 404)
    step("no token: 401", orders_list.sync_detailed(client=anon), 401)
    print(f"python client (openapi-python-client): {len(STEPS)} steps passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
