"""A reseller's view of every request and answer of the OCTO flow, checked
against the OCTO specification as its maintainers publish it: the OpenAPI
document in the npm package @octocloud/types (node_modules, installed by
`make test`), validated with openapi-core. The requests must be what the
specification allows and the answers what it promises (required fields,
types, enums: statuses, unit types, error codes)."""

import json

import pytest
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse

from .conftest import availability_id, reservation

pytestmark = pytest.mark.django_db


def _check(spec: OpenAPI, octo) -> None:
    """Every request the reseller sent and the answer it got, as the spec sees them."""
    for response, (method, path, query, body) in zip(octo.responses, octo.sent, strict=True):
        headers = {
            "Authorization": octo.client._credentials["HTTP_AUTHORIZATION"],
            "Octo-Capabilities": octo.headers["HTTP_OCTO_CAPABILITIES"],
        }
        if body is not None:
            headers["Content-Type"] = "application/json"
        request = MockRequest(
            "http://testserver",
            method,
            path,
            args=query,
            headers=headers,
            data=json.dumps(body).encode() if body is not None else None,
        )
        spec.validate_request(request)
        spec.validate_response(
            request,
            MockResponse(
                response.content,
                status_code=response.status_code,
                headers=dict(response.items()),
            ),
        )


@pytest.mark.parametrize("capabilities", ["", "octo/pricing"])
def test_every_answer_of_the_flow_is_what_the_octo_spec_promises(
    octo_spec, reseller, trip, capabilities
):
    from .conftest import Octo

    spec = OpenAPI.from_dict(octo_spec)
    octo = Octo(reseller[1], capabilities=capabilities)
    route, departure = trip
    day = departure.date.isoformat()
    octo.get("/supplier/")
    octo.get("/products/")
    octo.get(f"/products/{route.slug}")
    octo.post(
        "/availability/calendar",
        {
            "productId": route.slug,
            "optionId": "DEFAULT",
            "localDateStart": day,
            "localDateEnd": day,
            "units": [{"id": "adult", "quantity": 2}],
        },
    )
    octo.post(
        "/availability/",
        {
            "productId": route.slug,
            "optionId": "DEFAULT",
            "localDateStart": day,
            "localDateEnd": day,
        },
    )
    octo.post(
        "/availability/",
        {
            "productId": route.slug,
            "optionId": "DEFAULT",
            "availabilityIds": [availability_id(departure)],
        },
    )
    body = reservation(route, departure, ("adult", "child"), expirationMinutes=20)
    octo.post("/bookings/", body)
    octo.post(f"/bookings/{body['uuid']}/extend", {"expirationMinutes": 30})
    octo.patch(f"/bookings/{body['uuid']}", {"resellerReference": "R-9"})
    octo.post(
        f"/bookings/{body['uuid']}/confirm",
        {
            "contact": {
                "fullName": "王芳",
                "phoneNumber": "13912345678",
                "emailAddress": "wang@example.org",
            }
        },
    )
    octo.get(f"/bookings/{body['uuid']}")
    octo.get("/bookings/", resellerReference="R-9")
    octo.post(f"/bookings/{body['uuid']}/cancel", {"reason": "ill"})
    assert [r.status_code for r in octo.responses] == [200] * len(octo.responses)
    _check(spec, octo)


def test_error_answers_are_the_specs_error_shapes(octo_spec, octo, trip):
    spec = OpenAPI.from_dict(octo_spec)
    route, departure = trip
    octo.post(
        "/availability/",
        {
            "productId": "nope",
            "optionId": "DEFAULT",
            "localDateStart": "2026-01-01",
            "localDateEnd": "2026-01-02",
        },
    )
    octo.post("/bookings/", reservation(route, departure, ("infant",)))
    octo.post(
        "/bookings/",
        {**reservation(route, departure), "availabilityId": "2020-01-01T08:00:00+08:00"},
    )
    octo.get("/bookings/00000000-0000-4000-8000-000000000000")
    assert [r.status_code for r in octo.responses] == [400] * len(octo.responses)
    _check(spec, octo)
    errors = {r.json()["error"]: r.json() for r in octo.responses}
    assert set(errors) == {
        "INVALID_PRODUCT_ID",
        "INVALID_UNIT_ID",
        "INVALID_AVAILABILITY_ID",
        "INVALID_BOOKING_UUID",
    }
