import pytest
from django.contrib.auth import authenticate, get_user_model
from django.urls import reverse

from accounts import services
from tests.factories import UserFactory

User = get_user_model()
pytestmark = pytest.mark.django_db


def test_sign_in_with_username_or_phone(rf, password):
    # given
    user = UserFactory(username="bob", phone="13911112222")
    request = rf.post("/account/login/")
    # when / then
    assert authenticate(request, username="bob", password=password) == user
    assert authenticate(request, username="BOB", password=password) == user
    assert authenticate(request, username="13911112222", password=password) == user
    assert authenticate(request, username="13911112222", password="wrong") is None
    assert authenticate(request, username="nobody", password=password) is None


def test_inactive_user_cannot_sign_in(rf, password):
    UserFactory(username="gone", is_active=False)
    assert authenticate(rf.post("/"), username="gone", password=password) is None


def test_blank_phone_is_stored_as_null_so_many_users_can_lack_one():
    UserFactory(username="a", phone="")
    UserFactory(username="b", phone="")
    assert User.objects.filter(phone__isnull=True).count() == 2


def test_user_register_rejects_weak_password():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.user_register(username="weak", password="123")
    assert not User.objects.filter(username="weak").exists()


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_web_register_sign_in_sign_out_and_change_password(client, prefix):
    # register
    response = client.post(
        f"{prefix}/account/register/",
        {
            "username": "carol",
            "email": "c@example.org",
            "phone": "13700000000",
            "password1": "a-long-unusual-pass-42",
            "password2": "a-long-unusual-pass-42",
        },
    )
    assert response.status_code == 302
    assert client.get(f"{prefix}/account/").status_code == 200
    # sign out (POST only, CSRF-protected form in the page)
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(f"{prefix}/account/").status_code == 302
    # sign in with the phone number
    response = client.post(
        f"{prefix}/account/login/",
        {"username": "13700000000", "password": "a-long-unusual-pass-42"},
    )
    assert response.status_code == 302
    # change password
    response = client.post(
        f"{prefix}/account/password/",
        {
            "old_password": "a-long-unusual-pass-42",
            "new_password1": "another-long-pass-77",
            "new_password2": "another-long-pass-77",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="carol").check_password("another-long-pass-77")


def test_web_register_with_weak_password_shows_errors(client):
    response = client.post(
        "/en/account/register/",
        {"username": "dave", "password1": "password", "password2": "password"},
    )
    assert response.status_code == 400
    assert "too common" in response.content.decode()
    assert not User.objects.filter(username="dave").exists()


def test_account_page_requires_sign_in(client):
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


def test_api_register_returns_a_token_that_authenticates(api_client):
    response = api_client.post(
        "/api/v1/auth/register/",
        {"username": "erin", "password": "a-long-unusual-pass-42", "phone": "13600000000"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    token = response.json()["token"]
    me = api_client.get("/api/v1/auth/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.status_code == 200
    assert me.json()["username"] == "erin"
    bearer = api_client.get("/api/v1/auth/me/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert bearer.json()["phone"] == "13600000000"


def test_api_register_errors_name_the_field(api_client):
    UserFactory(username="taken")
    response = api_client.post(
        "/api/v1/auth/register/",
        {"username": "taken", "password": "x", "phone": "abc"},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["errors"]) >= {"username", "phone"}
    assert body["detail"].startswith(("username", "phone", "password"))


def test_api_token_with_phone_and_wrong_password(api_client, password):
    UserFactory(username="fay", phone="13500000000")
    ok = api_client.post(
        "/api/v1/auth/token/", {"username": "13500000000", "password": password}, format="json"
    )
    assert ok.status_code == 200
    assert len(ok.json()["token"]) == 40
    bad = api_client.post(
        "/api/v1/auth/token/", {"username": "fay", "password": "nope"}, format="json"
    )
    assert bad.status_code == 401
    assert bad.json()["code"] == "authentication_failed"


def test_api_me_requires_authentication(api_client):
    response = api_client.get("/api/v1/auth/me/")
    assert response.status_code == 401
    assert set(response.json()) == {"detail", "code"}


def test_api_me_patch_validates_phone(user_api):
    UserFactory(username="other", phone="13300000000")
    response = user_api.patch("/api/v1/auth/me/", {"phone": "13300000000"}, format="json")
    assert response.status_code == 400
    assert "phone" in response.json()["errors"]
    response = user_api.patch("/api/v1/auth/me/", {"first_name": "Alice"}, format="json")
    assert response.status_code == 200
    assert response.json()["first_name"] == "Alice"
