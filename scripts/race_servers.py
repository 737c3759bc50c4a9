#!/usr/bin/env python
"""Two app servers, one database: many customers race for the last units and seats.

    make race-servers            (CI runs it after the test suite)

Starts TWO gunicorn servers (production settings, different ports, the same
PostgreSQL database and Redis), puts exactly STOCK units of one product
variant at one counter and SEATS seats on one departure, then lets CLIENTS
customers (each with their own token, half on each server) place orders
(`POST /api/v1/orders/`) and bookings (`POST /api/v1/bookings/`) all at once
until nothing is left. It also fires the same Idempotency-Key at both servers
at the same moment.

Fails (exit 1) unless: nothing is oversold, the units and seats sold are
exactly STOCK and SEATS, every refusal is a 409 in the API's error format,
there is no 5xx, each idempotent pair made one order, both servers show the
sold-out figures at once (shared page cache invalidation), and
`manage.py verify_stock` (the stock ledger check) passes, and the one task
worker has sent every e-mail the two servers queued.
"""

from __future__ import annotations

import os
import random
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import Stack, http_json, log, make_users

STOCK = int(os.environ.get("RACE_STOCK", 40))
SEATS = int(os.environ.get("RACE_SEATS", 30))
CLIENTS = int(os.environ.get("RACE_CLIENTS", 48))
IDEMPOTENT_PAIRS = 6
PORTS = (8621, 8622)

SETUP = """
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from marketplace import services as market
from marketplace.models import Stock
from marketplace.selectors import works_at
from tours.models import Booking, Departure

User = get_user_model()
staff = User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()

# A stock row at a counter that carries the product, made to hold exactly STOCK.
stock = (
    Stock.objects.select_related("variant__product", "counter")
    .filter(variant__is_active=True, variant__product__is_active=True, on_hand__gt=0)
    .order_by("pk")
    .first()
)
available = stock.on_hand - stock.held
if available != STOCK:
    market.stock_correct(
        counter=stock.counter, variant=stock.variant, quantity=STOCK - available,
        by=staff, reason="race_servers.py: set up the race",
    )
stock.refresh_from_db()

# A future departure open for booking, nobody on it, exactly SEATS seats.
today = timezone.localdate()
taken = Booking.objects.values_list("departure_id", flat=True)
departure = (
    Departure.objects.filter(date__gt=today + timezone.timedelta(days=2), status="scheduled")
    .exclude(pk__in=taken)
    .order_by("date", "pk")
    .first()
)
Departure.objects.filter(pk=departure.pk).update(capacity=SEATS)
result = {
    "counter": stock.counter_id,
    "variant": stock.variant_id,
    "product": stock.variant.product.slug,
    "on_hand": stock.on_hand,
    "held": stock.held,
    "departure": departure.pk,
    "route": departure.route.slug,
}
"""

CHECK = """
from django.db.models import Sum
from marketplace.models import Order, OrderLine, Stock
from tours.models import Booking, Departure
from tours import selectors as tours_selectors

stock = Stock.objects.get(counter_id=COUNTER, variant_id=VARIANT)
departure = Departure.objects.get(pk=DEPARTURE)
result = {
    "on_hand": stock.on_hand,
    "held": stock.held,
    "order_units": OrderLine.objects.filter(
        variant_id=VARIANT, order__counter_id=COUNTER, order__customer__username__startswith="racer"
    ).aggregate(n=Sum("quantity"))["n"] or 0,
    "orders": Order.objects.filter(customer__username__startswith="racer").count(),
    "seats_taken": tours_selectors.seats_taken(departure=departure),
    "bookings": Booking.objects.filter(departure=departure).count(),
    "capacity": departure.capacity,
}
"""


