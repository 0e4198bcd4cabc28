"""Daily income paid as units: the holders' parts add up to the fund's distributed total to the fen."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from finlife.kit.auth import Actor
from finlife.wealth import income
from finlife.wealth import service as wealth_service
from finlife.wealth.allocation import allocate
from finlife.wealth.models import Distribution, Income
from tests.accounts.support import Bank
from tests.wealth.support import Wealth, assert_books_agree, events, units

FRIDAY = date(2026, 12, 4)


def test_largest_remainder_by_hand() -> None:
    # 万份收益 0.5 CNY: 1 fen-unit earns 0.5 / 10,000 / 100 yuan... i.e. U × 5,000 / 10^8 fen.
    # Three holdings of 10,001 fen-units: 0.50005 fen each, 1.50015 in all → the fund pays 1 fen,
    # and the largest remainder (all equal: the oldest holding) gets it.
    total, parts = allocate([(1, 10_001), (2, 10_001), (3, 10_001)], Decimal("0.5"))
    assert (total, parts) == (1, {1: 1, 2: 0, 3: 0})
    # 25,000 and 15,000 fen-units at 0.5: exactly 1.25 and 0.75 fen, 2 fen in all → 1 and 1.
    assert allocate([(1, 25_000), (2, 15_000)], Decimal("0.5")) == (2, {1: 1, 2: 1})


@settings(max_examples=200, deadline=None)
@given(
    holdings=st.lists(st.integers(min_value=0, max_value=10**11), min_size=1, max_size=40),
    per_10k=st.decimals(min_value=0, max_value=10, places=4, allow_nan=False, allow_infinity=False),
)
def test_the_parts_add_up_to_the_total_and_each_is_within_a_fen(
    holdings: list[int], per_10k: Decimal
) -> None:
    pairs = list(enumerate(holdings, start=1))
    total, parts = allocate(pairs, per_10k)
    exact = {pk: Decimal(u) * per_10k / 10_000 for pk, u in pairs if u > 0}
    assert total == int(sum(exact.values()))  # the exact total rounded down to the fen
    assert sum(parts.values()) == total
    for pk, share in exact.items():
        assert share - 1 < parts[pk] <= share + 1
        assert parts[pk] >= int(share)


def test_a_days_income_is_paid_as_units_once(wealth: Wealth, bank: Bank) -> None:
    fund_id = wealth.fund()
    people = [bank.customer() for _ in range(3)]
    accounts = [
        bank.funded(p, amount) for p, amount in zip(people, (1_234_567, 7_654_321, 3_333), strict=True)
    ]
    for person, account, amount in zip(people, accounts, (1_234_567, 7_654_321, 3_333), strict=True):
        assert wealth.subscribe(person, fund_id, account, amount).status_code == 201
    assert wealth.publish(fund_id, "2026-12-04", "0.6789").status_code == 201
    paid = wealth_service.distribute(bank.db, Actor.system(), FRIDAY)
    assert paid == 2  # the third holding's share rounds to nothing: no row, no event
    # Exact shares: 1,234,567 × 0.6789 / 10,000 = 83.8147... ; 7,654,321 → 519.6518... ; 3,333 → 0.2262...
    # Total 603.6928 → 603 fen; floors 83 + 519 + 0 = 602; the one fen left goes to the largest
    # remainder (0.8147, the first holding).
    gained = [
        units(bank.db, a) - amount for a, amount in zip(accounts, (1_234_567, 7_654_321, 3_333), strict=True)
    ]
    assert gained == [84, 519, 0]
    with bank.db.unit_of_work() as session:
        distribution = session.execute(select(Distribution).where(Distribution.day == FRIDAY)).scalar_one()
        assert (distribution.total, distribution.status) == (603, "done")
    income_paid = events(bank.db, "wealth.income_paid")
    assert sorted((e["account_id"], e["amount"], e["date"]) for e in income_paid) == sorted(
        [(accounts[0], 84, "2026-12-04"), (accounts[1], 519, "2026-12-04")]
    )
    assert wealth_service.distribute(bank.db, Actor.system(), FRIDAY) == 0  # again: nothing more
    assert len(events(bank.db, "wealth.income_paid")) == 2
    holding = wealth.holding(people[0])
    assert holding["latest_income"] == {"date": "2026-12-04", "amount": 84}
    assert holding["total_income"] == 84
    assert holding["yields"] == [{"date": "2026-12-04", "per_10k": "0.6789", "seven_day": "1.8000"}]
    assert_books_agree(bank.db)


def test_a_distribution_stopped_half_way_resumes_with_the_same_parts(
    wealth: Wealth, bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    fund_id = wealth.fund()
    people = [bank.customer() for _ in range(5)]
    accounts = [bank.funded(p, 1_000_003 * (i + 1)) for i, p in enumerate(people)]
    for i, (person, account) in enumerate(zip(people, accounts, strict=True)):
        wealth.subscribe(person, fund_id, account, 1_000_003 * (i + 1))
    wealth.publish(fund_id, "2026-12-04", "0.5123")
    monkeypatch.setattr(income, "BATCH", 2)
    with bank.db.unit_of_work() as session:
        ((fund_pk, day),) = income.days_to_distribute(session, FRIDAY)
        assert income.start(session, fund_pk, day) == 5
    with bank.db.unit_of_work() as session:
        assert income.pay_batch(session, Actor.system(), fund_pk, day) == 2  # then the node dies
    with bank.db.unit_of_work() as session:
        allocated = dict(session.execute(select(Income.holding_pk, Income.amount)).all())
    # A subscription in between does not change the parts already fixed.
    wealth.subscribe(people[4], fund_id, accounts[4], 1)
    assert wealth_service.distribute(bank.db, Actor.system(), None) == 3
    with bank.db.unit_of_work() as session:
        assert dict(session.execute(select(Income.holding_pk, Income.amount)).all()) == allocated
        total = session.get_one(Distribution, (fund_pk, day)).total
    assert sum(allocated.values()) == total
    assert sum(e["amount"] for e in events(bank.db, "wealth.income_paid")) == total
    assert_books_agree(bank.db)
