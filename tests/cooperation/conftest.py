import pytest

from core import figures

from .factories import (
    AgreementFactory,
    AnnualSupportFactory,
    FieldFactory,
    FigureFactory,
    FundFactory,
    FundInvestmentFactory,
    PairingFactory,
    ProjectFactory,
    SourceFactory,
)


@pytest.fixture(autouse=True)
def _no_live_figures():
    # Other apps' live figures have their own tests; here the dashboard's own
    # queries are measured. Tests that want them register their own providers.
    with figures.only():
        yield


@pytest.fixture
def build_programme(db):
    """Builds a programme with ``n`` rows of every list, for query-count tests
    (the same count for 5 rows as for 50)."""

    def build(n: int) -> dict:
        source = SourceFactory()
        fields = [FieldFactory() for _ in range(3)]
        agreement = AgreementFactory(round=1, slug="round-1", period_start=2018, period_end=2027)
        agreement.fields.set(fields)
        for index in range(n):
            ProjectFactory(
                field=fields[index % 3], agreement=agreement, year=2018 + index % 10, source=source
            )
            PairingFactory(kind=["education", "town_street", "sports"][index % 3])
            FigureFactory(
                source=source,
                is_headline=index % 2 == 0,
                topic=["overview", "fund", "education"][index % 3],
            )
        for year in range(2018, 2028):
            AnnualSupportFactory(year=year, agreement=agreement, source=source)
        fund = FundFactory(agreement=agreement)
        for index in range(n):
            FundInvestmentFactory(fund=fund, sector=["ai", "sensors", ""][index % 3])
        return {"agreement": agreement, "fields": fields, "fund": fund, "source": source}

    return build
