import datetime as dt
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from rest_framework.test import APIClient

from resellers import services
from tests.factories import OrganizationFactory
from tests.tours.factories import DepartureFactory, DeparturePriceFactory, RouteFactory
from tours.models import LOCAL_TZ

ROOT = Path(__file__).resolve().parents[2]
# The OCTO specification as its maintainers publish it (npm @octocloud/types).
OCTO_SPEC = ROOT / "node_modules" / "@octocloud" / "types" / "src" / "openapi.yaml"


def make_reseller(slug, rate="0.1000"):
    organization = OrganizationFactory(
        slug=slug, name=f"{slug} 旅行网", kind="reseller", phone="010-88880000"
    )
    reseller = services.reseller_create(organization=organization, commission_rate=Decimal(rate))
    return reseller, services.key_issue(reseller=reseller, name="tests").key


class Octo:
    """A reseller's client: Bearer key, JSON, the capabilities it asks for."""

    def __init__(self, key, capabilities=""):
        self.client = APIClient()
        self.client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        # The specification has resellers send the header always, empty when
        # they ask for no capability.
        self.headers = {"HTTP_OCTO_CAPABILITIES": capabilities}
        self.responses = []

        self.sent = []  # (method, path, query, body) of each response, in order

    def _keep(self, response, method, path, query=None, body=None):
        self.responses.append(response)
        self.sent.append((method, f"/api/octo{path}", query or {}, body))
        return response

    def get(self, path, **params):
        response = self.client.get(f"/api/octo{path}", params, **self.headers)
        return self._keep(response, "get", path, query=params)

    def post(self, path, body=None):
        response = self.client.post(f"/api/octo{path}", body or {}, format="json", **self.headers)
        return self._keep(response, "post", path, body=body or {})

    def patch(self, path, body):
        response = self.client.patch(f"/api/octo{path}", body, format="json", **self.headers)
        return self._keep(response, "patch", path, body=body)


@pytest.fixture
def reseller(db):
    return make_reseller("trip-a")


@pytest.fixture
def octo(reseller):
    return Octo(reseller[1], capabilities="octo/pricing")


@pytest.fixture
def trip(db):
    """A route with one departure in ten days (capacity 6, child fare 60)."""
    route = RouteFactory(slug="tiantan-mutianyu", title="天坛+慕田峪", base_price=Decimal("168.00"))
    departure = DepartureFactory(route=route, capacity=6, start_time=dt.time(7, 30))
    DeparturePriceFactory(departure=departure, traveller_type="child", amount=Decimal("60.00"))
    return route, departure


def availability_id(departure):
    return dt.datetime.combine(departure.date, departure.start_time, tzinfo=LOCAL_TZ).isoformat()


def reservation(route, departure, units=("adult", "adult"), **extra):
    return {
        "uuid": str(uuid.uuid4()),
        "productId": route.slug,
        "optionId": "DEFAULT",
        "availabilityId": availability_id(departure),
        "unitItems": [{"unitId": u} for u in units],
        **extra,
    }


@pytest.fixture(scope="session")
def octo_spec():
    if not OCTO_SPEC.exists():
        pytest.fail(f"{OCTO_SPEC} is missing: run `npm ci` (make test does)")
    spec = yaml.safe_load(OCTO_SPEC.read_text())
    spec["servers"] = [{"url": "http://testserver/api/octo"}]
    # HTTP auth schemes are case-insensitive (RFC 9110 §11.1); openapi-core
    # compares the header's, lowercased, with the document's "Bearer" as written.
    spec["components"]["securitySchemes"]["BearerAuth"]["scheme"] = "bearer"
    # The document writes ``nullable: true`` beside ``allOf: [$ref]`` (a booking's
    # cancellation, voucher, availability, a unit item's ticket), which OpenAPI
    # 3.0.3 reads as not admitting null, since the referenced schema refuses it;
    # OCTO's docs and its own TypeScript types (``… | null``) say these are null
    # until they apply. Written here in a form 3.0 validators read that way.
    for schema in spec["components"]["schemas"].values():
        for name, prop in (schema.get("properties") or {}).items():
            if prop.get("nullable") and len(prop.get("allOf", [])) == 1:
                schema["properties"][name] = {
                    "anyOf": [
                        prop["allOf"][0],
                        {"type": "object", "nullable": True, "enum": [None]},
                    ]
                }
    return spec
