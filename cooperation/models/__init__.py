"""The programme's models: sources, agreements, projects, the fund, pairings,
figures, support by year. Districts, areas and organizations are the
organizations app's; the abstract bases are core's."""

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
    "Field",
    "Figure",
    "Fund",
    "FundInvestment",
    "Pairing",
    "Project",
    "Source",
    "Sourced",
]
