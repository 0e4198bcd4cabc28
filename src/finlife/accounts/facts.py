"""What other modules' rules need to know about a deposit account, without an actor and without money."""

from __future__ import annotations

from collections.abc import Collection

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.accounts.models import DepositAccount
from finlife.accounts.schemas import AccountClass, AccountStatus
from finlife.kit.errors import NotFound


class AccountFacts(BaseModel):
    id: str
    customer_id: str
    account_class: AccountClass
    status: AccountStatus
    currency: str
    ledger_account_id: str


def account_facts(session: Session, account_id: str) -> AccountFacts:
    """Owner, class, status, currency and ledger account of one account; raises NotFound("account").

    No access check: callers use the facts for their own rules and must not show them to others.
    """
    row = session.execute(
        select(
            DepositAccount.public_id,
            DepositAccount.customer_id,
            DepositAccount.account_class,
            DepositAccount.status,
            DepositAccount.currency,
            DepositAccount.ledger_account_id,
        ).where(DepositAccount.public_id == account_id)
    ).one_or_none()
    if row is None:
        raise NotFound("account")
    return AccountFacts(
        id=row.public_id,
        customer_id=row.customer_id,
        account_class=AccountClass(row.account_class),
        status=AccountStatus(row.status),
        currency=row.currency,
        ledger_account_id=row.ledger_account_id,
    )


def accounts_facts(session: Session, account_ids: Collection[str]) -> dict[str, AccountFacts]:
    """``account_facts`` of many accounts in one query (a batch job's), by public id; the ones that
    do not exist are left out."""
    rows = session.execute(
        select(
            DepositAccount.public_id,
            DepositAccount.customer_id,
            DepositAccount.account_class,
            DepositAccount.status,
            DepositAccount.currency,
            DepositAccount.ledger_account_id,
        ).where(DepositAccount.public_id.in_(sorted(set(account_ids))))
    ).all()
    return {
        row.public_id: AccountFacts(
            id=row.public_id,
            customer_id=row.customer_id,
            account_class=AccountClass(row.account_class),
            status=AccountStatus(row.status),
            currency=row.currency,
            ledger_account_id=row.ledger_account_id,
        )
        for row in rows
    }
