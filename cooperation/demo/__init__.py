"""The report's facts, and demo data for what it leaves out, loaded by
`manage.py load_demo`.

Everything stated by the 人民网 report of 2 July 2023 (see
/work/shared/facts.md) is loaded as reported data citing it; anything this
site invents (school, village and company names, which town pairs with which
street, most projects and their amounts) is marked ``is_demo``. Areas that are
real administrative divisions (Huairou's 16 towns, townships and
sub-districts, Dongcheng's 17 sub-districts) are real places and not demo;
which of them pair with which is.

Idempotent: every row is found by a natural key and updated in place, so a
second run changes nothing and duplicates nothing. Other loaders (marketplace,
tours) reuse the areas through ``area(...)``.
"""

from organizations.demo import area, areas, districts, organizations

from .common import tr
from .figures import annual_support, figures
from .places import sources
from .programme import agreements, fields, fund, fund_investments, pairings, projects

__all__ = ["area", "load", "tr"]


# --- Entry point -----------------------------------------------------------------------------


def load(*, stdout=None) -> str:
    first = [True]

    def step(label: str, count: int) -> None:
        # One line a step; the command has already written "[1/4] cooperation …"
        # without a line break, so the first step starts a new line.
        if stdout is not None:
            stdout.write(("\n" if first[0] else "") + f"    {label}: {count}\n")
            first[0] = False

    s = sources()
    d = districts()
    a = areas(d)
    step("districts and areas", len(d) + len(a))
    f = fields()
    ag = agreements(s, f)
    step("fields and agreements", len(f) + len(ag))
    orgs = organizations(d, a)
    step("organizations", sum(len(v) for v in orgs.values()))
    project_rows = projects(s, f, ag, a)
    step("joint projects", len(project_rows))
    the_fund = fund(s, ag)
    investment_rows = fund_investments(the_fund, d)
    step("fund companies", len(investment_rows))
    pairing_rows = pairings(s, a, orgs)
    step("pairings", len(pairing_rows))
    figure_rows = figures(s)
    support_rows = annual_support(s, ag)
    step("figures and yearly support", len(figure_rows) + len(support_rows))
    return (
        f"{len(figure_rows)} figures, {len(project_rows)} projects, {len(investment_rows)} fund companies, "
        f"{len(pairing_rows)} pairings"
    )
