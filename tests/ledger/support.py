"""Ledger test helpers: accounts, money in, a snapshot of the whole book and its invariants."""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.ledger import service as ledger
from finlife.ledger.models import Hold, JournalEntry, LedgerAccount, Posting
from finlife.ledger.schemas import AccountKind, BankPurpose

SYSTEM = Actor.system()
CLASS_III_CAP = 200_000  # 2,000.00 CNY
_codes = itertools.count(1)


def deposit_account(
    session: Session, *, cap: int | None = None, currency: str = "CNY", prefix: str = "dep"
) -> str:
    """A customer's deposit: a liability, credit-normal, never overdrawn; returns its public id."""
    return ledger.open_account(
        session,
        code=f"{prefix}:{next(_codes)}",
        name="customer deposit",
        kind=AccountKind.LIABILITY,
        currency=currency,
        balance_cap=cap,
    ).id


def vault(session: Session, currency: str = "CNY", *, unit: str = "BR001") -> str:
    return ledger.bank_account(session, BankPurpose.CASH_VAULT, currency, unit=unit).id


def cash_in(session: Session, account: str, amount: int, *, currency: str = "CNY") -> str:
    """Cash deposit at the branch: debit the vault (asset), credit the deposit; returns the entry id."""
    return ledger.post_pair(
        session,
        SYSTEM,
        debit=vault(session, currency),
        credit=account,
        amount=amount,
        currency=currency,
        kind="cash_deposit",
    ).id


def transfer(session: Session, payer: str, payee: str, amount: int) -> str:
    return ledger.post_pair(
        session, SYSTEM, debit=payer, credit=payee, amount=amount, currency="CNY", kind="transfer"
    ).id


@dataclass(frozen=True)
class Snapshot:
    """Everything a refused operation must leave as it was."""

    accounts: dict[str, tuple[int, int]]  # public id → (signed balance, stored held)
    entries: int
    postings: int
    holds: dict[str, tuple[str, int, int | None]]  # public id → (status, captured, capture entry)


def snapshot(db: Database) -> Snapshot:
    with db.unit_of_work() as session:
        accounts = {
            row.public_id: (row.balance, row.held)
            for row in session.execute(
                select(LedgerAccount.public_id, LedgerAccount.balance, LedgerAccount.held)
            )
        }
        holds = {
            row.public_id: (row.status, row.captured, row.capture_entry_id)
            for row in session.execute(
                select(Hold.public_id, Hold.status, Hold.captured, Hold.capture_entry_id)
            )
        }
        return Snapshot(
            accounts=accounts,
            entries=session.execute(select(func.count()).select_from(JournalEntry)).scalar_one(),
            postings=session.execute(select(func.count()).select_from(Posting)).scalar_one(),
            holds=holds,
        )


def check_book(session: Session) -> None:
    """The invariants that hold after every committed operation, whatever happened before."""
    trial = ledger.trial_balance(session)
    assert trial.total == 0
    assert all(total == 0 for total in trial.totals.values()), trial.totals
    for line in trial.accounts:
        assert line.debit - line.credit == line.balance and min(line.debit, line.credit) == 0

    replayed: dict[int, int] = defaultdict(int)
    last_after: dict[int, int] = {}
    for row in session.execute(
        select(Posting.ledger_account_id, Posting.amount, Posting.balance_after).order_by(Posting.id)
    ):
        replayed[row.ledger_account_id] += row.amount
        last_after[row.ledger_account_id] = row.balance_after

    now = clock.now()
    pending: dict[int, list[Any]] = defaultdict(list)
    for hold in session.execute(select(Hold).where(Hold.status == "pending")).scalars():
        pending[hold.ledger_account_id].append(hold)

    for account in session.execute(select(LedgerAccount)).scalars():
        sign = 1 if account.normal_side == "debit" else -1
        assert replayed[account.id] == account.balance, account.code
        if account.id in last_after:
            assert last_after[account.id] == account.balance * sign, account.code
        assert account.held == sum(h.amount for h in pending[account.id]), account.code
        shown = ledger.balance(session, account.public_id)
        unexpired = sum(h.amount for h in pending[account.id] if h.expires_at > now)
        assert shown.held == unexpired, account.code
        assert shown.ledger == account.balance * sign
        assert shown.available == shown.ledger - shown.held
        if not account.allow_overdraft:
            assert shown.ledger >= 0, account.code
            assert shown.available >= 0, account.code
        if account.balance_cap is not None:
            assert shown.ledger <= account.balance_cap, account.code
