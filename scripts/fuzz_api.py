#!/usr/bin/env python
"""API fuzzing: schemathesis against /api/schema/ with every check, two users.

    make fuzz                     (CI runs it after the test suite)
    FUZZ_EXAMPLES=50 make fuzz    (a longer run)

Starts the app (gunicorn, production settings) on a fresh database with the
demo data and runs schemathesis 4 with ``--checks all`` over every phase
(examples, coverage, fuzzing, stateful) on a bounded budget. Two customers,
alice and bob, each with their own token, are schemathesis "peers": its
object-level authorization check replays each one's reads of their own
orders and bookings as the other and fails if the other gets them.

Then two checks of our own that schemathesis can't know to make:
- object level, explicitly: bob gets a 404 for every one of alice's orders
  and bookings (read and cancel), and never sees them in his lists;
- field level: a client that sends fields it does not own (status, customer,
  price, pickup code, ...) with an order or booking has them ignored.

Exit 1 on any failure: a 5xx, a response that doesn't match the schema, an
undocumented status code, an error body that isn't the documented one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import ROOT, Stack, http_json, log, make_users

PORT = 8631
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 25))
TIMEOUT = int(os.environ.get("FUZZ_TIMEOUT", 600))
SCHEMATHESIS = str(Path(sys.executable).parent / "schemathesis")

SETUP = """
from django.utils import timezone
from marketplace.models import Stock
from tours.models import Departure

