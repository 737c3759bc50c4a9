"""Answers to a signed-in user are private (core.middleware.PrivateCacheMiddleware):
no shared cache (a proxy, a CDN) may keep one and hand it to someone else,
while anonymous pages keep the public caching of the page cache."""

import pytest
from django.test import Client
from django.utils.http import split_directive_names

from accounts import services
from organizations.models import Organization
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PUBLIC_CACHE_SECONDS = 60


def _directives(response) -> set[str]:
    return set(split_directive_names(response.get("Cache-Control", "")))


def _vary(response) -> set[str]:
    return {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}


def _is_private(response) -> bool:
    directives = _directives(response)
    return (
        "private" in directives
        and "public" not in directives
        and bool(directives & {"no-cache", "no-store"})
    )


@pytest.mark.parametrize(
    "url", ["/", "/en/", "/products/", "/tours/", "/cooperation/", "/account/", "/api/v1/auth/me/"]
)
def test_every_page_a_signed_in_user_gets_is_private(client, url):
    # given
    client.force_login(UserFactory())
    # when
    response = client.get(url)
    # then
    assert response.status_code == 200
    assert _is_private(response), response.get("Cache-Control")
    assert "cookie" in _vary(response)


def test_the_partner_panel_is_private(client):
    # given
    membership = MembershipFactory(
        organization=OrganizationFactory(kind=Organization.Kind.PRODUCER)
    )
    client.force_login(membership.user)
    # when
    response = client.get("/vendor/")
    # then
    assert response.status_code == 200
    assert _is_private(response)


@pytest.mark.parametrize("url", ["/api/v1/products/", "/api/v1/auth/me/", "/api/v1/orders/"])
def test_an_api_answer_to_a_token_is_private_and_varies_on_authorization(url):
    # given
    key = services.token_issue(user=UserFactory()).key
    # when
    response = Client().get(url, HTTP_AUTHORIZATION=f"Token {key}")
    # then
    assert response.status_code == 200
    assert _is_private(response), response.get("Cache-Control")
    assert "authorization" in _vary(response)


def test_an_answer_to_a_request_with_a_rejected_token_is_not_public_either():
    # when
    response = Client().get("/api/v1/products/", HTTP_AUTHORIZATION="Token not-a-real-one")
    # then
    assert response.status_code == 401
    assert "public" not in _directives(response)
    assert "authorization" in _vary(response)


@pytest.mark.parametrize("url", ["/", "/products/", "/api/v1/products/"])
def test_anonymous_cached_pages_keep_their_public_header(client, url):
    # when
    first = client.get(url)
    second = client.get(url)  # from the page cache
    # then
    for response in (first, second):
        assert response["Cache-Control"] == "public, max-age=0, must-revalidate"
