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
