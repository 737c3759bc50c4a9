from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from cooperation import services
from cooperation.errors import (
    FundAmountInvalid,
    FundCapExceeded,
    FundCompanyCapExceeded,
    FundInvestmentAlreadyMade,
    FundInvestmentIncomplete,
    ProjectStatusInvalid,
    VillageNotWeak,
    YearInvalid,
)
from cooperation.models import FundInvestment, Project
from core import cache as content_cache
from tests.factories import AreaFactory

from .factories import CompanyFactory, FundFactory, FundInvestmentFactory, ProjectFactory

pytestmark = pytest.mark.django_db

INVESTED = FundInvestment.Status.INVESTED
PIPELINE = FundInvestment.Status.PIPELINE
DAY = date(2023, 5, 1)


@pytest.fixture
def fund():
    return FundFactory(size=Decimal("10000000"), per_company_cap=Decimal("3000000"))


def invest(fund, amount, company=None, **kwargs):
    return services.fund_investment_record(
        fund=fund,
        company=company or CompanyFactory(),
        status=INVESTED,
        amount=amount,
        invested_on=DAY,
        **kwargs,
    )


def test_a_company_joins_the_pipeline(fund):
    company = CompanyFactory()
    row = services.fund_investment_record(
        fund=fund, company=company, sector="sensors", stage="seed"
    )
    assert row.status == PIPELINE
    assert row.amount is None
    assert (row.fund, row.company, row.sector, row.stage) == (fund, company, "sensors", "seed")


def test_an_investment_up_to_the_company_cap_is_recorded(fund):
    row = invest(fund, Decimal("3000000"))
    assert row.status == INVESTED
    assert row.amount == Decimal("3000000")
    assert row.invested_on == DAY


def test_more_than_the_company_cap_is_refused_with_a_clear_message(fund):
    with translation.override("en"), pytest.raises(FundCompanyCapExceeded) as error:
        invest(fund, Decimal("3500000"))
    assert error.value.status_code == 400
    assert error.value.code == "fund_company_cap_exceeded"
    assert str(error.value.message) == (
        "The fund may invest at most 3 million yuan in one company; 3.5 million yuan is more."
    )
    assert not FundInvestment.objects.exists()


def test_the_company_cap_applies_to_pipeline_amounts_too(fund):
    with pytest.raises(FundCompanyCapExceeded):
        services.fund_investment_record(fund=fund, company=CompanyFactory(), amount="3000001")


def test_the_fund_size_cannot_be_exceeded(fund):
    for _ in range(3):
        invest(fund, Decimal("3000000"))  # 9 million of 10
    with translation.override("en"), pytest.raises(FundCapExceeded) as error:
        invest(fund, Decimal("1500000"))
    assert error.value.status_code == 409
    assert str(error.value.message) == (
        "The fund has 1 million yuan left of its 10 million yuan; an investment of 1.5 million yuan would exceed it."
    )
    # Exactly what is left still fits.
    invest(fund, Decimal("1000000"))
    assert sum(r.amount for r in FundInvestment.objects.filter(status=INVESTED)) == fund.size


def test_pipeline_amounts_do_not_use_up_the_fund(fund):
    for _ in range(5):
        services.fund_investment_record(
            fund=fund, company=CompanyFactory(), amount=Decimal("3000000")
        )
    invest(fund, Decimal("3000000"))


def test_correcting_an_investment_counts_its_own_amount_once(fund):
    company = CompanyFactory()
    invest(fund, Decimal("3000000"), company=company)
    invest(fund, Decimal("3000000"))
    invest(fund, Decimal("3000000"))  # 9 million used
    corrected = invest(fund, Decimal("2000000"), company=company)
    assert corrected.amount == Decimal("2000000")
    assert FundInvestment.objects.filter(company=company).count() == 1
    invest(fund, Decimal("2000000"))  # the freed million plus the last one


@pytest.mark.parametrize("amount", ["abc", "NaN", "Infinity", Decimal("-5"), 0])
def test_bad_amounts_are_refused(fund, amount):
    with pytest.raises(FundAmountInvalid) as error:
        invest(fund, amount)
    assert error.value.code == "fund_amount_invalid"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"status": INVESTED, "amount": Decimal("100"), "invested_on": None},
            "An investment needs an amount",
        ),
        ({"status": INVESTED, "amount": None, "invested_on": DAY}, "An investment needs an amount"),
        (
            {"status": PIPELINE, "invested_on": DAY},
            "A company in the pipeline has no investment date yet.",
        ),
        ({"status": "exited"}, "Unknown status"),
        ({"sector": "biscuits"}, "Unknown sector"),
        ({"stage": "series-b"}, "Unknown stage"),
    ],
)
def test_incomplete_or_unknown_input_is_refused(fund, kwargs, message):
    with translation.override("en"):
        with pytest.raises(FundInvestmentIncomplete) as error:
            services.fund_investment_record(fund=fund, company=CompanyFactory(), **kwargs)
        assert str(error.value.message).startswith(message)


