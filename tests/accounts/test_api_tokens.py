"""API tokens (issue 11, point 6): they expire, a password change and a
sign-out revoke them, and a database copy holds no usable key."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient

from accounts.models import ApiToken
from tests.factories import UserFactory, api_token

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "another-long-pass-77"


def _sign_in(username="alice", password=PASSWORD, **headers):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": username, "password": password}, **headers
    )
    assert response.status_code == 200, response.content
    return response.json()


def _me(key, keyword="Token"):
    return APIClient().get("/api/v1/auth/me/", HTTP_AUTHORIZATION=f"{keyword} {key}")


def _logout(key, body=None):
    return APIClient().post(
        "/api/v1/auth/logout/", body or {}, format="json", HTTP_AUTHORIZATION=f"Token {key}"
    )


@pytest.fixture
def alice():
    return UserFactory(username="alice")


def test_each_sign_in_gets_its_own_expiring_token_stored_only_hashed(alice, settings):
    # given
    settings.API_TOKEN_TTL_DAYS = 7
    # when: the phone and the laptop sign in
    phone = _sign_in(HTTP_USER_AGENT="HuairouApp/1.0 (Android)")
    laptop = _sign_in()
    # then: two keys, both work, each with its expiry
    assert phone["token"] != laptop["token"]
    for answer in (phone, laptop):
        assert _me(answer["token"]).status_code == 200
        assert _me(answer["token"], "Bearer").status_code == 200
        expires = parse_datetime(answer["expires_at"])
        assert abs(expires - (timezone.now() + timedelta(days=7))) < timedelta(minutes=1)
    # and the database holds neither key, only their SHA-256 and a short prefix
    rows = list(ApiToken.objects.filter(user=alice).values())
    assert len(rows) == 2
    stored = " ".join(str(value) for row in rows for value in row.values())
    assert phone["token"] not in stored and laptop["token"] not in stored
    assert {row["name"] for row in rows} == {"HuairouApp/1.0 (Android)", ""}


def test_an_expired_token_is_refused_with_its_own_code(alice):
    # given: a token whose time is up
    key = _sign_in()["token"]
    ApiToken.objects.filter(user=alice).update(expires_at=timezone.now() - timedelta(seconds=1))
    # when
    for keyword in ("Token", "Bearer"):
        response = _me(key, keyword)
        # then: 401 in the API's error format, saying what to do
        assert response.status_code == 401
        assert response.json()["code"] == "token_expired"
        assert response.json()["detail"]
        assert response["WWW-Authenticate"] == "Token"
    # and the next sign-in clears it away
    _sign_in()
    assert ApiToken.objects.filter(user=alice).count() == 1


def test_a_wrong_token_is_refused(alice):
    response = _me("0" * 40)
    assert response.status_code == 401
    assert response.json()["code"] == "token_invalid"


def test_a_password_change_on_the_web_revokes_every_api_token(alice):
    # given: two devices signed in through the API, and a browser session
    keys = [_sign_in()["token"], _sign_in()["token"]]
    browser = Client()
    browser.force_login(alice)
    # when: the password is changed on the web
    response = browser.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    # then: the tokens are refused; the session that changed it goes on
    assert response.status_code == 302
    for key in keys:
        answer = _me(key)
        assert answer.status_code == 401
        assert answer.json()["code"] == "token_invalid"
    assert browser.get("/account/").status_code == 200
    assert _me(_sign_in(password=NEW_PASSWORD)["token"]).status_code == 200


def test_a_password_set_in_the_admin_revokes_every_api_token(alice, admin_client):
    # given
    key = _sign_in()["token"]
    # when
    response = admin_client.post(
        f"/admin/accounts/user/{alice.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    # then
    assert response.status_code == 302
    assert _me(key).status_code == 401


def test_logout_revokes_only_the_token_it_came_with(alice):
    # given: two devices
    phone, laptop = _sign_in()["token"], _sign_in()["token"]
    # when: the phone signs out
    response = _logout(phone)
    # then
    assert response.status_code == 200
    assert response.json() == {"revoked": 1}
    assert _me(phone).status_code == 401
    assert _me(laptop).status_code == 200
    assert _logout(phone).status_code == 401


def test_logout_all_revokes_every_token_of_the_account(alice):
    # given: three devices, and another user's token
    keys = [_sign_in()["token"] for _ in range(3)]
    bob = api_token(UserFactory(username="bob"))
    # when: one of them signs out everywhere
    response = _logout(keys[0], {"all": True})
    # then
    assert response.json() == {"revoked": 3}
    assert all(_me(key).status_code == 401 for key in keys)
    assert _me(bob).status_code == 200


def test_logout_needs_a_token_and_a_boolean():
    # given
    key = api_token(UserFactory(username="carol"))
    # when / then
    anonymous = APIClient().post("/api/v1/auth/logout/", {}, format="json")
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "not_authenticated"
    bad = _logout(key, {"all": "perhaps"})
    assert bad.status_code == 400
    assert "all" in bad.json()["errors"]
    assert _me(key).status_code == 200


def test_last_use_is_written_at_most_once_a_minute(alice):
    # given: a token just used
    key = _sign_in()["token"]
    _me(key)
    token = ApiToken.objects.get(user=alice)
    first = token.last_used_at
    assert first is not None
    # when: used again at once, then after more than a minute
    _me(key)
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    _me(key)
    # then
    token.refresh_from_db()
    assert token.last_used_at > first - timedelta(minutes=1)


def test_a_deactivated_account_token_is_refused(alice):
    key = _sign_in()["token"]
    get_user_model().objects.filter(pk=alice.pk).update(is_active=False)
    assert _me(key).status_code == 401


def test_the_schema_documents_logout_and_the_expiry():
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    logout = schema["paths"]["/api/v1/auth/logout/"]["post"]
    assert {"200", "400", "401"} <= set(logout["responses"])
    assert "all" in schema["components"]["schemas"]["LogoutInputRequest"]["properties"]
    assert "expires_at" in schema["components"]["schemas"]["TokenOutput"]["required"]
