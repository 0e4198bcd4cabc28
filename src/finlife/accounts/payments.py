"""Consumption payments out of a deposit account, and their refunds, for the payments module.

The payments module has already authenticated the payer (card and PIN, a one-use payment code, or
the signed-in owner scanning a merchant's code), so these functions check no actor: they apply the
account's own rules. A payment counts against the Class II/III "out" limits exactly like a transfer
to a non-bound account (consumption and non-bound transfers share one limit); a refund counts
nothing, but the ledger still keeps a Class III account under its balance cap.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from finlife.accounts import limits
from finlife.accounts.common import AccountRef, record_change, resolve_one
from finlife.accounts.limits import OUT, Charge
from finlife.kit.auth import Actor
from finlife.ledger import service as ledger
from finlife.ledger.schemas import EntryOut
from finlife.settings import Settings


def _ready(session: Session, account_id: str, currency: str) -> AccountRef:
    account = resolve_one(session, account_id)
    account.require_active()
    account.require_currency(currency)
    return account


def _record(
    session: Session, actor: Actor, event: str, account: AccountRef, entry: EntryOut, facts: dict[str, Any]
) -> None:
    record_change(
        session,
        actor,
        event,
        subject_type="account",
        subject_id=account.public_id,
        customer_id=account.customer_id,
        facts={"entry_id": entry.id, **facts},
    )


def pay(
    session: Session,
    settings: Settings,
    actor: Actor,
    *,
    account_id: str,
    amount: int,
    currency: str,
    destination_ledger_account_id: str,
    kind: str,
    memo: str,
    details: dict[str, Any],
    destination_is_hot: bool = False,
) -> EntryOut:
    """Debit a customer's deposit account for a purchase and credit ``destination_ledger_account_id``.

    Refuses an inactive account, another currency, a Class II/III "out" limit (422 limit_exceeded)
    and an overdraft (422 insufficient_funds, from the ledger). ``details`` must hold masked data only.
    """
    account = _ready(session, account_id, currency)
    limits.count(session, settings, [Charge(account, OUT, amount)])
    entry = ledger.post_pair(
        session,
        actor,
        debit=account.ledger_account_id,
        credit=destination_ledger_account_id,
        amount=amount,
        currency=currency,
        kind=kind,
        memo=memo,
        details={"account": account.public_id, **details},
        hot=(destination_ledger_account_id,) if destination_is_hot else (),
    )
    _record(
        session,
        actor,
        "account.payment",
        account,
        entry,
        {"amount": amount, "currency": currency, "kind": kind, **details},
    )
    return entry


def refund(
    session: Session,
    settings: Settings,
    actor: Actor,
    *,
    account_id: str,
    amount: int,
    currency: str,
    source_ledger_account_id: str,
    kind: str,
    memo: str,
    details: dict[str, Any],
    source_is_hot: bool = False,
) -> EntryOut:
    """Credit a purchase back to the customer's account from ``source_ledger_account_id``.

    No limit is counted (the money returns where it came from); the ledger refuses a credit that
    would lift a Class III account above its balance cap (422 balance_cap_exceeded).
    """
    account = _ready(session, account_id, currency)
    entry = ledger.post_pair(
        session,
        actor,
        debit=source_ledger_account_id,
        credit=account.ledger_account_id,
        amount=amount,
        currency=currency,
        kind=kind,
        memo=memo,
        details={"account": account.public_id, **details},
        hot=(source_ledger_account_id,) if source_is_hot else (),
    )
    _record(
        session,
        actor,
        "account.refund",
        account,
        entry,
        {"amount": amount, "currency": currency, "kind": kind, **details},
    )
    return entry
