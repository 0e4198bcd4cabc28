"""Every limit `accounts.limits` enforces, at its boundary: the exact amount left passes, one fen more is
refused with its own name, and the counter starts again at the next business day or year (Asia/Shanghai).

The limits are Class II money in and out and Class III money out, each per business day and per year
(there is no per-transaction limit among them; Class III's money in is bounded by its balance cap, a
ledger rule tested in ``test_limits.py``). The figures are the regulator's, written out here rather than
read from the settings, so that a changed default fails the test instead of moving it along.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from finlife.kit.clock import clock
from tests.accounts.support import Bank, trial_balance_total

Move = Callable[[int], httpx.Response]


@dataclass(frozen=True)
class Limited:
    """One limited direction of one class: how to move money through it, and its two limits."""

    name: str  # "II.in": the prefix of the limit names in refusals
    daily: int
    yearly: int
    account: str  # the limited account
    move: Move


def _class_ii(bank: Bank, funds: int) -> tuple[str, str]:
    """(Class I, Class II bound to it, holding ``funds``): money from the bound account is not counted."""
    person = bank.customer()
    class_i = bank.funded(person, funds + 1)
    class_ii = bank.open(person, "II", token=person.token, channel="mobile", bound={"account_id": class_i})
    if funds:
        assert bank.transfer(person.token, class_i, class_ii["id"], funds).status_code == 201
    return class_i, class_ii["id"]


def _class_ii_in(bank: Bank, _: int) -> Limited:
    _, class_ii = _class_ii(bank, 0)
    return Limited("II.in", 1_000_000, 20_000_000, class_ii, lambda amount: bank.deposit(class_ii, amount))


def _class_ii_out(bank: Bank, yearly: int) -> Limited:
    _, class_ii = _class_ii(bank, yearly + 3_000_000)
    return Limited("II.out", 1_000_000, 20_000_000, class_ii, lambda amount: bank.withdraw(class_ii, amount))


def _class_iii_out(bank: Bank, yearly: int) -> Limited:
    """Class III holds at most ¥2,000, so each payment out is first topped up from the bound Class I
    (not counted); a refused payment's top-up goes back, so the next one fits under the cap again."""
    person, payee = bank.customer(), bank.customer()
    class_i = bank.funded(person, yearly + 3_000_000)
    class_iii = bank.open(person, "III", token=person.token, channel="mobile", bound={"account_id": class_i})[
        "id"
    ]
    target = bank.funded(payee, 0)

    def pay_out(amount: int) -> httpx.Response:
        assert bank.transfer(bank.teller, class_i, class_iii, amount, channel="branch").status_code == 201
        paid = bank.transfer(bank.teller, class_iii, target, amount, channel="branch")
        if paid.status_code != 201:
            assert bank.transfer(bank.teller, class_iii, class_i, amount, channel="branch").status_code == 201
        return paid

    return Limited("III.out", 200_000, 5_000_000, class_iii, pay_out)


SETUPS = {"II.in": _class_ii_in, "II.out": _class_ii_out, "III.out": _class_iii_out}


def _refused(response: httpx.Response, limit_name: str, limit: int, remaining: int) -> None:
    assert response.status_code == 422, response.text
    body = response.json()
    assert (body["code"], body["limit_name"], body["limit"], body["remaining"]) == (
        "limit_exceeded",
        limit_name,
        limit,
        remaining,
    )


def _used(bank: Bank, limited: Limited) -> tuple[int, int]:
    """(used today, used this year) as the account shows them."""
    bucket = bank.account(limited.account)["limits"][limited.name.split(".")[1]]
    return bucket["daily"]["used"], bucket["yearly"]["used"]


def _advance_to(bank: Bank, moment: datetime) -> None:
    bank.advance(moment - clock.now())


@pytest.mark.parametrize("name", list(SETUPS))
def test_the_daily_limit_passes_its_exact_remainder_refuses_one_fen_more_and_resets_at_midnight(
    bank: Bank, name: str
) -> None:
    clock.freeze(datetime(2025, 3, 3, 1, 0, tzinfo=UTC))  # 09:00 in Shanghai
    limited = SETUPS[name](bank, 0)
    assert limited.move(limited.daily - 300).status_code == 201
    _refused(limited.move(301), f"{name}.daily", limited.daily, 300)
    assert limited.move(300).status_code == 201  # exactly what is left
    _refused(limited.move(1), f"{name}.daily", limited.daily, 0)
    assert _used(bank, limited) == (limited.daily, limited.daily)
    # 23:59:59 in Shanghai: the same business day still.
    _advance_to(bank, datetime(2025, 3, 3, 15, 59, 59, tzinfo=UTC))
    _refused(limited.move(1), f"{name}.daily", limited.daily, 0)
    # Midnight in Shanghai, still 3 March in UTC: a new business day, a new daily counter.
    _advance_to(bank, datetime(2025, 3, 3, 16, 0, tzinfo=UTC))
    assert limited.move(limited.daily).status_code == 201
    assert _used(bank, limited) == (limited.daily, 2 * limited.daily)
    _refused(limited.move(1), f"{name}.daily", limited.daily, 0)
    assert trial_balance_total(bank.db) == 0


@pytest.mark.parametrize("name", list(SETUPS))
def test_the_yearly_limit_passes_its_exact_remainder_refuses_one_fen_more_and_resets_at_new_year(
    bank: Bank, name: str
) -> None:
    clock.freeze(datetime(2025, 12, 1, 1, 0, tzinfo=UTC))
    limited = SETUPS[name](bank, 20_000_000)
    full_days = limited.yearly // limited.daily - 1
    for _ in range(full_days):  # each day's whole daily limit
        assert limited.move(limited.daily).status_code == 201
        bank.advance(timedelta(days=1))
    assert limited.move(limited.daily - 1).status_code == 201  # one fen short of the year's limit
    bank.advance(timedelta(days=1))
    assert _used(bank, limited) == (0, limited.yearly - 1)
    _refused(limited.move(2), f"{name}.yearly", limited.yearly, 1)  # within today's limit, over the year's
    assert limited.move(1).status_code == 201  # exactly what is left of the year
    _refused(limited.move(1), f"{name}.yearly", limited.yearly, 0)
    assert _used(bank, limited) == (1, limited.yearly)
    # 23:59:59 on 31 December in Shanghai: the same year still.
    _advance_to(bank, datetime(2025, 12, 31, 15, 59, 59, tzinfo=UTC))
    _refused(limited.move(1), f"{name}.yearly", limited.yearly, 0)
    # Midnight in Shanghai, still 2025 in UTC: a new year's counter.
    _advance_to(bank, datetime(2025, 12, 31, 16, 0, tzinfo=UTC))
    assert limited.move(limited.daily).status_code == 201
    assert _used(bank, limited) == (limited.daily, limited.daily)
    assert trial_balance_total(bank.db) == 0