stock = (
    Stock.objects.filter(variant__is_active=True, variant__product__is_active=True, on_hand__gt=10)
    .order_by("pk").first()
)
departure = (
    Departure.objects.filter(date__gt=timezone.localdate() + timezone.timedelta(days=2), status="scheduled")
    .order_by("date", "pk").first()
)
result = {
    "counter": stock.counter_id if stock else None,
    "variant": stock.variant_id if stock else None,
    "departure": departure.pk if departure else None,
}
"""


def main() -> int:
    failures: list[str] = []
    out = ROOT / "artifacts" / "fuzz"
    with Stack(
        "fuzz",
        redis_db=7,
        env={
            # Throttling is tested on its own; here it would only turn cases into 429s.
            **{f"THROTTLE_{scope}": "1000000/min" for scope in ("ANON", "USER", "AUTH", "WRITE")},
            "AXES_FAILURE_LIMIT": "1000000",
        },
    ) as stack:
        stack.prepare()
        tokens = make_users(stack, ["alice", "bob"])
        setup = stack.django(SETUP)
        base = stack.start_server(port=PORT, workers=3)

        owned = _give_each_user_an_order_and_a_booking(base, tokens, setup)
        log(f"alice owns {owned['alice']}, bob owns {owned['bob']}")

        # Ours first, while alice's objects are as she left them (schemathesis,
        # acting as alice, may cancel them later).
        failures += _cross_user_reads(base, tokens, owned)
        failures += _field_level_writes(base, tokens, setup)
        cases, schemathesis_failed = _run_schemathesis(base, tokens, out)
        if schemathesis_failed:
            failures.append(f"schemathesis found failures (see {out / 'schemathesis.log'})")
        errors = stack.server_errors()
        if errors:
            failures.append("server errors logged:\n  " + "\n  ".join(errors[:10]))

    summary = {
        "schemathesis_cases": cases,
        "failures": failures,
        "examples_per_operation": EXAMPLES,
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2))
    print(f"\nschemathesis test cases: {cases}")
    if failures:
        print("FAILED:\n- " + "\n- ".join(failures))
        return 1
    print(
        "OK: no 5xx, every response matches the schema, no cross-user read, no foreign field written."
    )
    return 0


def _order_body(setup, **extra):
    return {
        "counter": setup["counter"],
        "lines": [{"variant": setup["variant"], "quantity": 1}],
        **extra,
    }


def _booking_body(setup, **extra):
    return {
        "departure": setup["departure"],
        "seats": 1,
        "contact_name": "Fuzz",
        "contact_phone": "13800000000",
        **extra,
    }


def _give_each_user_an_order_and_a_booking(base, tokens, setup) -> dict:
    owned = {}
    for name, token in tokens.items():
        status_o, order = http_json(
            "POST", f"{base}/api/v1/orders/", token=token, body=_order_body(setup)
        )
        status_b, booking = http_json(
            "POST", f"{base}/api/v1/bookings/", token=token, body=_booking_body(setup)
        )
        if status_o != 201 or status_b != 201:
            raise SystemExit(
                f"setup: {name} could not order ({status_o} {order}) or book ({status_b} {booking})"
            )
        owned[name] = {"order": order["id"], "booking": booking["id"]}
    return owned


def _run_schemathesis(base: str, tokens: dict, out: Path) -> tuple[int, bool]:
    out.mkdir(parents=True, exist_ok=True)
    auth = {
        "auth": [
            {"name": name, "fixedHeaders": [{"name": "Authorization", "value": f"Token {token}"}]}
            for name, token in tokens.items()
        ]
    }
    (out / "auth.json").write_text(json.dumps(auth))
    (out / "schemathesis.toml").write_text(
        f'[auth.wfc]\npath = "{out / "auth.json"}"\npeers = ["alice", "bob"]\n\n'
        # A request the schema allows may still be refused with a 400 naming
        # the field: ids that must exist (counter 0), passwords Django's
        # validators refuse, phone numbers. OpenAPI can't say those; the 400
        # must still be the documented error body (response_schema_conformance).
        "[checks.positive_data_acceptance]\n"
        'expected-statuses = ["2xx", "3xx", "400", "401", "403", "404", "409", "429"]\n'
    )
    command = [
        SCHEMATHESIS,
        "--config-file",
        str(out / "schemathesis.toml"),
        "run",
        f"{base}/api/schema/",
        "--url",
        base,
        # Signing out would revoke alice's or bob's token mid-run (every later
        # case a 401); tests/accounts/test_api_tokens.py covers it.
        "--exclude-path",
        "/api/v1/auth/logout/",
        "--checks",
        "all",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--max-examples",
        str(EXAMPLES),
        "--workers",
        "2",
        "--seed",
        os.environ.get("FUZZ_SEED", "20260701"),
        "--request-timeout",
        "20",
        "--generation-database",
        "none",
        "--suppress-health-check",
        "too_slow,filter_too_much",
        "--report",
        "junit,ndjson",
        "--report-dir",
        str(out),
        "--no-color",
        "--output-truncate",
        "true",
    ]
    log(f"schemathesis: {EXAMPLES} examples an operation, every check, alice and bob as peers")
    started = time.perf_counter()
    with open(out / "schemathesis.log", "w") as logfile:
        try:
            result = subprocess.run(
                command,
                cwd=out,
                stdout=logfile,
                stderr=subprocess.STDOUT,
                timeout=TIMEOUT,
                text=True,
            )
            code = result.returncode
        except subprocess.TimeoutExpired:
            logfile.write(f"\n\nTIMEOUT after {TIMEOUT}s\n")
            code = -1
    text = (out / "schemathesis.log").read_text(errors="replace")
    cases = _count_cases(out, text)
    tail = "\n".join(text.splitlines()[-60:])
    print(tail)
    log(f"schemathesis: {cases} test cases in {time.perf_counter() - started:.0f}s, exit {code}")
    return cases, code != 0


def _count_cases(out: Path, text: str) -> int:
    """The number of test cases schemathesis generated and sent."""
    import re

    match = re.search(r"Test cases:\s*\n?\s*(\d+) generated", text) or re.search(
        r"(\d+) generated", text
    )
    if match:
        return int(match.group(1))
    junit = out / "junit.xml"
    if junit.exists():
        match = re.search(r'tests="(\d+)"', junit.read_text())
        if match:
            return int(match.group(1))
    return 0


def _cross_user_reads(base: str, tokens: dict, owned: dict) -> list[str]:
    failures = []
    bob = tokens["bob"]
    alice_order, alice_booking = owned["alice"]["order"], owned["alice"]["booking"]
    probes = [
        ("GET", f"/api/v1/orders/{alice_order}/", None),
        ("POST", f"/api/v1/orders/{alice_order}/cancel/", {}),
        ("GET", f"/api/v1/bookings/{alice_booking}/", None),
        ("POST", f"/api/v1/bookings/{alice_booking}/cancel/", {}),
    ]
    for method, path, body in probes:
        status, answer = http_json(method, base + path, token=bob, body=body)
        if status != 404:
            failures.append(
                f"bob {method} {path} (alice's) -> {status} {str(answer)[:200]}, expected 404"
            )
        elif not (isinstance(answer, dict) and answer.get("code") == "not_found"):
            failures.append(f"bob {method} {path}: a 404 without the error format: {answer}")
    for path, alice_id in (("/api/v1/orders/", alice_order), ("/api/v1/bookings/", alice_booking)):
        status, page = http_json("GET", base + path + "?page_size=100", token=bob)
        ids = {row["id"] for row in page.get("results", [])} if status == 200 else set()
        if status != 200 or alice_id in ids:
            failures.append(f"bob's {path} list shows alice's {alice_id} (or failed: {status})")
    # And alice still has hers, untouched.
    for path in (f"/api/v1/orders/{alice_order}/", f"/api/v1/bookings/{alice_booking}/"):
        status, answer = http_json("GET", base + path, token=tokens["alice"])
        if status != 200 or "cancel" in str(answer.get("status", "")):
            failures.append(f"alice's {path} after bob's attempts: {status} {str(answer)[:200]}")
    log(f"cross-user reads: {len(probes) + 2} probes, {len(failures)} failures")
    return failures


def _field_level_writes(base: str, tokens: dict, setup: dict) -> list[str]:
    """Fields a client does not own are ignored, whatever it sends."""
    failures = []
    alice, bob = tokens["alice"], tokens["bob"]
    status, me = http_json("GET", f"{base}/api/v1/auth/me/", token=bob)
    bob_id = me["id"] if status == 200 else -1
    foreign = {
        "status": "collected",
        "customer": bob_id,
        "user": bob_id,
        "pickup_code": "AAAAAA",
        "total": "0.01",
        "paid_at": "2020-01-01T00:00:00Z",
    }
    order_body = _order_body(setup, **foreign)
    order_body["lines"][0].update({"unit_price": "0.01", "price": "0.01", "vendor": 1})
    status, order = http_json("POST", f"{base}/api/v1/orders/", token=alice, body=order_body)
    if status not in (201, 400):
        failures.append(f"order with foreign fields -> {status} {order}")
    elif status == 201:
        if order.get("status") == "collected" or order.get("pickup_code") == "AAAAAA":
            failures.append(f"an order took a client-sent status or code: {order}")
        line = order["lines"][0]
        if str(line.get("unit_price")) == "0.01" or str(order.get("total")) == "0.01":
            failures.append(f"an order took a client-sent price: {order}")
        status, _ = http_json("GET", f"{base}/api/v1/orders/{order['id']}/", token=bob)
        if status != 404:
            failures.append(
                f"an order sent by alice with customer=bob is visible to bob ({status})"
            )
    booking_body = _booking_body(setup, **foreign, price="0.01", total_price="0.01", code="AAAAAA")
    status, booking = http_json("POST", f"{base}/api/v1/bookings/", token=alice, body=booking_body)
    if status not in (201, 400, 409):
        failures.append(f"booking with foreign fields -> {status} {booking}")
    elif status == 201:
        if booking.get("status") == "collected" or booking.get("code") == "AAAAAA":
            failures.append(f"a booking took a client-sent status or code: {booking}")
        if "0.01" in {str(booking.get("total")), str(booking.get("total_price"))}:
            failures.append(f"a booking took a client-sent price: {booking}")
        status, _ = http_json("GET", f"{base}/api/v1/bookings/{booking['id']}/", token=bob)
        if status != 404:
            failures.append(
                f"a booking sent by alice with customer=bob is visible to bob ({status})"
            )
    status, profile = http_json(
        "PATCH",
        f"{base}/api/v1/auth/me/",
        token=bob,
        body={"username": "root", "is_staff": True, "id": 1},
    )
    if status == 200 and (profile.get("username") == "root" or profile.get("is_staff")):
        failures.append(f"a profile update took username/is_staff: {profile}")
    log(f"field-level writes: 3 attempts, {len(failures)} failures")
    return failures


if __name__ == "__main__":
    sys.exit(main())
