"""The signed-in user's row from the shared cache (accounts.backends): no
query for it once cached, and any change to the user counts at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/account/"


@pytest.fixture(autouse=True)
def user_cache_on(settings):
    settings.AUTH_USER_CACHE_SECONDS = 300


def _user_queries(client) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(PAGE)
    return response.status_code, sum(
        'FROM "accounts_user"' in q["sql"] for q in queries.captured_queries
    )


def _signed_in(client) -> bool:
    return client.get(PAGE).wsgi_request.user.is_authenticated


def test_the_user_is_read_once_then_from_the_cache(client):
    user = UserFactory()
    client.force_login(user)
    assert _user_queries(client) == (200, 1)
    assert _user_queries(client) == (200, 0)
    assert _signed_in(client)


def test_a_deactivated_account_is_signed_out_at_once(client):
    user = UserFactory()
    client.force_login(user)
    client.get(PAGE)
    user.is_active = False
    user.save()
    assert not _signed_in(client)


def test_a_new_password_ends_the_other_sessions_at_once(client):
    user = UserFactory()
    client.force_login(user)
    client.get(PAGE)
    user.set_password("another-horse-battery-staple")
    user.save()
    assert not _signed_in(client)


def test_a_deleted_account_is_signed_out(client):
    user = UserFactory()
    client.force_login(user)
    client.get(PAGE)
    # PROTECT'ed rows may refer to a user; a bare one can go.
    user.delete()
    assert not _signed_in(client)


def test_off_without_a_shared_cache(client, settings):
    settings.AUTH_USER_CACHE_SECONDS = 0
    client.force_login(UserFactory())
    client.get(PAGE)
    assert _user_queries(client) == (200, 1)


# --- API tokens ------------------------------------------------------------------------


def _api(key):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _auth_queries(client) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/auth/me/")
    return response.status_code, sum(
        '"accounts_user"' in q["sql"] or '"accounts_apitoken"' in q["sql"]
        for q in queries.captured_queries
    )


def test_a_token_and_its_user_are_read_once_then_from_the_cache():
    from accounts import services

    issued = services.token_issue(user=UserFactory(), name="phone")
    client = _api(issued.key)
    status, first = _auth_queries(client)
    assert status == 200 and first >= 2  # the token, its user, recording its use
    # Recording the use dropped the cached token: read once more, then cached.
    assert _auth_queries(client) == (200, 1)
    assert _auth_queries(client) == (200, 0)


def test_a_revoked_token_is_refused_at_once():
    from accounts import services

    user = UserFactory()
    issued = services.token_issue(user=user, name="phone")
    client = _api(issued.key)
    assert client.get("/api/v1/auth/me/").status_code == 200
    services.token_revoke_all(user=user)
    response = client.get("/api/v1/auth/me/")
    assert response.status_code == 401 and response.json()["code"] == "token_invalid"


def test_a_deactivated_users_token_is_refused_at_once():
    from accounts import services

    user = UserFactory()
    client = _api(services.token_issue(user=user, name="phone").key)
    assert client.get("/api/v1/auth/me/").status_code == 200
    user.is_active = False
    user.save()
    assert client.get("/api/v1/auth/me/").status_code == 401


def test_a_tokens_use_is_still_recorded_once_a_minute():
    import datetime as dt

    from django.utils import timezone

    from accounts import services
    from accounts.models import ApiToken

    issued = services.token_issue(user=UserFactory(), name="phone")
    client = _api(issued.key)
    client.get("/api/v1/auth/me/")
    first = ApiToken.objects.get(pk=issued.token.pk).last_used_at
    assert first is not None
    # A minute later (as if): the cached copy says when it was last used, so
    # the next request writes again, once.
    ApiToken.objects.filter(pk=issued.token.pk).update(
        last_used_at=timezone.now() - dt.timedelta(minutes=2)
    )
    from accounts.backends import forget_token

    forget_token(issued.token.key_hash)
    client.get("/api/v1/auth/me/")
    again = ApiToken.objects.get(pk=issued.token.pk).last_used_at
    assert again > first - dt.timedelta(seconds=1)
    client.get("/api/v1/auth/me/")
    assert _auth_queries(client) == (200, 0)  # not written on every request


def test_a_tokens_entry_holds_its_user_and_follows_a_change_to_the_user():
    """One round trip for an API request: the token's entry holds its user,
    and a change to the user (here the e-mail) drops the entries of all the
    user's tokens, so every device sees it at once."""
    from accounts import services

    user = UserFactory(email="old@example.org")
    phone, tablet = (_api(services.token_issue(user=user, name=n).key) for n in ("p", "t"))
    for client in (phone, tablet):
        client.get("/api/v1/auth/me/")
        client.get("/api/v1/auth/me/")  # recording the use dropped the entry once
        assert _auth_queries(client) == (200, 0)
    user.email = "new@example.org"
    user.save()
    for client in (phone, tablet):
        status, reads = _auth_queries(client)
        assert (status, reads) == (200, 1)  # the token with its user, in one query
        assert client.get("/api/v1/auth/me/").json()["email"] == "new@example.org"
