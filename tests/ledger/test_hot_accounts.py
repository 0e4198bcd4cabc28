"""Hot accounts (ledger.hot_accounts): a credit that cannot break a rule waits for no lock until its
commit, a debit of a hot account is still checked under its lock, and the book stays exact."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from finlife.kit.db import Database
from finlife.ledger import service as ledger
from finlife.ledger.errors import InsufficientFunds
from finlife.ledger.schemas import Line
from tests.ledger.support import SYSTEM, cash_in, check_book, deposit_account


def _balance(db: Database, account: str) -> int:
    with db.unit_of_work() as session:
        return ledger.balance(session, account).ledger


def test_a_credit_to_a_hot_account_is_posted_with_exact_balances(db: Database) -> None:
    with db.unit_of_work() as session:
        payer, hot = deposit_account(session), deposit_account(session)
        cash_in(session, payer, 10_000)
    with db.unit_of_work() as session:
        entry = ledger.post(
            session,
            SYSTEM,
            kind="payment",
            lines=[Line(payer, 1_500, "CNY"), Line(hot, -1_000, "CNY"), Line(hot, -500, "CNY")],
            hot=[hot],
        )
        assert entry.postings[0].balance_after == 8_500
    assert (_balance(db, payer), _balance(db, hot)) == (8_500, 1_500)
    with db.unit_of_work() as session:
        shown = ledger.get_entry(session, entry.id)
        assert [p.balance_after for p in shown.postings] == [8_500, 1_000, 1_500]
        check_book(session)


def test_a_debit_of_a_hot_account_is_refused_beyond_its_balance(db: Database) -> None:
    with db.unit_of_work() as session:
        customer, hot = deposit_account(session), deposit_account(session)
        cash_in(session, hot, 1_000)
    with pytest.raises(InsufficientFunds), db.unit_of_work() as session:
        ledger.post_pair(
            session,
            SYSTEM,
            debit=hot,
            credit=customer,
            amount=1_001,
            currency="CNY",
            kind="refund",
            hot=[hot],
        )
    with db.unit_of_work() as session:
        ledger.post_pair(
            session,
            SYSTEM,
            debit=hot,
            credit=customer,
            amount=1_000,
            currency="CNY",
            kind="refund",
            hot=[hot],
        )
    assert (_balance(db, hot), _balance(db, customer)) == (0, 1_000)


@pytest.mark.postgres_only
def test_a_credit_to_a_hot_account_waits_for_no_lock_until_its_commit(db: Database) -> None:
    with db.unit_of_work() as session:
        payer, hot = deposit_account(session), deposit_account(session)
        cash_in(session, payer, 10_000)
    holder = db.engine.connect()
    try:
        holder.execute(text("BEGIN"))
        holder.execute(text("SELECT 1 FROM ledger_accounts WHERE public_id = :id FOR UPDATE"), {"id": hot})
        with db.unit_of_work() as session:
            # Any wait for a row lock while posting fails at once instead of queueing.
            session.execute(text("SET LOCAL lock_timeout = '50ms'"))
            ledger.post_pair(
                session,
                SYSTEM,
                debit=payer,
                credit=hot,
                amount=700,
                currency="CNY",
                kind="payment",
                hot=[hot],
            )
            holder.execute(text("ROLLBACK"))  # the commit below raises the balance: nothing holds it now
    finally:
        holder.close()
    assert (_balance(db, payer), _balance(db, hot)) == (9_300, 700)
    with db.unit_of_work() as session:
        check_book(session)
