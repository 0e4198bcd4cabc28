"""Floating-rate loans are repriced by run-day on their product's repricing date to the LPR then in
force plus the spread fixed at signing, the rest of the schedule recomputed; fixed ones never move."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from finlife.kit.db import Database
from finlife.lending import service as lending
from finlife.lending.repricing import is_repricing_date
from finlife.lending.schedule import Method, schedule
from finlife.settings import Settings
from tests.lending.servicing_support import disburse_on, loan
from tests.lending.support import Lender, events, trial_balance_total


@pytest.fixture
def bank(client: TestClient, db: Database, settings: Settings) -> Lender:
    return Lender(client, db, settings)


def _paid_out(bank: Lender, repricing: str, value_date: date, method: str = "equal_instalment") -> str:
    product = bank.product(repricing=repricing)
    borrower = bank.borrower(deposit=5_000_00)
    loan_id = bank.to_signed(borrower, product, amount=24_000_00, term_months=24, method=method)
    disburse_on(bank.db, loan_id, value_date)
    return loan_id


def _figures(lines: list[dict[str, Any]]) -> list[tuple[int, int, int]]:
    return [(x["n"], x["principal"], x["interest"]) for x in lines]


@pytest.mark.parametrize("method", ["equal_instalment", "equal_principal"])
def test_an_anniversary_reprices_the_rest_of_the_schedule(bank: Lender, method: str) -> None:
    loan_id = _paid_out(bank, "anniversary", date(2027, 1, 10), method)
    bank.rate("lpr_1y", 250, date(2027, 6, 1))  # 3.10 % → 2.50 %: the spread of 1.00 % stays
    lending.run_day(bank.db, date(2028, 1, 9))
    before = loan(bank.db, loan_id)
    assert before["rate_bp"] == 410 and events(bank.db, "loan.repriced") == []
    lending.run_day(bank.db, date(2028, 1, 10))
    after = loan(bank.db, loan_id)
    assert after["rate_bp"] == 350
    assert _figures(after["schedule"][:12]) == _figures(before["schedule"][:12])  # paid at the old rate
    assert all(x["status"] == "paid" for x in after["schedule"][:12])
    rest = after["schedule"][12:]
    left = 24_000_00 - sum(x["principal"] for x in after["schedule"][:12])
    assert sum(x["principal"] for x in rest) == left == after["principal_outstanding"]
    expected = schedule(left, 12, 350, Method(method), start=13)
    assert _figures(rest) == [(x.n, x.principal, x.interest) for x in expected]
    assert rest[0]["interest"] < before["schedule"][12]["interest"]
    if method == "equal_instalment":  # constant but for the last, which absorbs the rounding
        assert len({x["principal"] + x["interest"] for x in rest[:-1]}) == 1
    [(_, told)] = events(bank.db, "loan.repriced")
    assert told["old_rate_bp"] == 410 and told["rate_bp"] == 350 and told["effective"] == "2028-01-10"
    # The new figures are what run-day collects a month later.
    lending.run_day(bank.db, date(2028, 2, 10))
    month = loan(bank.db, loan_id)["schedule"][12]
    assert month["status"] == "paid" and month["paid"] == rest[0]["principal"] + rest[0]["interest"]
    assert trial_balance_total(bank.db) == 0


def test_the_first_of_january_leaves_the_period_under_way(bank: Lender) -> None:
    loan_id = _paid_out(bank, "january_first", date(2027, 3, 10))
    bank.rate("lpr_1y", 330, date(2027, 9, 1))
    lending.run_day(bank.db, date(2027, 12, 31))
    before = loan(bank.db, loan_id)
    lending.run_day(bank.db, date(2028, 1, 1))
    after = loan(bank.db, loan_id)
    assert after["rate_bp"] == 430
    # The period from 10 December keeps its interest; the periods from 10 January on are repriced.
    under_way = next(x for x in after["schedule"] if x["due_date"] == "2028-01-10")
    assert _figures([under_way]) == _figures([x for x in before["schedule"] if x["n"] == under_way["n"]])
    later = [x for x in after["schedule"] if x["n"] > under_way["n"]]
    expected = schedule(
        sum(x["principal"] for x in later), len(later), 430, Method.EQUAL_INSTALMENT, start=later[0]["n"]
    )
    assert _figures(later) == [(x.n, x.principal, x.interest) for x in expected]
    assert sum(x["principal"] for x in after["schedule"]) == 24_000_00
    assert trial_balance_total(bank.db) == 0


def test_a_fixed_rate_never_changes(bank: Lender) -> None:
    loan_id = _paid_out(bank, "fixed", date(2027, 1, 10))
    booked = loan(bank.db, loan_id)
    bank.rate("lpr_1y", 250, date(2027, 6, 1))
    lending.run_day(bank.db, date(2028, 1, 10))
    after = loan(bank.db, loan_id)
    assert after["rate_bp"] == 410 and _figures(after["schedule"]) == _figures(booked["schedule"])
    assert events(bank.db, "loan.repriced") == []


@pytest.mark.parametrize(
    ("rule", "value_date", "day", "expected"),
    [
        ("anniversary", date(2027, 1, 10), date(2028, 1, 10), True),
        ("anniversary", date(2027, 1, 10), date(2027, 1, 10), False),  # the value date itself
        ("anniversary", date(2028, 2, 29), date(2029, 2, 28), True),  # a leap day's anniversary
        ("anniversary", date(2027, 1, 10), date(2028, 2, 10), False),
        ("january_first", date(2027, 3, 10), date(2028, 1, 1), True),
        ("january_first", date(2027, 3, 10), date(2028, 1, 2), False),
        ("fixed", date(2027, 1, 10), date(2028, 1, 10), False),
    ],
)
def test_repricing_dates(rule: str, value_date: date, day: date, expected: bool) -> None:
    assert is_repricing_date(rule, value_date, day) is expected
