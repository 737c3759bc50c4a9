"""Every operation of /api/v1/ answers what the schema says (issue 19).

One journey through every operation of the schema, as a customer of the demo
data would make it, in both languages; openapi-core validates each request
and each response against the schema the server itself serves at
/api/schema/ (its own check of the schema switched on). A field that can be
null but is not marked nullable, a format the data breaks, an undocumented
status code: each is a failure here, named with the operation.
"""

import re

import pytest
import yaml
from django.core.management import call_command
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

LANGUAGES = ("zh-hans", "zh-hant", "en")
PASSWORD = "a-long-journey-password"


class Journey:
    """An API client that validates every exchange and records which
    operations of the schema it has made."""

    def __init__(self, openapi: OpenAPI, schema: dict, language: str):
        self.openapi = openapi
        self.schema = schema
        self.language = language
        self.client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
        self.failures: list[str] = []
        self.seen: set[tuple[str, str]] = set()
        self.templates = [
            (re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$"), method, path)
            for path, item in schema["paths"].items()
            for method in item
        ]

    def token(self, key: str | None) -> None:
        self.client.credentials(**({"HTTP_AUTHORIZATION": f"Token {key}"} if key else {}))

    def call(self, method: str, url: str, body=None, *, expect: int, **extra):
        response = getattr(self.client, method)(url, body, format="json", **extra)
        path = url.split("?", 1)[0]
        for pattern, op_method, template in self.templates:
            if op_method == method and pattern.match(path):
                self.seen.add((method, template))
        label = f"[{self.language}] {method.upper()} {url} -> {response.status_code}"
        # The later steps build on this one's answer: stop here.
        assert response.status_code == expect, (
            f"{label}: expected {expect}: {response.content[:500]!r}"
        )
        request = _Request(response.wsgi_request)
        try:
            self.openapi.validate_request(request)
        except Exception as error:
            if expect < 400:
                self.failures.append(f"{label}: request: {_explain(error)}")
        try:
            self.openapi.validate_response(request, DjangoOpenAPIResponse(response))
        except Exception as error:
            self.failures.append(f"{label}: response: {_explain(error)}")
        return response.json() if response.content else None


class _Request(DjangoOpenAPIRequest):
    # openapi-core would take the path parameters' names from Django's route
    # (<int:pk>); the schema names them as drf-spectacular does ({id}): let it
    # match the path against the schema's templates instead.
    path_pattern = None

    def __init__(self, request):
        super().__init__(request)
        self.parameters.path = {}


def _explain(error: Exception) -> str:
    causes = []
    while error is not None:
        causes.append(f"{type(error).__name__}: {str(error)[:150]}")
        for inner in getattr(error, "schema_errors", []) or []:
            causes.append(f"  {'/'.join(map(str, inner.absolute_path))}: {inner.message}")
        error = error.__cause__
    return "\n    ".join(causes)[:2000]


def _schema(language: str) -> dict:
    response = APIClient().get("/api/schema/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def _walk(j: Journey, other: Journey) -> None:
    # Reads anyone can make, every list and a detail of each.
    for name in ("routes", "departures", "products", "centres"):
        assert j.call("get", f"/api/v1/{name}/", expect=200)["count"] > 0
    for name in ("agreements", "figures", "pairings", "projects"):
        rows = j.call("get", f"/api/v1/cooperation/{name}/", expect=200)["results"]
        key = {"agreements": "slug", "figures": "key", "pairings": "id", "projects": "slug"}[name]
        for row in rows[:30]:
            j.call("get", f"/api/v1/cooperation/{name}/{row[key]}/", expect=200)
    routes = j.call("get", "/api/v1/routes/", expect=200)["results"]
    for route in routes:
        j.call("get", f"/api/v1/routes/{route['slug']}/", expect=200)
    products = j.call("get", "/api/v1/products/?page_size=100", expect=200)["results"]
    for product in products:
        j.call("get", f"/api/v1/products/{product['slug']}/", expect=200)

    # Error paths of the reads.
    j.call("get", "/api/v1/routes/no-such-route/", expect=404)
    j.call("get", "/api/v1/products/?page=999", expect=404)
    j.call("get", "/api/v1/departures/?date_from=not-a-date", expect=400)
    j.call("get", "/api/v1/orders/", expect=401)
    j.call("get", "/api/v1/purchase-shares/", expect=401)

    # A lot's public trace (what its QR code opens), and a lot that is not there.
    from marketplace.models import Lot

    lot = Lot.objects.filter(variant__gtin__gt="", recorded=True).select_related("variant").first()
    assert lot is not None, "the demo has lots of variants with a GTIN"
    trace = j.call("get", f"/api/v1/trace/{lot.variant.gtin}/{lot.code}/", expect=200)
    assert trace["trace_url"].endswith(f"/01/{lot.variant.gtin}/10/{lot.code}")
    j.call("get", f"/api/v1/trace/{lot.variant.gtin}/NO-SUCH-LOT/", expect=404)
    j.call("get", "/api/v1/lots/", expect=401)
    j.call("post", "/api/v1/lots/", {}, expect=401)

    # Register, sign in (and fail to), the profile.
    user = f"journey-{j.language}"
    j.call("post", "/api/v1/auth/register/", {"username": user, "password": "x"}, expect=400)
    j.call("post", "/api/v1/auth/register/", {"username": user, "password": PASSWORD}, expect=201)
    j.call("post", "/api/v1/auth/token/", {"username": user, "password": "wrong"}, expect=401)
    j.call("post", "/api/v1/auth/token/", {"username": user}, expect=400)
    key = j.call(
        "post", "/api/v1/auth/token/", {"username": user, "password": PASSWORD}, expect=200
    )
    j.token(key["token"])
    me = j.call("get", "/api/v1/auth/me/", expect=200)
    assert me["username"] == user and me["email"] == "" and me["phone"] is None
    j.call("patch", "/api/v1/auth/me/", {"email": "not-an-address"}, expect=400)
    j.call("patch", "/api/v1/auth/me/", {"first_name": "Journey"}, expect=200)
    # A customer acts for no unit: no purchase shares (a unit's own: tests/marketplace).
    assert j.call("get", "/api/v1/purchase-shares/", expect=200) == []
    j.call("get", "/api/v1/purchase-shares/?year=1900", expect=400)

    # An order: products, a counter, order, read, list, cancel, cancel again.
    detail = j.call("get", f"/api/v1/products/{products[0]['slug']}/", expect=200)
    variant = next(v for v in detail["variants"] if any(s["available"] > 0 for s in v["stock"]))
    counter = next(s["counter"] for s in variant["stock"] if s["available"] > 0)
    body = {"counter": counter, "lines": [{"variant": variant["id"], "quantity": 1}]}
    j.call("post", "/api/v1/orders/", {"counter": counter, "lines": []}, expect=400)
    order = j.call("post", "/api/v1/orders/", body, expect=201)
    assert order["qr_text"] == order["pickup_code"]  # what the order page's QR encodes
    j.call("get", f"/api/v1/orders/{order['id']}/", expect=200)
    assert j.call("get", "/api/v1/orders/", expect=200)["count"] == 1
    j.call("post", f"/api/v1/orders/{order['id']}/cancel/", expect=200)
    j.call("post", f"/api/v1/orders/{order['id']}/cancel/", expect=409)
    j.call("get", "/api/v1/orders/999999/", expect=404)

    # A harvest presale: the open ones, a pledge (a bad one first), mine, withdraw twice.
    presales = j.call("get", "/api/v1/presales/", expect=200)["results"]
    presale = presales[0]  # the demo's chestnuts
    pledge_at = (
        next(s["counter"] for s in detail["variants"][0]["stock"])
        if detail["slug"] == presale["product_slug"]
        else None
    )
    if pledge_at is None:
        chestnuts = j.call("get", f"/api/v1/products/{presale['product_slug']}/", expect=200)
        pledge_at = chestnuts["variants"][0]["stock"][0]["counter"]
    url = f"/api/v1/presales/{presale['id']}/pledges/"
    j.call("post", url, {"counter": pledge_at, "quantity": 0}, expect=400)
    j.call(
        "post",
        "/api/v1/presales/999999/pledges/",
        {"counter": pledge_at, "quantity": 1},
        expect=404,
    )
    pledge = j.call("post", url, {"counter": pledge_at, "quantity": 2}, expect=201)
    assert j.call("get", "/api/v1/pledges/", expect=200)["count"] == 1
    j.call("post", f"/api/v1/pledges/{pledge['id']}/withdraw/", expect=200)
    j.call("post", f"/api/v1/pledges/{pledge['id']}/withdraw/", expect=409)

    # A booking; the other customer waits for it on the (now full) departure,
    # leaves and joins again, gets the seat when it is cancelled and confirms.
    departure = next(
        d
        for d in j.call("get", "/api/v1/departures/", expect=200)["results"]
        if d["bookable"] and d["seats_left"] > 0
    )
    seat = {"seats": 1, "contact_name": "Journey", "contact_phone": "13900000000"}
    j.call("post", "/api/v1/bookings/", {**seat, "departure": 999999}, expect=400)
    booking = j.call(
        "post", "/api/v1/bookings/", {**seat, "departure": departure["id"]}, expect=201
    )
    j.call("get", f"/api/v1/bookings/{booking['id']}/", expect=200)
    assert booking["qr_text"].endswith(f"/vendor/tours/booking/check-in/?code={booking['code']}")
    assert j.call("get", "/api/v1/bookings/", expect=200)["count"] == 1
    from tours.models import Departure

    Departure.objects.filter(pk=departure["id"]).update(capacity=1)
    other.call("post", f"/api/v1/departures/{departure['id']}/waitlist/", seat, expect=201)
    entries = other.call("get", "/api/v1/waitlist/", expect=200)["results"]
    other.call("post", f"/api/v1/waitlist/{entries[0]['id']}/leave/", expect=200)
    other.call("post", f"/api/v1/waitlist/{entries[0]['id']}/leave/", expect=409)
    other.call("post", f"/api/v1/departures/{departure['id']}/waitlist/", seat, expect=201)
    j.call("post", f"/api/v1/bookings/{booking['id']}/cancel/", expect=200)
    j.call("post", f"/api/v1/bookings/{booking['id']}/cancel/", expect=409)
    held = other.call("get", "/api/v1/bookings/", expect=200)["results"][0]
    assert held["status"] == "held"
    other.call("post", f"/api/v1/bookings/{held['id']}/confirm/", expect=200)
    other.call("post", f"/api/v1/bookings/{held['id']}/confirm/", expect=409)
    j.call("get", f"/api/v1/bookings/{held['id']}/", expect=404)
    # ...and moves it to another date of the same route, then tries again.
    later = next(
        d
        for d in j.call("get", f"/api/v1/departures/?route={departure['route']}", expect=200)[
            "results"
        ]
        if d["bookable"] and d["seats_left"] > 0 and d["id"] != departure["id"]
    )
    move = f"/api/v1/bookings/{held['id']}/reschedule/"
    other.call("post", move, {"departure": later["id"]}, expect=200)
    other.call("post", move, {"departure": later["id"]}, expect=409)
    other.call("post", move, {"departure": "x"}, expect=400)
    j.call("post", move, {"departure": later["id"]}, expect=404)

    # Lots: a customer has none and may receive nothing; the demo's counter
    # staff receive goods (a bad lot first) and list their lots.
    assert j.call("get", "/api/v1/lots/", expect=200)["count"] == 0
    j.call(
        "post",
        "/api/v1/lots/",
        {"counter": counter, "variant": variant["id"], "quantity": 1},
        expect=403,
    )
    from accounts.demo import DEMO_PASSWORD

    staff = Journey(j.openapi, j.schema, j.language)
    staff.seen = j.seen
    key = staff.call(
        "post",
        "/api/v1/auth/token/",
        {"username": "counter1", "password": DEMO_PASSWORD},
        expect=200,
    )
    staff.token(key["token"])
    at = (
        Lot.objects.filter(counter__assignments__user__username="counter1")
        .values_list("counter_id", "variant_id")
        .first()
    )
    receipt = {
        "counter": at[0],
        "variant": at[1],
        "quantity": 3,
        "harvested_on": "2026-09-20",
        "certificate": "compliance",
        "certificate_number": "J-1",
    }
    staff.call("post", "/api/v1/lots/", {**receipt, "quantity": 0}, expect=400)
    staff.call("post", "/api/v1/lots/", {**receipt, "harvested_on": "2999-01-01"}, expect=400)
    made = staff.call("post", "/api/v1/lots/", {**receipt, "lot": f"J-{j.language}"}, expect=201)
    staff.call("post", "/api/v1/lots/", {**receipt, "lot": f"J-{j.language}"}, expect=409)
    assert made["remaining"] == 3 and made["lot"] == f"J-{j.language.upper()}"
    assert staff.call("get", "/api/v1/lots/", expect=200)["count"] > 0
    j.failures += staff.failures

    # Signing out revokes the token.
    j.call("post", "/api/v1/auth/logout/", {}, expect=200)
    j.call("get", "/api/v1/auth/me/", expect=401)


def test_every_response_of_every_operation_matches_the_schema():
    # given: the demo data, and the schema as the server serves it in each language
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    failures, seen = [], set()
    for index, language in enumerate(LANGUAGES):
        schema = _schema(language)
        openapi = OpenAPI.from_dict(schema)  # raises if the schema is not valid OpenAPI
        journey, other = Journey(openapi, schema, language), Journey(openapi, schema, language)
        key = other.call(
            "post",
            "/api/v1/auth/register/",
            {"username": f"other-{index}", "password": PASSWORD, "first_name": "Other"},
            expect=201,
        )
        other.token(key["token"])
        # when: a journey through every operation
        _walk(journey, other)
        failures += journey.failures + other.failures
        seen |= journey.seen | other.seen
    # then: every response matched, and no operation was left out
    operations = {(m, p) for p, item in schema["paths"].items() for m in item}
    assert not operations - seen, f"operations the journey missed: {sorted(operations - seen)}"
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)
