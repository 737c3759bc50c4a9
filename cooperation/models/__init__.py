"""The cooperation app's models, in two modules: ``places`` (districts,
areas, organizations, memberships) and ``programme`` (sources, agreements,
projects, the fund, pairings, figures, support by year), plus the abstract
bases in ``base`` that the other apps use too."""

from .base import DemoFlag, StatusEvent
from .places import Area, District, Membership, Organization
from .programme import (
    FUND_MAX_PER_COMPANY,
    MONEY,
    Agreement,
    AnnualSupport,
    Field,
    Figure,
    Fund,
    FundInvestment,
    Pairing,
    Project,
    Source,
    Sourced,
)

__all__ = [
    "FUND_MAX_PER_COMPANY",
    "MONEY",
    "Agreement",
    "AnnualSupport",
    "Area",
    "DemoFlag",
    "District",
    "Field",
    "Figure",
    "Fund",
    "FundInvestment",
    "Membership",
    "Organization",
    "Pairing",
    "Project",
    "Source",
    "Sourced",
    "StatusEvent",
]
