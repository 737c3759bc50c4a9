"""The cooperation app's domain errors (see core.errors for the base classes)."""

from django.utils.translation import gettext_lazy as _

from core.errors import Conflict, DomainError


class FundAmountInvalid(DomainError):
    code = "fund_amount_invalid"
    default_message = _("The amount must be more than zero.")


class FundCompanyCapExceeded(DomainError):
    """More than the fund may put into one company (300万元 for the sensor fund)."""

    code = "fund_company_cap_exceeded"
    default_message = _("The fund may invest at most 3 million yuan in one company.")


class FundCapExceeded(Conflict):
    """The investment would take the fund past its size (1亿元 for the sensor fund)."""

    code = "fund_cap_exceeded"
    default_message = _("This investment would take the fund past its total size.")


class FundInvestmentIncomplete(DomainError):
    code = "fund_investment_incomplete"
    default_message = _("An investment needs an amount and the date it was made.")


class FundInvestmentAlreadyMade(Conflict):
    code = "fund_investment_already_made"
    default_message = _(
        "The fund has already invested in this company; an investment cannot go back to the pipeline."
    )


class ProjectStatusInvalid(Conflict):
    code = "project_status_invalid"
    default_message = _("A project can only move forward: planned, in progress, completed.")


class VillageNotWeak(DomainError):
    code = "village_not_weak"
    default_message = _("Only a village recorded as collectively weak can leave weak status.")


class YearInvalid(DomainError):
    code = "year_invalid"
    default_message = _("The year is not plausible.")