def main() -> int:
    failures: list[str] = []
    with Stack("race-servers", redis_db=6, require_postgres=True) as stack:
        stack.prepare()
        setup = stack.django(f"STOCK = {STOCK}\nSEATS = {SEATS}\n" + SETUP)
        log(
            f"stock: variant {setup['variant']} ({setup['product']}) at counter {setup['counter']}: "
            f"{setup['on_hand'] - setup['held']} available; departure {setup['departure']} "
            f"({setup['route']}): {SEATS} seats"
        )
        names = [f"racer{n:03d}" for n in range(CLIENTS + IDEMPOTENT_PAIRS)]
        tokens = make_users(stack, names)
        servers = [stack.start_server(port=port, workers=3) for port in PORTS]
        # The e-mails both servers queue are sent by one worker (production setup).
        stack.start_worker()

        # Both servers cache the public figures before the race (so a stale
        # cache would show up afterwards).
        for base in servers:
            before = _public_figures(base, setup)
            log(f"{base}: before the race: {before}")

        results = _race(servers, setup, tokens, names)
        failures += _judge_race(results)

        check = stack.django(
            f"COUNTER = {setup['counter']}\nVARIANT = {setup['variant']}\nDEPARTURE = {setup['departure']}\n"
            + CHECK
        )
        log(f"database after the race: {check}")
        units_ok, seats_ok = _sold_by_api(results["calls"])
        if check["on_hand"] - check["held"] < 0 or check["order_units"] > STOCK:
            failures.append(f"OVERSOLD: {check['order_units']} units ordered of {STOCK}")
        if check["order_units"] != STOCK or units_ok != STOCK:
            failures.append(
                f"units sold: API said {units_ok}, database {check['order_units']}, expected {STOCK}"
            )
        if check["seats_taken"] > check["capacity"]:
            failures.append(f"OVERBOOKED: {check['seats_taken']} seats of {check['capacity']}")
        if check["seats_taken"] != SEATS or seats_ok != SEATS:
            failures.append(
                f"seats sold: API said {seats_ok}, database {check['seats_taken']}, expected {SEATS}"
            )

        for base in servers:
            after = _public_figures(base, setup)
            log(f"{base}: after the race: {after}")
            if after["seats_left"] != 0 or after["stock_here"] != 0:
                failures.append(f"{base} still shows stale figures after the race: {after}")

        failures += _shared_state(servers)

        verify = stack.manage("verify_stock")
        log(f"verify_stock: {verify.strip()}")
        tasks, seconds = stack.wait_for_tasks(timeout=120)
        log(f"queued e-mails: {tasks}, all run {seconds:.1f}s after the race")
        if set(tasks) - {"SUCCESSFUL"}:
            failures.append(f"queued e-mails not all sent by the worker: {tasks}")
        errors = stack.server_errors()
        if errors:
            failures.append("server errors logged:\n  " + "\n  ".join(errors[:10]))

    if failures:
        print("\nFAILED:\n- " + "\n- ".join(failures))
        return 1
    print("\nOK: nothing oversold, no 5xx, exact counts, the ledger balances, both servers agree.")
    return 0


def _shared_state(servers: list[str]) -> list[str]:
    """Sessions and throttles live outside the app servers: a sign-in on one is
    a session on the other, and requests to both count against one rate."""
    import re
    import urllib.parse
    import urllib.request

    failures = []

    class KeepRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None  # answer the 302 itself, with its cookies

    # The cookies are Secure (__Host-) and this is plain HTTP on the loopback:
    # carry them by hand, as a browser behind the TLS proxy would.
    opener = urllib.request.build_opener(KeepRedirects())
    cookies: dict[str, str] = {}

    def call(url, data=None):
        request = urllib.request.Request(url, data=data)
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))
        try:
            response = opener.open(request, timeout=20)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            cookies[name] = rest.split(";", 1)[0]
        return response.status, response.read().decode(errors="replace"), response.url

    status, html, _ = call(f"{servers[0]}/en/account/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    form = urllib.parse.urlencode(
        {
            "username": "visitor",
            "password": "huairou-demo-2026",
            "csrfmiddlewaretoken": token.group(1) if token else "",
        }
    ).encode()
    status, html, url = call(
        f"{servers[1]}/en/account/login/", form
    )  # signed in on the other server
    status, html, url = call(f"{servers[0]}/en/account/")  # and back on the first
    signed_in = status == 200 and url.endswith("/en/account/") and "Sign out" in html
    log(
        f"session: signed in on {servers[1]}, {'recognised' if signed_in else 'NOT recognised'} on {servers[0]}"
    )
    if not signed_in:
        failures.append(
            f"a session made on {servers[1]} is not recognised on {servers[0]} ({status} {url})"
        )

    # The token endpoint allows THROTTLE_AUTH (10/min) per address, across servers.
    answers = [
        http_json("POST", f"{servers[n % 2]}/api/v1/auth/token/", body={"username": "x"})[0]
        for n in range(12)
    ]
    log(f"throttle: 12 bad token requests alternating servers -> {answers}")
    if answers[:10] != [400] * 10 or answers[10:] != [429, 429]:
        failures.append(f"the auth throttle is not shared between servers: {answers}")
    return failures


def _public_figures(base: str, setup: dict) -> dict:
    status, departures = http_json(
        "GET", f"{base}/api/v1/departures/?route={setup['route']}&page_size=100"
    )
    seats_left = (
        next(
            (d["seats_left"] for d in departures["results"] if d["id"] == setup["departure"]), None
        )
        if status == 200
        else f"HTTP {status}"
    )
    status, product = http_json("GET", f"{base}/api/v1/products/{setup['product']}/")
    stock_here = None
    if status == 200:
        for variant in product.get("variants", []):
            if variant.get("id") == setup["variant"]:
                for place in variant["stock"]:
                    if place["counter"] == setup["counter"]:
                        stock_here = place["available"]
    return {"seats_left": seats_left, "stock_here": stock_here}


