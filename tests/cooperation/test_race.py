"""Concurrent fund investments on PostgreSQL, with real threads and their own
connections: the lock on the fund row must keep the total within its size."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from cooperation import services
from cooperation.errors import FundCapExceeded
from cooperation.models import FundInvestment

from .factories import CompanyFactory, FundFactory

WORKERS = 8
ROUNDS = 5
MILLION = Decimal("1000000")


def _attempt(fund, company, amount, barrier, results):
    try:
        barrier.wait(timeout=10)
        services.fund_investment_record(
            fund=fund, company=company, status="invested", amount=amount, invested_on="2023-05-01"
        )
        results.append("accepted")
    except FundCapExceeded:
        results.append("refused")
    except Exception as error:  # surfaced in the assertion below
        results.append(repr(error))
    finally:
        connection.close()


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_concurrent_investments_never_exceed_the_fund():
    accepted_total = 0
    for round_ in range(ROUNDS):
        # given: a fund with room for exactly one more 3-million investment
        fund = FundFactory(slug=f"race-{round_}", size=10 * MILLION)
        for _ in range(2):
            services.fund_investment_record(
                fund=fund,
                company=CompanyFactory(),
                status="invested",
                amount=3 * MILLION,
                invested_on="2023-01-01",
            )
        companies = [CompanyFactory() for _ in range(WORKERS)]
        barrier = threading.Barrier(WORKERS)
        results: list[str] = []

        # when: eight clerks record a 3-million investment at the same moment
        threads = [
            threading.Thread(target=_attempt, args=(fund, company, 3 * MILLION, barrier, results))
            for company in companies
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

        # then: exactly one gets in, the others are told the fund is full
        assert sorted(results) == ["accepted"] + ["refused"] * (WORKERS - 1), results
        invested = sum(
            row.amount
            for row in FundInvestment.objects.filter(
                fund=fund, status=FundInvestment.Status.INVESTED
            )
        )
        assert invested == 9 * MILLION <= fund.size
        accepted_total += results.count("accepted")
    assert accepted_total == ROUNDS
