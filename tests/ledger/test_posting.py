"""Posting rules: balanced entries only, whole int amounts, one currency per account, no overdraft, caps."""

from __future__ import annotations

from typing import Any

import pytest

from finlife.kit.db import Database
from finlife.kit.errors import FinlifeError, NotFound, RuleViolation
from finlife.kit.pagination import PageParams
from finlife.ledger import service as ledger
from finlife.ledger.errors import (
    BalanceCapExceeded,
    CurrencyMismatch,
    InsufficientFunds,
    InvalidAmount,
    UnbalancedEntry,
)
from finlife.ledger.schemas import AccountKind, BankPurpose, Line
from tests.ledger.support import (
    CLASS_III_CAP,
    SYSTEM,
    cash_in,
    check_book,
    deposit_account,
    snapshot,
    transfer,
    vault,
)


def _funded(db: Database, amount: int, *, cap: int | None = None) -> str:
    with db.unit_of_work() as session:
        account = deposit_account(session, cap=cap)
        if amount:
            cash_in(session, account, amount)
    return account


def _refused(db: Database, error: type[FinlifeError], work: Any) -> FinlifeError:
    """Run ``work(session)`` in its own unit of work; it must raise ``error`` and change nothing."""
    before = snapshot(db)
    with pytest.raises(error) as caught, db.unit_of_work() as session:
        work(session)
    assert snapshot(db) == before
    return caught.value


def test_cash_deposit_debits_the_vault_and_credits_the_customer(db: Database) -> None:
    account = _funded(db, 50_000)
    with db.unit_of_work() as session:
        cash = vault(session)
        customer = ledger.balance(session, account)
        assert (customer.ledger, customer.available, customer.held) == (50_000, 50_000, 0)
        assert ledger.balance(session, cash).ledger == 50_000  # an asset: debit-normal
        lines = {line.id: line for line in ledger.trial_balance(session).accounts}
        assert (lines[cash].debit, lines[cash].credit, lines[cash].balance) == (50_000, 0, 50_000)
        assert (lines[account].debit, lines[account].credit, lines[account].balance) == (0, 50_000, -50_000)
        check_book(session)


def test_entry_records_each_posting_with_the_balance_after_it(db: Database) -> None:
    payer, payee = _funded(db, 10_000), _funded(db, 0)
    with db.unit_of_work() as session:
        entry_id = transfer(session, payer, payee, 2_500)
        entry = ledger.get_entry(session, entry_id)
    assert entry.kind == "transfer" and entry.reverses is None and entry.channel == "web"
    assert [(p.account_id, p.amount, p.balance_after) for p in entry.postings] == [
        (payer, 2_500, 7_500),
        (payee, -2_500, 2_500),
    ]


def test_statement_lists_postings_newest_first_in_the_normal_direction(db: Database) -> None:
    payer, payee = _funded(db, 10_000), _funded(db, 0)
    with db.unit_of_work() as session:
        first = transfer(session, payer, payee, 1_000)
        second = transfer(session, payer, payee, 2_000)
        page = ledger.statement(session, payer, PageParams(limit=2))
        assert [(line.id, line.amount, line.balance_after) for line in page.data] == [
            (second, -2_000, 7_000),
            (first, -1_000, 9_000),
        ]
        assert page.has_more
        rest = ledger.statement(session, payer, PageParams(limit=2, starting_after=first))
        assert [(line.kind, line.amount, line.balance_after) for line in rest.data] == [
            ("cash_deposit", 10_000, 10_000)
        ]
        assert not rest.has_more


def test_bank_account_is_opened_once_and_may_go_negative(db: Database) -> None:
    account = _funded(db, 0)
    with db.unit_of_work() as session:
        first = ledger.bank_account(session, BankPurpose.CASH_VAULT, "CNY", unit="BR001")
        again = ledger.bank_account(session, BankPurpose.CASH_VAULT, "CNY", unit="BR001")
        other_branch = ledger.bank_account(session, BankPurpose.CASH_VAULT, "CNY", unit="BR002")
        assert first == again and other_branch.id != first.id
        assert first.allow_overdraft and first.kind == AccountKind.ASSET
        # Paying a customer out of the fee-income account drives it below zero: the bank's own
        # accounts are not guarded against overdraft.
        fees = ledger.bank_account(session, BankPurpose.FEE_INCOME, "CNY").id
        ledger.post_pair(
            session, SYSTEM, debit=fees, credit=account, amount=300, currency="CNY", kind="refund"
        )
        assert ledger.balance(session, fees).ledger == -300
        check_book(session)


@pytest.mark.parametrize(
    "amounts",
    [(100, -99), (100,), (100, -50, -49)],
    ids=["off-by-one", "single-line", "three-lines"],
)
def test_unbalanced_entry_is_refused(db: Database, amounts: tuple[int, ...]) -> None:
    a, b = _funded(db, 1_000), _funded(db, 1_000)
    with db.unit_of_work() as session:
        c = vault(session)
    accounts = [a, b, c]
    lines = [Line(accounts[i], amount, "CNY") for i, amount in enumerate(amounts)]
    _refused(db, UnbalancedEntry, lambda s: ledger.post(s, SYSTEM, kind="bad", lines=lines))


