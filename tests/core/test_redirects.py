"""Every ``next`` goes through core.redirects.safe_next: off-site or broken
targets are ignored, never followed and never a 500 (issue 11, point 5)."""

from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model

from core.redirects import is_safe_next
from tests.factories import UserFactory

User = get_user_model()
pytestmark = pytest.mark.django_db

BAD_NEXT = [
    "https://evil.example/",
    "//evil.example/",
    "https:evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "foo",
    "javascript:alert(1)",
    "///evil.example",
    " //evil.example",
    "http://testserver/account/",  # even this host: only paths
]
STRONG = "a-long-unusual-pass-42"


@pytest.mark.parametrize("next_url", BAD_NEXT)
def test_registration_ignores_a_bad_next_and_creates_the_account_once(client, next_url):
    response = client.post(
        "/en/account/register/?" + urlencode({"next": next_url}),
        {"username": "newcomer", "password1": STRONG, "password2": STRONG},
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/account/"
    assert User.objects.filter(username="newcomer").count() == 1


def test_registration_follows_a_local_next(client):
    response = client.post(
        "/en/account/register/?next=/en/tours/%3Fpage%3D2",
        {"username": "newcomer", "password1": STRONG, "password2": STRONG},
    )
    assert response["Location"] == "/en/tours/?page=2"


@pytest.mark.parametrize("next_url", BAD_NEXT)
def test_sign_in_ignores_a_bad_next(client, next_url):
    UserFactory(username="sam")
    response = client.post(
        "/en/account/login/",
        {"username": "sam", "password": "correct-horse-battery", "next": next_url},
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/account/"


def test_sign_in_and_out_follow_a_local_next(client):
    UserFactory(username="sam")
    response = client.post(
        "/en/account/login/",
        {"username": "sam", "password": "correct-horse-battery", "next": "/en/products/"},
    )
    assert response["Location"] == "/en/products/"
    assert client.post("/en/account/logout/", {"next": "//evil.example"})["Location"] == "/en/"


@pytest.mark.parametrize("next_url", BAD_NEXT)
def test_the_rule_refuses_every_way_off_the_site(rf, next_url):
    assert not is_safe_next(rf.get("/"), next_url)


@pytest.mark.parametrize("next_url", ["/", "/en/account/", "/products/?q=%2F%2Fx"])
def test_the_rule_keeps_local_paths(rf, next_url):
    assert is_safe_next(rf.get("/"), next_url)
