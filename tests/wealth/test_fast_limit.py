"""The 2018 CSRC/PBoC rule: T+0 redemptions of at most 10,000.00 CNY per investor, fund and
Asia/Shanghai day. The figure is written out here, not read from the code."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from finlife.kit.clock import clock
from tests.accounts.support import Bank
from tests.wealth.support import Wealth, assert_books_agree

TEN_THOUSAND_YUAN = 1_000_000  # fen


def test_ten_thousand_passes_and_one_fen_more_is_refused(wealth: Wealth, bank: Bank) -> None:
    fund_id = wealth.fund()
    person = bank.customer()
    account = bank.funded(person, 3_000_000)
    assert wealth.subscribe(person, fund_id, account, 3_000_000).status_code == 201
    assert wealth.redeem(person, fund_id, account, 600_000).status_code == 201
    assert wealth.redeem(person, fund_id, account, 400_000).status_code == 201  # exactly 10,000.00 in all
    refused = wealth.redeem(person, fund_id, account, 1)
    assert refused.status_code == 422
    problem = refused.json()
    assert (problem["code"], problem["limit"], problem["remaining"]) == (
        "fast_redemption_limit_exceeded",
        TEN_THOUSAND_YUAN,
        0,
    )
    assert "¥10,000.00" in problem["title"]
    # A normal redemption is not limited; the refusal counted nothing.
    assert wealth.redeem(person, fund_id, account, 1, "normal").status_code == 201
    assert bank.balance(account) == TEN_THOUSAND_YUAN
    assert wealth.holding(person)["fast_remaining_today"] == 0
    assert_books_agree(bank.db)


def test_one_redemption_above_the_limit_is_refused_whole(wealth: Wealth, bank: Bank) -> None:
    fund_id = wealth.fund()
    person = bank.customer()
    account = bank.funded(person, 2_000_000)
    wealth.subscribe(person, fund_id, account, 2_000_000)
    refused = wealth.redeem(person, fund_id, account, TEN_THOUSAND_YUAN + 1)
    assert (refused.status_code, refused.json()["remaining"]) == (422, TEN_THOUSAND_YUAN)
    assert wealth.redeem(person, fund_id, account, TEN_THOUSAND_YUAN).status_code == 201


def test_the_limit_is_per_investor_across_accounts_and_per_fund(wealth: Wealth, bank: Bank) -> None:
    first_fund, second_fund = wealth.fund("MMF1"), wealth.fund("MMF2")
    person = bank.customer()
    one = bank.funded(person, 4_000_000)
    two = bank.open(person, "II", bound={"account_id": one})["id"]  # money to and from it is not limited
    assert bank.transfer(person.token, one, two, 2_000_000).status_code == 201
    for account in (one, two):
        assert wealth.subscribe(person, first_fund, account, 1_000_000).status_code == 201
        assert wealth.subscribe(person, second_fund, account, 1_000_000).status_code == 201
    assert wealth.redeem(person, first_fund, one, 700_000).status_code == 201
    refused = wealth.redeem(person, first_fund, two, 300_001)  # the same investor, another account
    assert (refused.status_code, refused.json()["remaining"]) == (422, 300_000)
    assert wealth.redeem(person, second_fund, two, TEN_THOUSAND_YUAN).status_code == 201  # another fund
    other = bank.customer()
    account = bank.funded(other, TEN_THOUSAND_YUAN)
    wealth.subscribe(other, first_fund, account, TEN_THOUSAND_YUAN)
    assert wealth.redeem(other, first_fund, account, TEN_THOUSAND_YUAN).status_code == 201  # another investor


def test_the_count_starts_again_at_midnight_in_shanghai(wealth: Wealth, bank: Bank) -> None:
    clock.freeze(datetime(2026, 12, 3, 15, 59, tzinfo=UTC))  # 23:59 on Thursday in Shanghai
    fund_id = wealth.fund()
    person = bank.customer()
    account = bank.funded(person, 3_000_000)
    wealth.subscribe(person, fund_id, account, 3_000_000)
    assert wealth.redeem(person, fund_id, account, TEN_THOUSAND_YUAN).status_code == 201
    assert wealth.redeem(person, fund_id, account, 1).status_code == 422
    clock.advance(timedelta(minutes=1))  # 00:00 on Friday in Shanghai, still 3 December in UTC
    assert wealth.redeem(person, fund_id, account, TEN_THOUSAND_YUAN).status_code == 201
    assert wealth.redeem(person, fund_id, account, 1).status_code == 422
    assert bank.balance(account) == 2 * TEN_THOUSAND_YUAN
