"""Account administration in /admin/ (issue 11, point 3): district staff manage
programme content, not accounts; whoever manages accounts can't grant what
they don't hold; token administration is for superusers only. Each test
replays what a tester did as the demo's `district` user."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from accounts import demo
from accounts.models import ApiToken
from organizations.models import Membership
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    demo.load()
    return demo.User.objects.get(username="district")


@pytest.fixture
def account_manager():
    demo.load()
    user = UserFactory(username="manager", is_staff=True)
    user.groups.add(Group.objects.get(name=demo.ACCOUNT_MANAGERS_GROUP))
    return user


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _change_form(user, **fields) -> dict:
    data = {
        "username": user.username,
        "email": user.email,
        "phone": user.phone or "",
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "last_login_0": "",
        "last_login_1": "",
    }
    data.update(fields)
    return data


def test_district_staff_cannot_make_anyone_a_superuser(district):
    # given: a customer, and the demo's district staff signed in
    customer = UserFactory(username="cust")
    staff_group = Group.objects.get(name=demo.STAFF_GROUP)
    perm = Permission.objects.get(codename="change_user")
    # when: the change form is posted with the superuser flag, a group and a permission
    response = _client(district).post(
        f"/admin/accounts/user/{customer.pk}/change/",
        _change_form(
            customer,
            is_staff="on",
            is_superuser="on",
            groups=[staff_group.pk],
            user_permissions=[perm.pk],
        ),
    )
    # then: refused, and nothing was granted
    assert response.status_code == 403
    customer.refresh_from_db()
    assert not customer.is_superuser
    assert not customer.groups.exists()
    assert not customer.user_permissions.exists()
    # nor can they add users, edit groups, or make themselves a superuser
    client = _client(district)
    assert client.get("/admin/accounts/user/add/").status_code == 403
    assert client.get("/admin/auth/group/add/").status_code == 403
    assert (
        client.post(
            f"/admin/accounts/user/{district.pk}/change/", _change_form(district, is_superuser="on")
        ).status_code
        == 403
    )
    district.refresh_from_db()
    assert not district.is_superuser


def test_district_staff_keep_content_and_can_still_pick_a_user(district):
    # given: a member to look up
    MembershipFactory(user=UserFactory(username="findme"))
    client = _client(district)
    # then: programme content is theirs
    for path in ("/admin/cooperation/project/", "/admin/marketplace/order/", "/admin/tours/route/"):
        assert client.get(path).status_code == 200, path
    assert client.get("/admin/organizations/membership/add/").status_code == 200
    # and the user autocomplete of a membership still answers
    response = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "organizations",
            "model_name": "membership",
            "field_name": "user",
            "term": "findme",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["findme"]
    assert Membership.objects.count() == 1


def test_district_staff_cannot_see_or_create_tokens(district):
    # given: the superuser
    admin = demo.User.objects.get(username="admin")
    client = _client(district)
    # when / then: no token admin, old (DRF's) or new, for anyone but a superuser
    for url in ("/admin/authtoken/tokenproxy/add/", "/admin/accounts/apitoken/add/"):
        assert client.get(url).status_code in (403, 404), url
        assert client.post(url, {"user": admin.pk}).status_code in (403, 404), url
    assert client.get("/admin/accounts/apitoken/").status_code == 403
    assert not ApiToken.objects.filter(user=admin).exists()


def test_a_superuser_still_creates_a_token_in_the_admin(admin_client, admin_user):
    # given
    customer = UserFactory(username="cust")
    # when
    page = admin_client.get("/admin/accounts/apitoken/add/")
    response = admin_client.post(
        "/admin/accounts/apitoken/add/", {"user": customer.pk, "name": "support"}, follow=True
    )
    # then: one token for the customer, its key shown once, stored only hashed
    assert page.status_code == 200
    token = ApiToken.objects.get(user=customer)
    shown = " ".join(str(m) for m in response.context["messages"])
    key = re.search(rf"\b{token.prefix}[0-9a-f]{{32}}\b", shown).group()
    assert key not in token.key_hash
    me = Client().get("/api/v1/auth/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert me.json()["username"] == "cust"


def test_a_superuser_still_grants_superuser_and_groups(admin_client):
    # given
    customer = UserFactory(username="cust")
    group = Group.objects.create(name="Anything")
    # when
    response = admin_client.post(
        f"/admin/accounts/user/{customer.pk}/change/",
        _change_form(customer, is_staff="on", is_superuser="on", groups=[group.pk]),
    )
    # then
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.is_superuser
    assert list(customer.groups.all()) == [group]


# --- Account managers: manage accounts, grant only what they hold ------------------------


def test_account_manager_cannot_set_superuser_or_grant_what_they_lack(account_manager):
    # given: a customer already in a group the manager doesn't belong to
    customer = UserFactory(username="cust")
    other = Group.objects.create(name="Other")
    customer.groups.add(other)
    managers = Group.objects.get(name=demo.ACCOUNT_MANAGERS_GROUP)
    staff = Group.objects.get(name=demo.STAFF_GROUP)
    not_held = Permission.objects.get(codename="delete_project")
    client = _client(account_manager)
    # when: superuser flag ticked (a read-only field for them: ignored); the
    # group they don't hold isn't even offered, so the browser doesn't send it
    response = client.post(
        f"/admin/accounts/user/{customer.pk}/change/", _change_form(customer, is_superuser="on")
    )
    # then
    assert response.status_code == 302
    customer.refresh_from_db()
    assert not customer.is_superuser
    # when: a group and a permission they don't hold
    for extra in ({"groups": [staff.pk]}, {"user_permissions": [not_held.pk]}):
        response = client.post(
            f"/admin/accounts/user/{customer.pk}/change/", _change_form(customer, **extra)
        )
        # then: refused with the form's error
        assert response.status_code == 200, extra
        assert response.context["adminform"].form.errors, extra
    customer.refresh_from_db()
    assert list(customer.groups.all()) == [other]
    assert not customer.user_permissions.exists()
    # when: their own group, and the form leaves out the group they can't see
    response = client.post(
        f"/admin/accounts/user/{customer.pk}/change/", _change_form(customer, groups=[managers.pk])
    )
    # then: theirs is added, the other one is kept
    assert response.status_code == 302
    assert set(customer.groups.all()) == {managers, other}


def test_account_manager_cannot_touch_a_superuser_or_a_stronger_account(account_manager):
    # given
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    strong = UserFactory(username="strong", is_staff=True)
    strong.groups.add(Group.objects.get(name=demo.STAFF_GROUP))
    client = _client(account_manager)
    for target in (root, strong):
        # when / then: no edit, no password change, no delete
        base = f"/admin/accounts/user/{target.pk}"
        assert client.post(f"{base}/change/", _change_form(target)).status_code == 403
        password = {"password1": "a-new-long-pass-99", "password2": "a-new-long-pass-99"}
        assert client.post(f"{base}/password/", password).status_code == 403
        assert client.post(f"{base}/delete/", {"post": "yes"}).status_code == 403
        target.refresh_from_db()
        assert target.check_password("correct-horse-battery")
    # but a customer's password they may reset
    customer = UserFactory(username="cust")
    response = client.post(
        f"/admin/accounts/user/{customer.pk}/password/",
        {"password1": "a-new-long-pass-99", "password2": "a-new-long-pass-99"},
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.check_password("a-new-long-pass-99")


def test_vendor_panel_has_no_account_or_token_admin():
    from organizations.vendor import vendor_site

    labels = {model._meta.label for model in vendor_site._registry}
    assert not labels & {"accounts.User", "auth.Group", "auth.Permission", "accounts.ApiToken"}
    assert not any(label.startswith(("authtoken.", "axes.")) for label in labels)
