"""Opening ledger accounts: one per deposit account, and the bank's own by purpose."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.kit.clock import clock
from finlife.kit.db import insert_if_absent, table_of
from finlife.kit.errors import NotFound
from finlife.kit.ids import new_id
from finlife.ledger.models import LedgerAccount
from finlife.ledger.schemas import (
    BANK_PURPOSE_KIND,
    NORMAL_SIDE,
    AccountKind,
    BankPurpose,
    LedgerAccountOut,
)

_accounts = table_of(LedgerAccount)


def _out(account: LedgerAccount) -> LedgerAccountOut:
    return LedgerAccountOut(
        id=account.public_id,
        code=account.code,
        name=account.name,
        kind=AccountKind(account.kind),
        normal_side=account.normal_side,
        currency=account.currency,
        allow_overdraft=account.allow_overdraft,
        balance_cap=account.balance_cap,
    )


def open_account(
    session: Session,
    *,
    code: str,
    name: str,
    kind: AccountKind,
    currency: str,
    allow_overdraft: bool = False,
    balance_cap: int | None = None,
) -> LedgerAccountOut:
    """Open a ledger account; ``code`` is unique and says what the account is for."""
    account = LedgerAccount(
        public_id=new_id("lac"),
        code=code,
        name=name,
        kind=kind.value,
        normal_side=NORMAL_SIDE[kind],
        currency=currency,
        balance=0,
        held=0,
        allow_overdraft=allow_overdraft,
        balance_cap=balance_cap,
        created_at=clock.now(),
    )
    session.add(account)
    session.flush()
    return _out(account)


def set_balance_cap(session: Session, account_id: str, cap: int | None) -> None:
    """Change an account's highest normal balance (a Class III upgrade lifts it); None removes it."""
    account = session.execute(
        select(LedgerAccount).where(LedgerAccount.public_id == account_id)
    ).scalar_one_or_none()
    if account is None:
        raise NotFound("account")
    account.balance_cap = cap
    session.flush()


def bank_account(
    session: Session, purpose: BankPurpose, currency: str = "CNY", *, unit: str = "HQ"
) -> LedgerAccountOut:
    """The bank's own account for a purpose (cash vault of a branch, clearing, fee income, …).

    Created on first use; concurrent first uses create it once (insert-if-absent on the code).
    """
    code = f"bank:{purpose.value}:{unit}:{currency}"
    existing = session.execute(select(LedgerAccount).where(LedgerAccount.code == code)).scalar_one_or_none()
    if existing is not None:
        return _out(existing)
    kind = BANK_PURPOSE_KIND[purpose]
    insert_if_absent(
        session,
        _accounts,
        {
            "public_id": new_id("lac"),
            "code": code,
            "name": f"{purpose.value.replace('_', ' ')} {unit} {currency}",
            "kind": kind.value,
            "normal_side": NORMAL_SIDE[kind],
            "currency": currency,
            "balance": 0,
            "held": 0,
            "allow_overdraft": True,  # the bank's own positions may run either way
            "balance_cap": None,
            "created_at": clock.now(),
        },
        conflict_columns=["code"],
    )
    return _out(session.execute(select(LedgerAccount).where(LedgerAccount.code == code)).scalar_one())


def get_account(session: Session, account_id: str) -> LedgerAccountOut:
    account = session.execute(
        select(LedgerAccount).where(LedgerAccount.public_id == account_id)
    ).scalar_one_or_none()
    if account is None:
        raise NotFound("account")
    return _out(account)
