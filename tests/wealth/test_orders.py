"""Subscriptions and redemptions through the ledger: balances, units, events, replays, refusals."""

from __future__ import annotations

from datetime import UTC, datetime

from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.wealth import service as wealth_service
from tests.accounts.support import Bank
from tests.factories import headers
from tests.wealth.support import Wealth, assert_books_agree, events, units


def test_a_subscription_moves_money_into_custody_once(wealth: Wealth, bank: Bank) -> None:
    fund_id = wealth.fund()
    person = bank.customer()
    account = bank.funded(person, 500_000)
    first = wealth.subscribe(person, fund_id, account, 120_050, key="sub-1")
    assert first.status_code == 201, first.text
    order = first.json()
    assert (order["kind"], order["amount"], order["status"], order["units_after"]) == (
        "subscription",
        120_050,
        "done",
        120_050,
    )
    replay = wealth.subscribe(person, fund_id, account, 120_050, key="sub-1")
    assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json() == order
    assert bank.balance(account) == 500_000 - 120_050
    assert units(bank.db, account) == 120_050
    assert [(e["account_id"], e["amount"], e["reason"]) for e in events(bank.db, "wealth.subscribed")] == [
        (account, 120_050, "request")
    ]
    assert_books_agree(bank.db)


def test_a_subscription_beyond_the_balance_is_refused_and_changes_nothing(wealth: Wealth, bank: Bank) -> None:
    fund_id = wealth.fund()
    person = bank.customer()
    account = bank.funded(person, 1_000)
    answer = wealth.subscribe(person, fund_id, account, 1_001)
    assert (answer.status_code, answer.json()["code"]) == (422, "insufficient_funds")
    assert bank.balance(account) == 1_000
    assert events(bank.db, "wealth.subscribed") == []


def test_nobody_subscribes_with_another_customers_account(wealth: Wealth, bank: Bank) -> None:
    fund_id = wealth.fund()
    owner, stranger = bank.customer(), bank.customer()
    account = bank.funded(owner, 10_000)
    answer = wealth.subscribe(stranger, fund_id, account, 100)
    assert (answer.status_code, answer.json()["code"]) == (404, "not_found")
    unknown_fund = wealth.subscribe(owner, "fnd_unknown", account, 100)
    assert (unknown_fund.status_code, unknown_fund.json()["code"]) == (404, "not_found")
    assert bank.balance(account) == 10_000


def test_a_fast_redemption_arrives_at_once(wealth: Wealth, bank: Bank) -> None:
    fund_id = wealth.fund()
    person = bank.customer()
    account = bank.funded(person, 300_000)
    wealth.subscribe(person, fund_id, account, 300_000)
    answer = wealth.redeem(person, fund_id, account, 100_000, "fast")
    assert answer.status_code == 201, answer.text
    assert (answer.json()["status"], answer.json()["arrives_on"], answer.json()["units_after"]) == (
        "done",
        None,
        200_000,
    )
    assert bank.balance(account) == 100_000
    too_much = wealth.redeem(person, fund_id, account, 200_001, "normal")
    assert (too_much.status_code, too_much.json()["code"]) == (422, "fund_units_insufficient")
    assert too_much.json()["held"] == 200_000
    assert_books_agree(bank.db)


def test_a_normal_redemption_arrives_the_next_business_day(wealth: Wealth, bank: Bank) -> None:
    fund_id = wealth.fund()
    person = bank.customer()
    account = bank.funded(person, 300_000)
    wealth.subscribe(person, fund_id, account, 300_000)
    answer = wealth.redeem(person, fund_id, account, 250_000, "normal")  # on Friday 4 December
    assert answer.status_code == 201, answer.text
    assert (answer.json()["status"], answer.json()["arrives_on"]) == ("pending", "2026-12-07")  # Monday
    assert bank.balance(account) == 0
    assert_books_agree(bank.db)
    # The daily run on Saturday pays nothing (not due); Monday's pays it.
    wealth_service.sweep(bank.db, Actor.system(), datetime(2026, 12, 5).date())
    assert bank.balance(account) == 0
    wealth_service.sweep(bank.db, Actor.system(), datetime(2026, 12, 7).date())
    wealth_service.sweep(bank.db, Actor.system(), datetime(2026, 12, 7).date())  # run twice: paid once
    assert bank.balance(account) == 250_000
    assert [e["amount"] for e in events(bank.db, "wealth.redemption_arrived")] == [250_000]
    assert_books_agree(bank.db)


def test_a_redemption_on_a_holiday_arrives_on_the_next_working_day(wealth: Wealth, bank: Bank) -> None:
    fund_id = wealth.fund()
    person = bank.customer()
    account = bank.funded(person, 50_000)
    wealth.subscribe(person, fund_id, account, 50_000)
    clock.freeze(datetime(2026, 10, 2, 2, 0, tzinfo=UTC))  # National Day holiday (1–7 October 2026)
    person = bank.signed_in_again(person)
    answer = wealth.redeem(person, fund_id, account, 50_000, "normal")
    assert answer.status_code == 201, answer.text
    # The State Council's notice: 8 October 2026 (a Thursday) is the first working day after.
    assert answer.json()["arrives_on"] == "2026-10-08"


def test_redemptions_and_subscriptions_tell_the_events(wealth: Wealth, bank: Bank) -> None:
    fund_id = wealth.fund()
    person = bank.customer()
    account = bank.funded(person, 10_000)
    wealth.subscribe(person, fund_id, account, 10_000)
    wealth.redeem(person, fund_id, account, 4_000, "fast")
    wealth.redeem(person, fund_id, account, 1_000, "normal")
    redeemed = events(bank.db, "wealth.redeemed")
    assert [(e["account_id"], e["fund_id"], e["amount"], e["speed"], e["arrives_on"]) for e in redeemed] == [
        (account, fund_id, 4_000, "fast", None),
        (account, fund_id, 1_000, "normal", "2026-12-07"),
    ]
    holding = wealth.holding(person)
    assert (holding["units"], holding["fund_id"], holding["account_id"]) == (5_000, fund_id, account)
    staff = bank.client.get("/v1/me/holdings", headers=headers(bank.teller))
    assert staff.status_code == 403
