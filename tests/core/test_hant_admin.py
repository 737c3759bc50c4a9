"""District staff see in /admin/ which Traditional texts a person wrote
(``hant_overrides``), filter by it, and hand rows back to the conversion."""

import re

import pytest
from django.test import Client

from marketplace.models import Product
from organizations.models import District
from tests.factories import DistrictFactory, UserFactory
from tests.marketplace.factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client():
    client = Client()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def rows():
    converted = ProductFactory(name_zh_hans="怀柔板栗", description_zh_hans="山里的栗子")
    written = ProductFactory(name_zh_hans="汤河红薯", description_zh_hans="软糯香甜")
    written.description_zh_hant = "鬆軟香甜（人工）"
    written.save()
    assert written.hant_overrides == ["description"]
    return converted, written


def test_the_change_form_shows_which_fields_a_person_wrote(staff_client, rows):
    converted, written = rows
    html = staff_client.get(f"/admin/marketplace/product/{written.pk}/change/").content.decode()
    assert "人工撰写的字段" in html  # the read-only display's label
    shown = re.search(r"人工撰写的字段.*?<div class=\"readonly\">(.*?)</div>", html, re.S).group(1)
    assert shown == "介绍"  # the description's verbose name
    html = staff_client.get(f"/admin/marketplace/product/{converted.pk}/change/").content.decode()
    assert "所有繁体文字都由简体文字自动转换" in html


def test_the_list_filters_rows_written_by_hand(staff_client, rows):
    converted, written = rows
    url = "/admin/marketplace/product/"
    by_hand = staff_client.get(url, {"hant_by_hand": "yes"})
    assert [p.pk for p in by_hand.context["cl"].result_list] == [written.pk]
    automatic = staff_client.get(url, {"hant_by_hand": "no"})
    assert [p.pk for p in automatic.context["cl"].result_list] == [converted.pk]
    assert "人工撰写的繁体中文" in by_hand.content.decode()  # the filter's title


def test_the_action_hands_the_rows_back_to_the_conversion(staff_client, rows):
    converted, written = rows
    # when
    response = staff_client.post(
        "/admin/marketplace/product/",
        {"action": "convert_traditional_again", "_selected_action": [written.pk, converted.pk]},
        follow=True,
    )
    # then
    assert response.status_code == 200
    assert "已有 1 行重新由简体中文转换" in response.content.decode()
    written = Product.objects.get(pk=written.pk)
    assert (written.description_zh_hant, written.hant_overrides) == ("軟糯香甜", [])
    # and it follows the Simplified text from now on
    written.description_zh_hans = "香甜"
    written.save()
    assert written.description_zh_hant == "香甜"


def test_clearing_one_field_in_the_form_resets_that_field_only(staff_client):
    # given a district with two fields a person wrote
    district = DistrictFactory(name_zh_hans="怀柔区", description_zh_hans="雁栖湖边")
    district.name_zh_hant = "懷柔區（手寫）"
    district.description_zh_hant = "雁棲湖畔（手寫）"
    district.save()
    assert district.hant_overrides == ["description", "name"]
    data = {
        "code": district.code,
        "role": district.role,
        "name_zh_hans": "怀柔区",
        "name_zh_hant": "",  # cleared in the form
        "name_en": district.name_en or "",
        "description_zh_hans": "雁栖湖边",
        "description_zh_hant": "雁棲湖畔（手寫）",
        "description_en": "",
    }
    # when
    response = staff_client.post(f"/admin/organizations/district/{district.pk}/change/", data)
    # then that one is converted, the other kept
    assert response.status_code == 302, response.content.decode()[:3000]
    district = District.objects.get(pk=district.pk)
    assert district.name_zh_hant == "懷柔區"
    assert district.description_zh_hant == "雁棲湖畔（手寫）"
    assert district.hant_overrides == ["description"]
