"""Writes to the cooperation programme. Each function is keyword-only, runs in
one transaction, raises a domain error (cooperation.errors) when a rule says
no, and bumps the public cache scope so visitors never see stale figures.

None of them use ``atomic(durable=True)``: the admin and the demo loader call
them inside their own transactions.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation.models import Fund, FundInvestment, Project
from core.cache import bump
from core.numbers import money
from organizations.models import Area, Organization

from .errors import (
    FundAmountInvalid,
    FundCapExceeded,
    FundCompanyCapExceeded,
    FundInvestmentAlreadyMade,
    FundInvestmentIncomplete,
    ProjectStatusInvalid,
    VillageNotWeak,
    YearInvalid,
)


def content_changed() -> None:
    """Tell the page cache that programme content changed (admin saves call this)."""
    bump("cooperation")


def _as_amount(amount) -> Decimal | None:
    if amount is None or amount == "":
        return None
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError, TypeError):
        raise FundAmountInvalid(_("The amount must be a number of yuan.")) from None
    if not value.is_finite():
        raise FundAmountInvalid(_("The amount must be a number of yuan."))
    return value


def fund_investment_check(
    *,
    fund: Fund,
    company: Organization,
    status: str,
    amount: Decimal | None,
    invested_on: date | None = None,
    sector: str = "",
    stage: str = "",
) -> Decimal | None:
    """Checks an investment against the fund's rules without writing anything.

    Returns the amount as a Decimal. The total-size check here is advisory
    (forms call it to show errors next to the fields);
    ``fund_investment_record`` repeats it under a lock on the fund.
    """
    amount = _as_amount(amount)
    if status not in FundInvestment.Status.values:
        raise FundInvestmentIncomplete(_("Unknown status “%(status)s”.") % {"status": status})
    if sector and sector not in FundInvestment.Sector.values:
        raise FundInvestmentIncomplete(_("Unknown sector “%(sector)s”.") % {"sector": sector})
    if stage and stage not in FundInvestment.Stage.values:
        raise FundInvestmentIncomplete(_("Unknown stage “%(stage)s”.") % {"stage": stage})
    if amount is not None and amount <= 0:
        raise FundAmountInvalid()
    if amount is not None and amount > fund.per_company_cap:
        raise FundCompanyCapExceeded(
            _("The fund may invest at most %(cap)s in one company; %(amount)s is more.")
            % {"cap": money(fund.per_company_cap), "amount": money(amount)}
        )
    if status == FundInvestment.Status.INVESTED:
        if amount is None or invested_on is None:
            raise FundInvestmentIncomplete()
        _check_fund_size(fund=fund, company=company, amount=amount)
    elif invested_on is not None:
        raise FundInvestmentIncomplete(_("A company in the pipeline has no investment date yet."))
    return amount


def _check_fund_size(*, fund: Fund, company: Organization, amount: Decimal) -> None:
    invested_elsewhere = FundInvestment.objects.filter(
        fund=fund, status=FundInvestment.Status.INVESTED
    ).exclude(company=company).aggregate(total=Sum("amount"))["total"] or Decimal(0)
    if invested_elsewhere + amount > fund.size:
        raise FundCapExceeded(
            _(
                "The fund has %(remaining)s left of its %(size)s; an investment of %(amount)s "
                "would exceed it."
            )
            % {
                "remaining": money(max(fund.size - invested_elsewhere, Decimal(0))),
                "size": money(fund.size),
                "amount": money(amount),
            }
        )


@transaction.atomic
def fund_investment_record(
    *,
    fund: Fund,
    company: Organization,
    status: str = FundInvestment.Status.PIPELINE,
    amount: Decimal | None = None,
    sector: str = "",
    stage: str = "",
    listed_on: date | None = None,
    invested_on: date | None = None,
    note: str = "",
    is_demo: bool = False,
) -> FundInvestment:
    """Adds a company to the fund's pipeline, or records (or corrects) an investment in it.

    The fund row is locked first, so two investments recorded at the same
    moment are checked one after the other and can't jointly exceed the
    fund's size.
    """
    fund = Fund.objects.select_for_update().get(pk=fund.pk)
    existing = FundInvestment.objects.filter(fund=fund, company=company).first()
    if (
        existing is not None
        and existing.status == FundInvestment.Status.INVESTED
        and status == FundInvestment.Status.PIPELINE
    ):
        raise FundInvestmentAlreadyMade()
    amount = fund_investment_check(
        fund=fund,
        company=company,
        status=status,
        amount=amount,
        invested_on=invested_on,
        sector=sector,
        stage=stage,
    )
    investment, _created = FundInvestment.objects.update_or_create(
        fund=fund,
        company=company,
        defaults={
            "status": status,
            "amount": amount,
            "sector": sector,
            "stage": stage,
            "listed_on": listed_on
            if listed_on is not None
            else getattr(existing, "listed_on", None),
            "invested_on": invested_on,
            "note": note,
            "is_demo": is_demo,
        },
    )
    bump("cooperation")
    return investment


def fund_investment_invest(
    *, investment: FundInvestment, amount: Decimal, invested_on: date | None = None
) -> FundInvestment:
    """Moves a pipeline company to invested (keeping what is already known about it)."""
    return fund_investment_record(
        fund=investment.fund,
        company=investment.company,
        status=FundInvestment.Status.INVESTED,
        amount=amount,
        sector=investment.sector,
        stage=investment.stage,
        listed_on=investment.listed_on,
        invested_on=invested_on or timezone.localdate(),
        note=investment.note,
        is_demo=investment.is_demo,
    )


@transaction.atomic
def project_set_status(*, project: Project, status: str) -> Project:
    """Moves a project forward (planned → in progress → completed)."""
    if status not in Project.Status.values:
        raise ProjectStatusInvalid(_("Unknown status “%(status)s”.") % {"status": status})
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status == status:
        return project
    if not project.can_move_to(status):
        raise ProjectStatusInvalid(
            _("“%(project)s” is %(current)s; it cannot go back to %(status)s.")
            % {
                "project": project.title,
                "current": project.get_status_display(),
                "status": Project.Status(status).label,
            }
        )
    project.status = status
    project.save(update_fields=["status"])
    bump("cooperation")
    return project


@transaction.atomic
def village_end_weak_status(*, area: Area, year: int) -> Area:
    """Records that a collectively weak village left weak status (脱薄) in ``year``."""
    if not 2000 <= year <= timezone.localdate().year:
        raise YearInvalid(_("%(year)s is not a plausible year.") % {"year": year})
    area = Area.objects.select_for_update().get(pk=area.pk)
    if area.kind != Area.Kind.VILLAGE or not area.collectively_weak:
        raise VillageNotWeak(
            _("%(area)s is not recorded as a collectively weak village.") % {"area": area.name}
        )
    if area.weak_status_ended == year:
        return area
    area.weak_status_ended = year
    area.save(update_fields=["weak_status_ended"])
    bump("cooperation")
    return area