def test_an_investment_cannot_go_back_to_the_pipeline(fund):
    row = invest(fund, Decimal("1000000"))
    with pytest.raises(FundInvestmentAlreadyMade) as error:
        services.fund_investment_record(fund=fund, company=row.company, status=PIPELINE)
    assert error.value.status_code == 409


def test_invest_moves_a_pipeline_company_keeping_what_is_known(fund):
    row = FundInvestmentFactory(fund=fund, sector="ai", stage="angel", listed_on=date(2022, 1, 1))
    invested = services.fund_investment_invest(
        investment=row, amount=Decimal("2000000"), invested_on=DAY
    )
    assert (invested.pk, invested.status, invested.amount) == (row.pk, INVESTED, Decimal("2000000"))
    assert (invested.sector, invested.stage, invested.listed_on) == (
        "ai",
        "angel",
        date(2022, 1, 1),
    )


def test_check_writes_nothing(fund):
    amount = services.fund_investment_check(
        fund=fund, company=CompanyFactory(), status=INVESTED, amount="2500000", invested_on=DAY
    )
    assert amount == Decimal("2500000")
    assert not FundInvestment.objects.exists()


def test_changes_bump_the_public_cache(fund, django_capture_on_commit_callbacks):
    before = content_cache.versions("cooperation")
    with django_capture_on_commit_callbacks(execute=True):
        invest(fund, Decimal("1000000"))
    after_invest = content_cache.versions("cooperation")
    assert after_invest != before
    with django_capture_on_commit_callbacks(execute=True):
        services.content_changed()
    assert content_cache.versions("cooperation") != after_invest


def test_a_refused_change_bumps_nothing(fund, django_capture_on_commit_callbacks):
    company = CompanyFactory()  # (a new organization bumps the search's vocabulary)
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(FundCompanyCapExceeded):
        invest(fund, Decimal("9000000"), company=company)
    assert callbacks == []


# --- Projects -------------------------------------------------------------------------------


def test_a_project_moves_forward():
    project = ProjectFactory(status=Project.Status.PLANNED)
    project = services.project_set_status(project=project, status=Project.Status.IN_PROGRESS)
    assert project.status == Project.Status.IN_PROGRESS
    project = services.project_set_status(project=project, status=Project.Status.COMPLETED)
    project.refresh_from_db()
    assert project.status == Project.Status.COMPLETED


def test_setting_the_same_status_changes_nothing(django_capture_on_commit_callbacks):
    project = ProjectFactory(status=Project.Status.IN_PROGRESS)
    with django_capture_on_commit_callbacks() as callbacks:
        services.project_set_status(project=project, status=Project.Status.IN_PROGRESS)
    assert callbacks == []


def test_a_project_cannot_go_back():
    project = ProjectFactory(status=Project.Status.COMPLETED, title_en="Corridor")
    with translation.override("en"), pytest.raises(ProjectStatusInvalid) as error:
        services.project_set_status(project=project, status=Project.Status.PLANNED)
    assert str(error.value.message) == "“Corridor” is completed; it cannot go back to planned."
    assert error.value.status_code == 409


def test_an_unknown_project_status_is_refused():
    with pytest.raises(ProjectStatusInvalid):
        services.project_set_status(project=ProjectFactory(), status="abandoned")


# --- Villages -------------------------------------------------------------------------------


def test_a_weak_village_leaves_weak_status():
    village = AreaFactory(kind="village", collectively_weak=True)
    village = services.village_end_weak_status(area=village, year=2022)
    village.refresh_from_db()
    assert village.weak_status_ended == 2022
    # Again with the same year: nothing to do.
    assert services.village_end_weak_status(area=village, year=2022).weak_status_ended == 2022


@pytest.mark.parametrize(
    "kwargs", [{"kind": "town", "collectively_weak": True}, {"kind": "village"}]
)
def test_only_a_weak_village_can_leave_weak_status(kwargs):
    with pytest.raises(VillageNotWeak):
        services.village_end_weak_status(area=AreaFactory(**kwargs), year=2022)


@pytest.mark.parametrize("year", [1999, 3000])
def test_the_year_must_be_plausible(year):
    with pytest.raises(YearInvalid):
        services.village_end_weak_status(
            area=AreaFactory(kind="village", collectively_weak=True), year=year
        )
