"""Whom each line of a customer's statement concerned, by name: the store a payment (or its refund)
went to, named by a hook the payments module registers (it sits above accounts), or the other person
of a transfer (the holder of the other account). Read from the details each entry was posted with."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.accounts.models import DepositAccount
from finlife.customers import service as customers
from finlife.kit.errors import NotFound
from finlife.ledger import service as ledger
from finlife.ledger.schemas import StatementLineOut

# (session, payment ids) → the name of the store each was paid at, as the customer knows it.
PaymentNamer = Callable[[Session, list[str]], dict[str, str]]
_payment_namers: list[PaymentNamer] = []


def register_payment_namer(namer: PaymentNamer) -> None:
    """Called by the app: statements name the stores a customer paid (once, however many apps)."""
    if namer not in _payment_namers:
        _payment_namers.append(namer)


@dataclass(frozen=True)
class Counterparty:
    name: str  # "" when the line concerns nobody else (cash at the counter, interest …)
    payment_id: str | None  # the payment behind the line: its result page
    transfer_id: str | None


def _holders(session: Session, account_ids: set[str]) -> dict[str, str]:
    """Each account's holder's name."""
    if not account_ids:
        return {}
    rows = session.execute(
        select(DepositAccount.public_id, DepositAccount.customer_id).where(
            DepositAccount.public_id.in_(sorted(account_ids))
        )
    ).all()
    names: dict[str, str] = {}
    for public_id, customer_id in rows:
        try:
            names[public_id] = customers.customer_facts(session, customer_id).name
        except NotFound:
            continue
    return names


def counterparties(
    session: Session, account_id: str, lines: Sequence[StatementLineOut]
) -> dict[str, Counterparty]:
    """Each line's counterparty (by entry id), seen from ``account_id``."""
    details = ledger.entry_details(session, [line.id for line in lines])
    payment_ids = {str(d["payment"]) for d in details.values() if d.get("payment")}
    others = {
        entry_id: str(d["to"] if d.get("from") == account_id else d["from"])
        for entry_id, d in details.items()
        if d.get("from") and d.get("to")
    }
    stores: dict[str, str] = {}
    for namer in _payment_namers:
        stores.update(namer(session, sorted(payment_ids)))
    holders = _holders(session, set(others.values()))
    named: dict[str, Counterparty] = {}
    for entry_id, d in details.items():
        if d.get("payment"):
            name = stores.get(str(d["payment"]), "")
        elif entry_id in others:
            name = holders.get(others[entry_id], "")
        else:
            name = ""
        payment = d.get("payment")
        transfer = d.get("transfer")
        named[entry_id] = Counterparty(
            name=name,
            payment_id=str(payment) if payment else None,
            transfer_id=str(transfer) if transfer else None,
        )
    return named


def statement_line(session: Session, ledger_account_id: str, entry_id: str) -> StatementLineOut:
    """One line of the account's statement (404 for an entry that did not touch it)."""
    return ledger.statement_line(session, ledger_account_id, entry_id)