def test_entry_must_balance_in_each_currency_on_its_own(db: Database) -> None:
    cny = _funded(db, 1_000)
    with db.unit_of_work() as session:
        usd = deposit_account(session, currency="USD")
    lines = [Line(cny, 100, "CNY"), Line(usd, -100, "USD")]
    _refused(db, UnbalancedEntry, lambda s: ledger.post(s, SYSTEM, kind="fx", lines=lines))


@pytest.mark.parametrize("amount", [0, 1.5, True, "100"], ids=["zero", "float", "bool", "str"])
def test_amount_must_be_a_non_zero_int(db: Database, amount: Any) -> None:
    a, b = _funded(db, 1_000), _funded(db, 0)
    lines = [Line(a, amount, "CNY"), Line(b, amount, "CNY")]
    _refused(db, InvalidAmount, lambda s: ledger.post(s, SYSTEM, kind="bad", lines=lines))
    _refused(
        db,
        InvalidAmount,
        lambda s: ledger.post_pair(s, SYSTEM, debit=a, credit=b, amount=amount, currency="CNY", kind="x"),
    )


def test_post_pair_refuses_a_negative_amount(db: Database) -> None:
    a, b = _funded(db, 1_000), _funded(db, 0)
    _refused(
        db,
        InvalidAmount,
        lambda s: ledger.post_pair(s, SYSTEM, debit=b, credit=a, amount=-100, currency="CNY", kind="x"),
    )


def test_post_pair_refuses_moving_money_to_the_same_account(db: Database) -> None:
    a = _funded(db, 1_000)
    error = _refused(db, RuleViolation, lambda s: transfer(s, a, a, 100))
    assert error.code == "same_account"


def test_lines_that_cancel_out_on_one_account_post_without_changing_it(db: Database) -> None:
    a = _funded(db, 1_000)
    with db.unit_of_work() as session:
        entry = ledger.post(session, SYSTEM, kind="noop", lines=[Line(a, 5, "CNY"), Line(a, -5, "CNY")])
        assert [p.balance_after for p in entry.postings] == [995, 1_000]
        assert ledger.balance(session, a).ledger == 1_000
        check_book(session)


def test_currency_of_each_line_must_match_its_account(db: Database) -> None:
    a, b = _funded(db, 1_000), _funded(db, 0)
    error = _refused(
        db,
        CurrencyMismatch,
        lambda s: ledger.post_pair(s, SYSTEM, debit=a, credit=b, amount=100, currency="USD", kind="x"),
    )
    assert error.params == {"expected": "CNY"}


def test_unknown_account_is_not_found(db: Database) -> None:
    a = _funded(db, 1_000)
    _refused(db, NotFound, lambda s: transfer(s, a, "lac_nosuchaccount", 100))


def test_customer_deposit_cannot_be_overdrawn(db: Database) -> None:
    payer, payee = _funded(db, 1_000), _funded(db, 0)
    error = _refused(db, InsufficientFunds, lambda s: transfer(s, payer, payee, 1_001))
    assert error.extra == {"account": payer}
    with db.unit_of_work() as session:
        transfer(session, payer, payee, 1_000)  # to the last fen is fine
        assert ledger.balance(session, payer).ledger == 0
        check_book(session)
    _refused(db, InsufficientFunds, lambda s: transfer(s, payer, payee, 1))


def test_held_money_cannot_be_spent(db: Database) -> None:
    payer, payee = _funded(db, 1_000), _funded(db, 0)
    with db.unit_of_work() as session:
        ledger.place_hold(session, SYSTEM, account=payer, amount=600, currency="CNY", expires_in=3600)
    _refused(db, InsufficientFunds, lambda s: transfer(s, payer, payee, 401))
    with db.unit_of_work() as session:
        transfer(session, payer, payee, 400)
        shown = ledger.balance(session, payer)
        assert (shown.ledger, shown.held, shown.available) == (600, 600, 0)
        check_book(session)


def test_class_iii_account_cannot_go_over_its_cap(db: Database) -> None:
    capped = _funded(db, 150_000, cap=CLASS_III_CAP)
    rich = _funded(db, 500_000)
    error = _refused(db, BalanceCapExceeded, lambda s: transfer(s, rich, capped, 50_001))
    assert error.extra == {"cap": CLASS_III_CAP}
    _refused(db, BalanceCapExceeded, lambda s: cash_in(s, capped, 60_000))
    with db.unit_of_work() as session:
        transfer(session, rich, capped, 50_000)  # exactly at the cap
        assert ledger.balance(session, capped).ledger == CLASS_III_CAP
        transfer(session, capped, rich, 10_000)  # money may always leave
        check_book(session)


def test_lowering_a_cap_below_the_balance_still_lets_money_out(db: Database) -> None:
    capped = _funded(db, 150_000, cap=CLASS_III_CAP)
    other = _funded(db, 0)
    with db.unit_of_work() as session:
        ledger.set_balance_cap(session, capped, 100_000)
        transfer(session, capped, other, 10_000)
        assert ledger.get_account(session, capped).balance_cap == 100_000
    _refused(db, BalanceCapExceeded, lambda s: transfer(s, other, capped, 1))
    _refused(db, NotFound, lambda s: ledger.set_balance_cap(s, "lac_nosuchaccount", 1))
