"""Payments racing for one swept account on PostgreSQL: each redeems what it needs, once; none
overdraws, and the fund never pays out more units than the account holds."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from finlife.kit.auth import Actor
from finlife.wealth import service as wealth_service
from tests.accounts.support import Bank
from tests.wealth.support import Wealth, assert_books_agree, events, units
from tests.wealth.test_sweep import FRIDAY, _pay, _swept

pytestmark = pytest.mark.postgres_only


def _race(bank: Bank, account: str, amounts: list[int]) -> list[str]:
    barrier = threading.Barrier(len(amounts))

    def one(amount: int) -> str:
        barrier.wait()
        return _pay(bank, account, amount)

    with ThreadPoolExecutor(max_workers=len(amounts)) as pool:
        return list(pool.map(one, amounts))


def test_two_payments_that_both_need_a_redemption_both_get_one(wealth: Wealth, bank: Bank) -> None:
    _, _, account = _swept(wealth, bank, 300_000, 0)
    wealth_service.sweep(bank.db, Actor.system(), FRIDAY)
    outcomes = _race(bank, account, [100_000, 100_000])
    assert all(outcome.startswith("ent_") for outcome in outcomes), outcomes
    assert (bank.balance(account), units(bank.db, account)) == (0, 100_000)
    assert sorted(e["amount"] for e in events(bank.db, "wealth.redeemed")) == [100_000, 100_000]
    assert_books_agree(bank.db)


def test_when_the_units_cover_one_payment_only_one_is_paid(wealth: Wealth, bank: Bank) -> None:
    _, _, account = _swept(wealth, bank, 150_000, 0)
    wealth_service.sweep(bank.db, Actor.system(), FRIDAY)
    outcomes = _race(bank, account, [100_000, 100_000, 100_000, 100_000])
    assert sorted(o if not o.startswith("ent_") else "paid" for o in outcomes) == [
        "insufficient_funds",
        "insufficient_funds",
        "insufficient_funds",
        "paid",
    ]
    assert (bank.balance(account), units(bank.db, account)) == (0, 50_000)
    assert [e["amount"] for e in events(bank.db, "wealth.redeemed")] == [100_000]
    assert_books_agree(bank.db)
