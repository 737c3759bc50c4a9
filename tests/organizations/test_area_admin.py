"""An area's name is unique in its district and kind (``area_unique_name``),
in whichever language column the admin's form writes it."""

import pytest
from django.urls import reverse

from organizations.models import Area
from tests.factories import AreaFactory

pytestmark = pytest.mark.django_db


def _form(area: Area, **changes) -> dict:
    data = {
        "district": area.district_id,
        "kind": area.kind,
        "name_zh_hans": "琉璃庙村",
        "name_en": "",
        "name_zh_hant": "",
        "latitude": "",
        "longitude": "",
        "parent": "",
        "weak_status_ended": "",
    }
    data.update(changes)
    return data


def test_a_second_area_of_the_same_name_is_a_form_error_not_a_500(admin_client):
    existing = AreaFactory(name="琉璃庙村")
    response = admin_client.post(reverse("admin:organizations_area_add"), _form(existing))
    assert response.status_code == 200  # the form again, with the error
    errors = response.context["adminform"].form.errors
    assert errors, "a duplicate name must be refused by the form"
    assert Area.objects.filter(district=existing.district, name="琉璃庙村").count() == 1


def test_the_same_name_in_another_kind_is_allowed(admin_client):
    existing = AreaFactory(name="琉璃庙村")
    response = admin_client.post(
        reverse("admin:organizations_area_add"), _form(existing, kind=Area.Kind.TOWN)
    )
    assert response.status_code == 302
    assert Area.objects.filter(district=existing.district, name="琉璃庙村").count() == 2
