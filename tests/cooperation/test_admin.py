"""The district staff admin (/admin/) and the partner panel (/vendor/)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from cooperation.models import FundInvestment, Project
from core import cache as content_cache
from organizations.models import Area, Organization
from tests.factories import AreaFactory, MembershipFactory, OrganizationFactory, UserFactory

from .factories import (
    AgreementFactory,
    AnnualSupportFactory,
    CompanyFactory,
    FigureFactory,
    FundFactory,
    FundInvestmentFactory,
    PairingFactory,
    ProjectFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

MODELS = [
    "organizations.district",
    "organizations.area",
    "organizations.organization",
    "organizations.membership",
    "source",
    "field",
    "agreement",
    "project",
    "fund",
    "fundinvestment",
    "pairing",
    "figure",
    "annualsupport",
]


@pytest.fixture
def programme():
    fund = FundFactory()
    return {
        "project": ProjectFactory(),
        "investment": FundInvestmentFactory(fund=fund),
        "pairing": PairingFactory(),
        "figure": FigureFactory(),
        "support": AnnualSupportFactory(year=2020),
        "fund": fund,
        "membership": MembershipFactory(),
    }


@pytest.mark.parametrize("model", MODELS)
def test_every_model_has_a_searchable_changelist_and_an_add_form(admin_client, programme, model):
    app, _, model = model.rpartition(".")
    app = app or "cooperation"
    changelist = reverse(f"admin:{app}_{model}_changelist")
    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(changelist, {"q": "怀柔"}).status_code == 200
    assert admin_client.get(reverse(f"admin:{app}_{model}_add")).status_code == 200


@pytest.mark.parametrize(
    "name", ["project", "investment", "pairing", "figure", "support", "fund", "membership"]
)
def test_change_forms_open(admin_client, programme, name):
    obj = programme[name]
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    assert admin_client.get(url).status_code == 200


def test_autocomplete_lookups_work(admin_client, programme):
    area = programme["project"].area
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "cooperation",
            "model_name": "project",
            "field_name": "area",
            "term": area.name_zh_hans,
        },
    )
    assert response.status_code == 200
    assert str(area.pk) in {row["id"] for row in response.json()["results"]}


def test_project_actions_call_the_service(admin_client):
    planned = ProjectFactory(status=Project.Status.PLANNED)
    done = ProjectFactory(status=Project.Status.COMPLETED)
    url = reverse("admin:cooperation_project_changelist")
    response = admin_client.post(
        url, {"action": "mark_in_progress", "_selected_action": [planned.pk, done.pk]}, follow=True
    )
    planned.refresh_from_db()
    done.refresh_from_db()
    assert planned.status == Project.Status.IN_PROGRESS
    assert done.status == Project.Status.COMPLETED  # refused, with a message
    messages = [str(m) for m in response.context["messages"]]
    assert any("1" in m for m in messages)
    assert any("cannot go back" in m or "不能" in m for m in messages)


def test_the_status_is_read_only_once_a_project_exists(admin_client):
    project = ProjectFactory()
    html = admin_client.get(
        reverse("admin:cooperation_project_change", args=[project.pk])
    ).content.decode()
    assert 'name="status"' not in html


def test_village_action_records_the_end_of_weak_status(admin_client):
    village = AreaFactory(kind=Area.Kind.VILLAGE, collectively_weak=True)
    admin_client.post(
        reverse("admin:organizations_area_changelist"),
        {"action": "left_weak_status_last_year", "_selected_action": [village.pk]},
    )
    village.refresh_from_db()
    assert village.weak_status_ended is not None


def _investment_form(fund, company, **overrides):
    data = {
        "fund": fund.pk,
        "company": company.pk,
        "status": "invested",
        "sector": "sensors",
        "stage": "seed",
        "amount": "3000000",
        "listed_on": "",
        "invested_on": "2023-05-01",
        "note_zh_hans": "备注",
        "note_en": "Note",
        "is_demo": "on",
    }
    data.update(overrides)
    return data


def test_recording_an_investment_in_the_admin_goes_through_the_caps(admin_client):
    fund = FundFactory(size=Decimal("5000000"))
    url = reverse("admin:cooperation_fundinvestment_add")
    # Above the company cap: the form says so, nothing is saved.
    response = admin_client.post(url, _investment_form(fund, CompanyFactory(), amount="3500000"))
    assert response.status_code == 200
    assert "3 million" in response.content.decode() or "300万" in response.content.decode()
    assert not FundInvestment.objects.exists()
    # Within the caps: saved through the service, notes in both languages.
    response = admin_client.post(url, _investment_form(fund, CompanyFactory()))
    assert response.status_code == 302
    row = FundInvestment.objects.get()
    assert (row.amount, row.note_zh_hans, row.note_en, row.is_demo) == (
        Decimal("3000000"),
        "备注",
        "Note",
        True,
    )
    # The fund has 2 million left: 3 million more is refused.
    response = admin_client.post(url, _investment_form(fund, CompanyFactory()))
    assert response.status_code == 200
    assert FundInvestment.objects.count() == 1


def test_an_investment_cannot_be_moved_back_or_deleted_in_the_admin(admin_client):
    row = FundInvestmentFactory(
        status="invested", amount=Decimal("1000000"), invested_on="2023-01-01"
    )
    url = reverse("admin:cooperation_fundinvestment_change", args=[row.pk])
    response = admin_client.post(
        url, _investment_form(row.fund, row.company, status="pipeline", amount="", invested_on="")
    )
    assert response.status_code == 200
    row.refresh_from_db()
    assert row.status == "invested"
    assert (
        admin_client.get(
            reverse("admin:cooperation_fundinvestment_delete", args=[row.pk])
        ).status_code
        == 403
    )


def test_only_fund_companies_are_offered_as_companies(admin_client):
    company = CompanyFactory(name_zh_hans="基金企业")
    OrganizationFactory(name_zh_hans="学校", kind=Organization.Kind.SCHOOL)
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "cooperation",
            "model_name": "fundinvestment",
            "field_name": "company",
            "term": "",
        },
    )
    assert [row["id"] for row in response.json()["results"]] == [str(company.pk)]


def test_admin_saves_bump_the_public_cache(admin_client, django_capture_on_commit_callbacks):
    source = SourceFactory()
    before = content_cache.versions("cooperation")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:cooperation_agreement_add"),
            {
                "slug": "round-9",
                "round": 9,
                "title_zh_hans": "第九轮",
                "title_en": "Round nine",
                "signed_year": 2030,
                "period_start": 2030,
                "period_end": 2034,
                "annual_commitment": "100000000",
                "source": source.pk,
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert content_cache.versions("cooperation") != before


def test_the_agreement_form_checks_the_signing_date(admin_client):
    response = admin_client.post(
        reverse("admin:cooperation_agreement_add"),
        {
            "slug": "bad",
            "round": 7,
            "title_zh_hans": "协议",
            "signed_year": 2018,
            "signed_on": "2023-06-30",
            "period_start": 2018,
            "period_end": 2022,
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["signed_on"]


# --- The partner panel ------------------------------------------------------------------------


def test_a_member_sees_and_edits_only_their_own_organization(client):
    membership = MembershipFactory()
    mine = membership.organization
    other = OrganizationFactory()
    client.force_login(membership.user)
    listing = client.get(reverse("vendor:organizations_organization_changelist"))
    assert listing.status_code == 200
    assert list(listing.context["cl"].queryset) == [mine]
    assert client.get(
        reverse("vendor:organizations_organization_change", args=[other.pk])
    ).status_code in (302, 404)
    page = client.get(reverse("vendor:organizations_organization_change", args=[mine.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert membership.user.username in html  # the members, shown read-only
    assert 'name="name_zh_hans"' not in html  # the name is the district's record
    response = client.post(
        reverse("vendor:organizations_organization_change", args=[mine.pk]),
        {
            "description_zh_hans": "新的介绍",
            "description_en": "New description",
            "website": "https://example.org/",
            "phone": "010-1234",
            "email": "info@example.org",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "1",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-id": membership.pk,
            "memberships-0-organization": mine.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    mine.refresh_from_db()
    assert (mine.description_zh_hans, mine.phone) == ("新的介绍", "010-1234")


def test_a_member_cannot_add_organizations(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    assert client.get(reverse("vendor:organizations_organization_add")).status_code == 403


def test_someone_without_an_organization_cannot_use_the_panel(client):
    client.force_login(UserFactory())
    response = client.get(reverse("vendor:organizations_organization_changelist"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_agreement_factory_is_usable_in_the_admin(admin_client):
    agreement = AgreementFactory()
    assert (
        admin_client.get(
            reverse("admin:cooperation_agreement_change", args=[agreement.pk])
        ).status_code
        == 200
    )


def test_a_member_who_is_not_staff_signs_in_to_the_panel(client, password):
    membership = MembershipFactory(user=UserFactory(username="producer", is_staff=False))
    page = client.get("/vendor/login/")
    assert page.context["next"] == "/vendor/"  # the form sends the member to the panel
    response = client.post(
        "/vendor/login/", {"username": "producer", "password": password, "next": "/vendor/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/vendor/"
    assert client.get("/vendor/").status_code == 200
    assert (
        membership.organization.name
        in client.get(reverse("vendor:organizations_organization_changelist")).content.decode()
    )


def test_an_account_without_an_organization_is_told_why(client, password):
    UserFactory(username="walker")
    response = client.post("/vendor/login/", {"username": "walker", "password": password})
    assert response.status_code == 200
    assert response.context["form"].has_error("__all__", "no_organization")


def test_a_wrong_password_on_the_panel_is_refused(client):
    MembershipFactory(user=UserFactory(username="producer2"))
    response = client.post("/vendor/login/", {"username": "producer2", "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].has_error("__all__", "invalid_login")
