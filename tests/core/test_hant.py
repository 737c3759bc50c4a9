"""Traditional Chinese content (core.hant): converted from the Simplified text on
save, kept once a person wrote it, caught up by `manage.py fill_traditional`;
and the languages a client asks for reach zh-hant."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from core import hant
from core.numbers import compact_number, money
from organizations.models import Area, District
from tests.cooperation.factories import ProjectFactory
from tests.factories import AreaFactory, DistrictFactory

pytestmark = pytest.mark.django_db


def test_saving_a_row_fills_its_traditional_columns_from_the_simplified_ones():
    # given / when
    area = AreaFactory(name_zh_hans="汤河口镇", name_en="Tanghekou")
    # then
    area.refresh_from_db()
    assert area.name_zh_hant == "湯河口鎮"
    assert area.hant_overrides == []
    with translation.override("zh-hant"):
        assert area.name == "湯河口鎮"
    with translation.override("en"):
        assert area.name == "Tanghekou"


def test_a_new_simplified_text_is_converted_again():
    # given
    area = AreaFactory(name_zh_hans="雁栖镇")
    area = Area.objects.get(pk=area.pk)
    # when
    area.name_zh_hans = "雁栖湖"
    area.save()
    # then
    area.refresh_from_db()
    assert area.name_zh_hant == "雁棲湖"


def test_update_or_create_with_update_fields_converts_too():
    # given: update_or_create saves only the fields it was given
    district = DistrictFactory()
    # when
    District.objects.update_or_create(
        code=district.code, defaults={"description_zh_hans": "北京的生态涵养区"}
    )
    # then
    district.refresh_from_db()
    assert district.description_zh_hant == "北京的生態涵養區"


def test_a_traditional_text_a_person_wrote_is_never_overwritten():
    # given: staff write their own Traditional name
    area = Area.objects.get(pk=AreaFactory(name_zh_hans="红螺寺村").pk)
    area.name_zh_hant = "紅螺寺村（紅螺寺旁）"
    area.save()
    area.refresh_from_db()
    assert area.hant_overrides == ["name"]
    # when: the Simplified name changes later, and the catch-up command runs
    area.name_zh_hans = "红螺村"
    area.save()
    call_command("fill_traditional", verbosity=0)
    # then
    area.refresh_from_db()
    assert area.name_zh_hant == "紅螺寺村（紅螺寺旁）"
    assert area.hant_overrides == ["name"]


def test_clearing_the_traditional_text_hands_it_back_to_the_conversion():
    # given
    area = Area.objects.get(pk=AreaFactory(name_zh_hans="慕田峪村").pk)
    area.name_zh_hant = "慕田峪（手寫）"
    area.save()
    # when
    area.name_zh_hant = ""
    area.save()
    # then
    area.refresh_from_db()
    assert (area.name_zh_hant, area.hant_overrides) == ("慕田峪村", [])


def test_writing_the_conversion_itself_is_not_an_override():
    # given
    area = Area.objects.get(pk=AreaFactory(name_zh_hans="前门").pk)
    # when
    area.name_zh_hant = "前門"
    area.save()
    # then
    area.refresh_from_db()
    assert area.hant_overrides == []


def test_staff_override_in_the_admin_is_kept(admin_client):
    # given: the district's change form, as staff see it
    district = DistrictFactory(description="怀柔区位于北京东北部")
    url = reverse("admin:organizations_district_change", args=[district.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    assert data["description_zh_hant"] == "懷柔區位於北京東北部"
    # when: they change the Traditional text only
    data["description_zh_hant"] = "懷柔區在北京東北部"
    response = admin_client.post(url, data)
    # then
    assert response.status_code == 302
    district.refresh_from_db()
    assert district.description_zh_hant == "懷柔區在北京東北部"
    assert district.hant_overrides == ["description"]
    # and saving the form again unchanged, with a new Simplified text, keeps it
    data["description_zh_hans"] = "怀柔区在北京的东北"
    admin_client.post(url, data)
    district.refresh_from_db()
    assert district.description_zh_hant == "懷柔區在北京東北部"


def test_staff_saving_without_touching_the_traditional_text_gets_the_conversion(admin_client):
    # given
    district = DistrictFactory(description="怀柔区")
    url = reverse("admin:organizations_district_change", args=[district.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    # when: only the Simplified text changes
    data["description_zh_hans"] = "怀柔区有长城"
    admin_client.post(url, data)
    # then
    district.refresh_from_db()
    assert (district.description_zh_hant, district.hant_overrides) == ("懷柔區有長城", [])


def test_fill_traditional_catches_up_rows_written_past_save():
    # given: rows written by a bulk update, which skips save()
    area = AreaFactory(name_zh_hans="汤河")
    Area.objects.filter(pk=area.pk).update(name_zh_hans="琉璃庙", name_zh_hant=None)
    # when
    call_command("fill_traditional", verbosity=0)
    call_command("fill_traditional", verbosity=0)  # and again: nothing to do
    # then
    area.refresh_from_db()
    assert area.name_zh_hant == "琉璃廟"


def test_the_conversion_keeps_the_sources_wording():
    # content is converted character by character (s2tw), not rephrased (s2twp)
    assert hant.to_traditional("共建项目的数据和信息") == "共建項目的數據和信息"
    assert hant.to_traditional("红梨膏") == "紅梨膏"
    assert hant.to_traditional(None) == ""


def test_still_simplified_finds_only_the_characters_left_to_convert():
    assert hant.still_simplified("前門+雁棲湖，天壇") == set()
    assert hant.still_simplified("前門+雁栖湖") == {"栖"}


@pytest.mark.parametrize("header", ["zh-Hant", "zh-TW", "zh-HK", "zh-TW,zh;q=0.9,en;q=0.8"])
def test_api_answers_in_traditional_for_a_traditional_accept_language(api_client, header):
    # given
    project = ProjectFactory(title_zh_hans="怀柔科学城共建项目")
    # when
    response = api_client.get(
        f"/api/v1/cooperation/projects/{project.slug}/", HTTP_ACCEPT_LANGUAGE=header
    )
    # then
    assert response.status_code == 200
    assert response.json()["title"] == "懷柔科學城共建項目"
    assert response["Content-Language"] == "zh-hant"


@pytest.mark.parametrize(("header", "title"), [("zh-CN", "怀柔项目"), ("en", "Huairou project")])
def test_api_keeps_simplified_and_english_apart(api_client, header, title):
    project = ProjectFactory(title_zh_hans="怀柔项目", title_en="Huairou project")
    response = api_client.get(
        f"/api/v1/cooperation/projects/{project.slug}/", HTTP_ACCEPT_LANGUAGE=header
    )
    assert response.json()["title"] == title


def test_numbers_use_traditional_characters_in_traditional():
    assert compact_number(400_000_000, language="zh-hant") == "4億"
    assert compact_number(60_000, language="zh-hant") == "6萬"
    assert compact_number(60_000, language="zh-hans") == "6万"
    with translation.override("zh-hant"):
        assert money(30_000_000) == "3000萬元"


def test_the_admin_form_says_how_the_traditional_fields_are_kept(admin_client):
    district = DistrictFactory()
    url = reverse("admin:organizations_district_change", args=[district.pk])
    form = admin_client.get(url).context["adminform"].form
    assert "不再自动转换" in str(form.fields["description_zh_hant"].help_text)
    assert "不再自动转换" not in str(form.fields["description_zh_hans"].help_text)
