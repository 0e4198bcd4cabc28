"""Schedules against independent figures and by their properties."""

from __future__ import annotations

import itertools
from datetime import date

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from finlife.lending.schedule import (
    Method,
    add_months,
    due_dates,
    instalment_amount,
    months_to_repay,
    schedule,
)

MILLION = 1_000_000_00


def test_equal_instalment_matches_the_published_figure() -> None:
    # 1,000,000.00 over 30 years at 4.90 %: every bank's calculator says 5,307.27 a month.
    assert instalment_amount(MILLION, 360, 490) == 5_307_27
    lines = schedule(MILLION, 360, 490, Method.EQUAL_INSTALMENT)
    assert lines[0].interest == 4_083_33 and lines[0].principal == 1_223_94
    assert all(line.total == 5_307_27 for line in lines[:-1])
    assert sum(line.principal for line in lines) == MILLION
    # Total interest: 360 × 5,307.27 − 1,000,000.00 = 910,617.20, less what the last instalment's
    # rounding gives back (at most a fen a month).
    assert 0 <= 910_617_20 - sum(line.interest for line in lines) <= 360


def test_equal_principal_matches_the_published_figure() -> None:
    lines = schedule(MILLION, 360, 490, Method.EQUAL_PRINCIPAL)
    # First month 2,777.78 principal + 4,083.33 interest = 6,861.11; falling by ~11.34 a month.
    assert (lines[0].principal, lines[0].interest) == (2_777_78, 4_083_33)
    assert lines[1].interest == 4_071_99
    assert sum(line.principal for line in lines) == MILLION
    assert lines[-1].principal == MILLION - 359 * 2_777_78


def test_a_small_consumer_loan_by_hand() -> None:
    # 12,000.00 over 12 months at 6 % (0.5 % a month): PMT(0.5 %, 12, 12000) = 1,032.80 a month.
    lines = schedule(12_000_00, 12, 600, Method.EQUAL_INSTALMENT)
    assert lines[0].total == 1_032_80 and lines[0].interest == 60_00
    assert sum(line.principal for line in lines) == 12_000_00


def test_due_dates_keep_the_day_or_take_the_month_end() -> None:
    assert due_dates(date(2028, 1, 31), 3) == [date(2028, 2, 29), date(2028, 3, 31), date(2028, 4, 30)]
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)


def test_a_fixed_payment_runs_until_the_balance_is_paid() -> None:
    payment = instalment_amount(500_000_00, 240, 420)
    shorter = schedule(300_000_00, 240, 420, Method.EQUAL_INSTALMENT, payment=payment)
    assert len(shorter) == months_to_repay(300_000_00, 420, Method.EQUAL_INSTALMENT, payment) < 240
    assert sum(line.principal for line in shorter) == 300_000_00
    assert all(line.total == payment for line in shorter[:-1])


amounts = st.integers(min_value=1_000_00, max_value=10_000_000_00)
months = st.integers(min_value=1, max_value=360)
rates = st.integers(min_value=0, max_value=2400)


@settings(max_examples=200, deadline=None)
@given(amounts, months, rates, st.sampled_from(list(Method)))
def test_principal_sums_to_the_amount_and_the_balance_ends_at_zero(
    amount: int, term: int, rate: int, method: Method
) -> None:
    assume(amount >= term * 100_00)  # at least 100.00 a month: a smaller loan's rounding could end it early
    lines = schedule(amount, term, rate, method)
    assert len(lines) == term
    assert sum(line.principal for line in lines) == amount
    balance = amount
    for line in lines:
        assert line.principal >= 0 and line.interest >= 0
        balance -= line.principal
        assert balance >= 0
    assert balance == 0
    assert [line.n for line in lines] == list(range(1, term + 1))


@settings(max_examples=200, deadline=None)
@given(amounts, st.integers(min_value=2, max_value=360), st.integers(min_value=1, max_value=2400))
def test_equal_instalment_is_constant_but_for_the_last(amount: int, term: int, rate: int) -> None:
    assume(amount >= term * 100_00)
    lines = schedule(amount, term, rate, Method.EQUAL_INSTALMENT)
    level = instalment_amount(amount, term, rate)
    assert all(line.total == level for line in lines[:-1])
    # The last absorbs every month's rounding (at most a fen each, grown by the interest since).
    assert abs(lines[-1].total - level) <= term * (1 + rate / 120_000) ** term


@settings(max_examples=200, deadline=None)
@given(amounts, st.integers(min_value=2, max_value=360), rates)
def test_equal_principal_falls_month_by_month(amount: int, term: int, rate: int) -> None:
    assume(amount >= term * 100_00)
    lines = schedule(amount, term, rate, Method.EQUAL_PRINCIPAL)
    assert len({line.principal for line in lines[:-1]}) == 1
    assert all(a.interest >= b.interest for a, b in itertools.pairwise(lines))
