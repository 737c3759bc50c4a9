"""Usernames, phone numbers and e-mail addresses name one account each, in any
letter case and across both sign-in identifiers (issue 11, point 4)."""

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.db import IntegrityError, transaction
from django.utils import translation

from accounts import services
from accounts.admin import UserAdmin
from tests.factories import UserFactory

User = get_user_model()
pytestmark = pytest.mark.django_db

NEUTRAL = "This username or phone number cannot be used."
STRONG = "a-long-unusual-pass-42"


@pytest.fixture(autouse=True)
def _english(api_client, user_api):
    # The messages are compared in English; the API follows Accept-Language.
    for client in (api_client, user_api):
        client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    with translation.override("en"):
        yield


def web_register(client, **fields):
    data = {"password1": STRONG, "password2": STRONG, **fields}
    return client.post("/en/account/register/", data)


def api_register(api_client, **fields):
    return api_client.post("/api/v1/auth/register/", {"password": STRONG, **fields}, format="json")


@pytest.fixture
def visitor(db):
    return UserFactory(username="visitor", phone="13800000001", email="visitor@example.org")


def test_a_username_equal_to_someones_phone_is_refused_on_the_web(client, visitor, rf):
    # when: the attack the tester found
    response = web_register(client, username="13800000001")
    # then: refused, and the visitor can still sign in by phone
    assert response.status_code == 400
    assert not User.objects.filter(username="13800000001").exists()
    assert authenticate(rf.post("/"), username="13800000001", password="correct-horse-battery")


@pytest.mark.parametrize("username", ["13800000001", "12345", "+8613900000000"])
def test_usernames_of_digits_only_are_refused_everywhere(client, api_client, username):
    assert web_register(client, username=username).status_code == 400
    response = api_register(api_client, username=username)
    assert response.status_code == 400
    assert "username" in response.json()["errors"]
    assert not User.objects.filter(username=username).exists()


def test_usernames_differ_by_more_than_letter_case(client, api_client, visitor):
    web = web_register(client, username="VISITOR")
    assert web.status_code == 400
    assert NEUTRAL in web.content.decode()
    api = api_register(api_client, username="Visitor")
    assert api.status_code == 400
    assert api.json()["errors"] == {"username": [NEUTRAL]}
    assert User.objects.filter(username__iexact="visitor").count() == 1


def test_registration_says_the_same_for_a_used_username_and_a_used_phone(
    client, api_client, visitor
):
    # given: a username that is taken, and a phone that is taken
    by_name = api_register(api_client, username="visitor").json()["errors"]
    by_phone = api_register(api_client, username="newbie", phone="13800000001").json()["errors"]
    # then: the very same words, and nothing that says "taken" or "exists"
    assert by_name == {"username": [NEUTRAL]}
    assert by_phone == {"phone": [NEUTRAL]}
    page_name = web_register(client, username="visitor").content.decode()
    page_phone = web_register(client, username="newbie", phone="13800000001").content.decode()
    for page in (page_name, page_phone):
        assert NEUTRAL in page
        assert "already" not in page and "taken" not in page


def test_a_phone_equal_to_a_legacy_username_is_refused(api_client, user_api, db):
    # given: an account from before the rule, with a phone-shaped username
    UserFactory(username="13700000002")
    # then: nobody may take that number as their phone
    assert api_register(api_client, username="nia", phone="13700000002").status_code == 400
    response = user_api.patch("/api/v1/auth/me/", {"phone": "13700000002"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"phone": [NEUTRAL]}


def test_email_addresses_are_unique_whatever_their_case(client, api_client, user_api, visitor):
    assert api_register(api_client, username="ola", email="VISITOR@example.org").status_code == 400
    assert web_register(client, username="ola", email="Visitor@Example.org").status_code == 400
    response = user_api.patch("/api/v1/auth/me/", {"email": "visitor@EXAMPLE.org"}, format="json")
    assert response.status_code == 400
    assert "email" in response.json()["errors"]
    # many accounts may have none
    UserFactory(username="p1", email="")
    UserFactory(username="p2", email="")


def test_profile_update_may_keep_its_own_phone_and_email(user_api, user):
    response = user_api.patch(
        "/api/v1/auth/me/", {"phone": user.phone, "email": user.email.upper()}, format="json"
    )
    assert response.status_code == 200, response.json()


def test_profile_phone_taken_by_another_is_neutral(user_api, visitor):
    response = user_api.patch("/api/v1/auth/me/", {"phone": "13800000001"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"phone": [NEUTRAL]}


def test_the_registration_service_applies_the_rule_itself(visitor):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        services.user_register(username="VISITOR", password=STRONG)
    assert caught.value.message_dict == {"username": [NEUTRAL]}
    with pytest.raises(ValidationError) as caught:
        services.user_register(username="quinn", password=STRONG, phone="13800000001")
    assert caught.value.message_dict == {"phone": [NEUTRAL]}


def test_the_database_refuses_case_duplicates(visitor):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="ViSiToR")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="other", email="VISITOR@example.org")


def test_the_admin_user_forms_apply_the_rule(visitor, rf):
    from django.contrib import admin

    model_admin = UserAdmin(User, admin.site)
    request = rf.get("/")
    request.user = UserFactory(username="root", is_superuser=True, is_staff=True)
    add_form = model_admin.get_form(request, obj=None)(
        data={"username": "Visitor", "usable_password": "false"}
    )
    assert not add_form.is_valid()
    assert add_form.errors["username"] == [NEUTRAL]
    digits = model_admin.get_form(request, obj=None)(
        data={"username": "13800000009", "usable_password": "false"}
    )
    assert not digits.is_valid()
    # the change form: another account's phone is refused, its own values are kept
    other = UserFactory(username="rhea")
    change_form_class = model_admin.get_form(request, obj=other)
    initial = change_form_class(instance=other).initial
    data = {key: value for key, value in initial.items() if value is not None and key != "password"}
    data.update(
        date_joined_0=other.date_joined.strftime("%Y-%m-%d"),
        date_joined_1=other.date_joined.strftime("%H:%M:%S"),
        groups=[],
        user_permissions=[],
        phone="13800000001",
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)
    form = change_form_class(data=data, instance=other)
    assert not form.is_valid()
    assert form.errors["phone"] == [NEUTRAL]
    data["phone"] = "13800000002"
    form = change_form_class(data=data, instance=other)
    assert form.is_valid(), form.errors
