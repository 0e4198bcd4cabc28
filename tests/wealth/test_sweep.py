"""The sweep: idle balance into the fund each business day, and back when a debit needs it."""

from __future__ import annotations

from datetime import date, timedelta

from finlife.accounts import service as accounts
from finlife.kit.auth import Actor, Channel
from finlife.kit.errors import FinlifeError
from finlife.ledger import service as ledger
from finlife.ledger.schemas import BankPurpose
from finlife.wealth import service as wealth_service
from tests.accounts.support import Bank, Person
from tests.factories import headers
from tests.wealth.support import Wealth, assert_books_agree, events, units

FRIDAY, SATURDAY, MONDAY = date(2026, 12, 4), date(2026, 12, 5), date(2026, 12, 7)
CASHIER = Actor(channel=Channel.POS, user_id="usr_cashier", username="cashier")


def _swept(wealth: Wealth, bank: Bank, balance: int, keep: int) -> tuple[str, Person, str]:
    fund_id = wealth.fund()
    person = bank.customer()
    account = bank.funded(person, balance)
    answer = wealth.sweep_on(person, account, fund_id, keep)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"account_id": account, "fund_id": fund_id, "keep": keep, "swept_on": None}
    return fund_id, person, account


def _pay(bank: Bank, account_id: str, amount: int) -> str:
    """A consumption payment out of the account (as the payments module makes it); entry id or refusal."""
    try:
        with bank.db.unit_of_work() as session:
            merchant = ledger.bank_account(session, BankPurpose.CLEARING, unit="TEST").id
            entry = accounts.pay(
                session,
                bank.settings,
                CASHIER,
                account_id=account_id,
                amount=amount,
                currency="CNY",
                destination_ledger_account_id=merchant,
                kind="card_payment",
                memo="purchase",
                details={"payment": "pay_test"},
            )
            return str(entry.id)
    except FinlifeError as refusal:
        return refusal.code


def test_only_the_owner_switches_the_sweep(wealth: Wealth, bank: Bank) -> None:
    fund_id, person, account = _swept(wealth, bank, 10_000, 1_000)
    stranger = bank.customer()
    answer = wealth.sweep_on(stranger, account, fund_id, 0)
    assert (answer.status_code, answer.json()["code"]) == (404, "not_found")
    assert wealth.sweep_on(person, account, "fnd_unknown", 0).status_code == 404
    assert wealth.sweep_on(person, account, fund_id, -1).status_code == 422
    changed = wealth.sweep_on(person, account, fund_id, 2_000)
    assert changed.json()["keep"] == 2_000
    got = bank.client.get(f"/v1/accounts/{account}/sweep", headers=headers(person.token))
    assert got.json()["keep"] == 2_000
    assert (
        bank.client.delete(f"/v1/accounts/{account}/sweep", headers=headers(stranger.token)).status_code
        == 404
    )
    assert (
        bank.client.delete(f"/v1/accounts/{account}/sweep", headers=headers(person.token)).status_code == 204
    )
    gone = bank.client.get(f"/v1/accounts/{account}/sweep", headers=headers(person.token))
    assert (gone.status_code, gone.json()["code"]) == (404, "not_found")


def test_the_balance_above_keep_goes_into_the_fund_once_a_business_day(wealth: Wealth, bank: Bank) -> None:
    _fund_id, _person, account = _swept(wealth, bank, 500_000, 100_000)
    assert wealth_service.sweep(bank.db, Actor.system(), FRIDAY) == (FRIDAY, 1, 400_000)
    assert (bank.balance(account), units(bank.db, account)) == (100_000, 400_000)
    assert wealth_service.sweep(bank.db, Actor.system(), FRIDAY) == (FRIDAY, 0, 0)  # run again: nothing
    assert bank.deposit(account, 50_000).status_code == 201
    assert wealth_service.sweep(bank.db, Actor.system(), SATURDAY) == (SATURDAY, 0, 0)  # not a business day
    assert wealth_service.sweep(bank.db, Actor.system(), MONDAY) == (MONDAY, 1, 50_000)
    assert (bank.balance(account), units(bank.db, account)) == (100_000, 450_000)
    swept = events(bank.db, "wealth.subscribed")
    assert [(e["account_id"], e["amount"], e["reason"], e["date"]) for e in swept] == [
        (account, 400_000, "sweep", "2026-12-04"),
        (account, 50_000, "sweep", "2026-12-07"),
    ]
    assert_books_agree(bank.db)


def test_an_account_below_keep_is_not_swept(wealth: Wealth, bank: Bank) -> None:
    _, _, account = _swept(wealth, bank, 1_000, 5_000)
    assert wealth_service.sweep(bank.db, Actor.system(), FRIDAY) == (FRIDAY, 1, 0)
    assert bank.balance(account) == 1_000


def test_a_payment_short_of_money_redeems_what_it_needs_first(wealth: Wealth, bank: Bank) -> None:
    _fund_id, _, account = _swept(wealth, bank, 500_000, 20_000)
    wealth_service.sweep(bank.db, Actor.system(), FRIDAY)
    entry = _pay(bank, account, 50_000)  # 200.00 kept, 500.00 to pay: 300.00 redeemed first
    assert entry.startswith("ent_"), entry
    assert (bank.balance(account), units(bank.db, account)) == (0, 450_000)
    redeemed = events(bank.db, "wealth.redeemed")
    assert [(e["account_id"], e["amount"], e["speed"], e["reason"]) for e in redeemed] == [
        (account, 30_000, "fast", "sweep_back")
    ]
    assert_books_agree(bank.db)


def test_a_transfer_short_of_money_redeems_too(wealth: Wealth, bank: Bank) -> None:
    _, person, account = _swept(wealth, bank, 300_000, 0)
    wealth_service.sweep(bank.db, Actor.system(), FRIDAY)
    payee = bank.funded(bank.customer(), 0)
    assert bank.transfer(person.token, account, payee, 120_000).status_code == 201
    assert (bank.balance(account), bank.balance(payee), units(bank.db, account)) == (0, 120_000, 180_000)
    assert_books_agree(bank.db)


def test_a_debit_the_fund_cannot_cover_is_refused_with_nothing_redeemed(wealth: Wealth, bank: Bank) -> None:
    _, _, account = _swept(wealth, bank, 300_000, 0)
    wealth_service.sweep(bank.db, Actor.system(), FRIDAY)
    assert _pay(bank, account, 300_001) == "insufficient_funds"
    assert (bank.balance(account), units(bank.db, account)) == (0, 300_000)
    assert events(bank.db, "wealth.redeemed") == []


def test_sweep_back_stays_within_the_fast_limit(wealth: Wealth, bank: Bank) -> None:
    fund_id, person, account = _swept(wealth, bank, 3_000_000, 0)
    wealth_service.sweep(bank.db, Actor.system(), FRIDAY)
    assert wealth.redeem(person, fund_id, account, 900_000).status_code == 201  # 1,000.00 left today
    assert _pay(bank, account, 900_000 + 100_001) == "insufficient_funds"
    assert _pay(bank, account, 900_000 + 100_000).startswith("ent_")
    assert (bank.balance(account), units(bank.db, account)) == (0, 2_000_000)
    bank.advance(timedelta(days=1))  # a new Shanghai day: the limit is whole again
    assert _pay(bank, account, 1_000_000).startswith("ent_")
    assert units(bank.db, account) == 1_000_000
    assert_books_agree(bank.db)