def _race(servers: list[str], setup: dict, tokens: dict, names: list[str]) -> dict:
    calls: list[tuple[str, int, int, object]] = []  # (kind, status, quantity, body)
    lock = threading.Lock()
    start = threading.Barrier(CLIENTS + IDEMPOTENT_PAIRS * 2)

    def customer(index: int) -> None:
        base = servers[index % 2]
        token = tokens[names[index]]
        plan = random.Random(index)
        start.wait()
        orders_open, bookings_open = True, True
        attempts = 0
        while (orders_open or bookings_open) and attempts < 40:
            attempts += 1
            if orders_open:
                quantity = plan.choice((1, 1, 2, 3))
                status, body = http_json(
                    "POST",
                    f"{base}/api/v1/orders/",
                    token=token,
                    body={
                        "counter": setup["counter"],
                        "lines": [{"variant": setup["variant"], "quantity": quantity}],
                    },
                )
                with lock:
                    calls.append(("order", status, quantity, body))
                if status == 409 and quantity == 1:
                    orders_open = False
            if bookings_open:
                seats = plan.choice((1, 1, 2))
                status, body = http_json(
                    "POST",
                    f"{base}/api/v1/bookings/",
                    token=token,
                    body={
                        "departure": setup["departure"],
                        "seats": seats,
                        "contact_name": "Racer",
                        "contact_phone": "13800000000",
                    },
                )
                with lock:
                    calls.append(("booking", status, seats, body))
                if status == 409 and seats == 1:
                    bookings_open = False
            if status >= 500 or status in (400, 401, 403, 429):
                break

    def idempotent_twin(index: int, server: str) -> None:
        token = tokens[names[CLIENTS + index]]
        start.wait()
        status, body = http_json(
            "POST",
            f"{server}/api/v1/bookings/" if index % 2 else f"{server}/api/v1/orders/",
            token=token,
            body=(
                {
                    "departure": setup["departure"],
                    "seats": 1,
                    "contact_name": "Twin",
                    "contact_phone": "13800000001",
                }
                if index % 2
                else {
                    "counter": setup["counter"],
                    "lines": [{"variant": setup["variant"], "quantity": 1}],
                }
            ),
            headers={"Idempotency-Key": f"twin-{index}"},
        )
        with lock:
            calls.append((f"twin-{index}", status, 1, body))

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CLIENTS + IDEMPOTENT_PAIRS * 2) as pool:
        futures = [pool.submit(customer, i) for i in range(CLIENTS)]
        for i in range(IDEMPOTENT_PAIRS):
            for server in servers:
                futures.append(pool.submit(idempotent_twin, i, server))
        for future in futures:
            future.result()
    elapsed = time.perf_counter() - started
    return {"calls": calls, "elapsed": elapsed}


def _sold_by_api(calls) -> tuple[int, int]:
    """Units and seats the API said it sold; an idempotent pair counts once."""
    units = sum(q for kind, status, q, _ in calls if kind == "order" and status == 201)
    seats = sum(q for kind, status, q, _ in calls if kind == "booking" and status == 201)
    twins = {
        kind for kind, status, _, _ in calls if kind.startswith("twin") and status in (200, 201)
    }
    for kind in twins:
        if int(kind.split("-")[1]) % 2:
            seats += 1
        else:
            units += 1
    return units, seats


def _judge_race(results: dict) -> list[str]:
    failures = []
    calls = results["calls"]
    by_kind = Counter(
        (kind if not kind.startswith("twin") else "twin", status) for kind, status, _, _ in calls
    )
    log(
        f"{len(calls)} requests in {results['elapsed']:.2f}s across both servers: {dict(sorted(by_kind.items()))}"
    )
    for kind, status, _, body in calls:
        if status >= 500:
            failures.append(f"{kind}: HTTP {status}: {str(body)[:300]}")
        elif status not in (200, 201, 409):
            failures.append(f"{kind}: unexpected HTTP {status}: {str(body)[:300]}")
        elif status == 409 and not (
            isinstance(body, dict) and body.get("code") and body.get("detail")
        ):
            failures.append(f"{kind}: a 409 without the error format: {body}")
    # Twins: the same key at both servers at once gave one object, the same answer.
    twins: dict[str, list] = {}
    for kind, status, _, body in calls:
        if kind.startswith("twin"):
            twins.setdefault(kind, []).append((status, body))
    for kind, answers in twins.items():
        ids = {
            body.get("id")
            for status, body in answers
            if status in (200, 201) and isinstance(body, dict)
        }
        statuses = sorted(status for status, _ in answers)
        if statuses == [409, 409]:
            continue  # sold out before the twins ran: nothing to compare
        if len(ids) != 1 or any(status not in (200, 201) for status in statuses):
            failures.append(f"{kind}: one Idempotency-Key gave {answers}")
    return failures


if __name__ == "__main__":
    sys.exit(main())
