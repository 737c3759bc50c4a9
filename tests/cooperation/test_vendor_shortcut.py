"""The partner panel's "view on site" shortcut (`/vendor/r/<type>/<id>/`) must not
tell a partner whether an object it cannot see exists; `/admin/r/` stays for staff."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from marketplace.models import Product
from tests.factories import UserFactory
from tests.marketplace.factories import ProducerFactory, ProductFactory, member

pytestmark = pytest.mark.django_db


def _shortcut(site: str, model, pk) -> str:
    return f"/{site}/r/{ContentType.objects.get_for_model(model).pk}/{pk}/"


def _answer(client, url: str) -> tuple[int, bytes]:
    """Status and body, with the requested URL itself blanked out of the body."""
    response = client.get(url)
    return response.status_code, response.content.replace(url.encode(), b"URL")


@pytest.fixture
def partner(client):
    producer = ProducerFactory()
    client.force_login(member(producer, "producer-member"))
    return producer


def test_a_partner_is_sent_to_the_public_page_of_its_own_object(client, partner):
    # given
    mine = ProductFactory(producer=partner)
    # when
    response = client.get(_shortcut("vendor", Product, mine.pk))
    # then
    assert response.status_code == 302
    assert response["Location"].endswith(mine.get_absolute_url())


def test_another_organizations_object_answers_exactly_like_a_missing_id(client, partner):
    # given
    theirs = ProductFactory()  # another producer's product
    missing_pk = theirs.pk + 1000
    # when
    other = _answer(client, _shortcut("vendor", Product, theirs.pk))
    missing = _answer(client, _shortcut("vendor", Product, missing_pk))
    # then
    assert other[0] == 404
    assert other == missing


def test_models_not_in_the_panel_are_not_resolved_at_all(client, partner):
    # given: user accounts are not a panel model; an existing id and a missing one
    someone = UserFactory()
    User = get_user_model()
    # when
    existing = _answer(client, _shortcut("vendor", User, someone.pk))
    missing = _answer(client, _shortcut("vendor", User, someone.pk + 1000))
    unknown_type = _answer(client, "/vendor/r/999999/1/")
    # then
    assert existing[0] == 404
    assert existing == missing == unknown_type


def test_bad_ids_are_a_404_not_an_error(client, partner):
    assert client.get("/vendor/r/abc/def/").status_code == 404
    assert client.get(_shortcut("vendor", Product, "not-a-number")).status_code == 404


def test_the_shortcut_needs_a_signed_in_partner(client):
    # given
    product = ProductFactory()
    # when
    response = client.get(_shortcut("vendor", Product, product.pk))
    # then
    assert response.status_code == 302
    assert "/vendor/login/" in response["Location"]


def test_district_staff_still_use_the_shortcut_on_admin_for_any_object(admin_client, client):
    # given
    product = ProductFactory()
    # when
    staff = admin_client.get(_shortcut("admin", Product, product.pk))
    anonymous = client.get(_shortcut("admin", Product, product.pk))
    # then
    assert staff.status_code == 302
    assert staff["Location"].endswith(product.get_absolute_url())
    assert anonymous.status_code == 302
    assert "/admin/login/" in anonymous["Location"]
