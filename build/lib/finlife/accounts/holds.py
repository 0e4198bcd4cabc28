"""Holds on deposit accounts (bank staff): reserve, capture part or all once, or void.

The ledger keeps the hold and speaks ledger account ids; answers here name deposit accounts.
A capture is money out of the account, so it counts against Class II/III "out" limits (and, when it
lands on another deposit account not bound to the source, against that account's "in" limits).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from finlife.accounts import limits
from finlife.accounts.common import SERVING_STAFF, AccountRef, record_change, resolve, resolve_by_ledger
from finlife.accounts.limits import IN, OUT, Charge
from finlife.accounts.schemas import HoldOut
from finlife.kit.auth import Actor
from finlife.kit.errors import NotFound
from finlife.ledger import service as ledger
from finlife.ledger.schemas import BankPurpose
from finlife.ledger.schemas import HoldOut as LedgerHold
from finlife.settings import Settings


def _out(hold: LedgerHold, by_ledger: dict[str, AccountRef]) -> HoldOut:
    destination = by_ledger.get(hold.destination_id) if hold.destination_id else None
    return HoldOut(
        id=hold.id,
        account_id=by_ledger[hold.account_id].public_id,
        amount=hold.amount,
        captured=hold.captured,
        currency=hold.currency,
        status=hold.status,
        reference=hold.reference,
        expires_at=hold.expires_at,
        destination=destination.public_id if destination else None,
        capture_entry_id=hold.capture_entry_id,
    )


def _load(session: Session, hold_id: str) -> tuple[LedgerHold, dict[str, AccountRef]]:
    """The hold and its deposit accounts; holds on the bank's own accounts are not shown here."""
    hold = ledger.get_hold(session, hold_id)
    ledger_ids = [hold.account_id] + ([hold.destination_id] if hold.destination_id else [])
    by_ledger = resolve_by_ledger(session, ledger_ids)
    if hold.account_id not in by_ledger:
        raise NotFound("hold")
    return hold, by_ledger


def _record(session: Session, actor: Actor, event: str, hold: HoldOut, customer_id: str) -> None:
    facts = {"account_id": hold.account_id, "amount": hold.amount, "captured": hold.captured}
    record_change(
        session, actor, event, subject_type="hold", subject_id=hold.id, customer_id=customer_id, facts=facts
    )


def place_hold(
    session: Session,
    settings: Settings,
    actor: Actor,
    *,
    account_id: str,
    amount: int,
    currency: str,
    expires_in: int,
    destination: str | None = None,
    reference: str | None = None,
) -> HoldOut:
    """Reserve ``amount`` on an account until captured, voided or ``expires_in`` seconds pass."""
    actor.require(*SERVING_STAFF)
    found = resolve(session, [account_id] + ([destination] if destination else []))
    account = found.get(account_id)
    target = found.get(destination) if destination else None
    if account is None or (destination and target is None):
        raise NotFound("account")
    account.require_active()
    account.require_currency(currency)
    if target is not None:
        target.require_active()
        target.require_currency(currency)
    held = ledger.place_hold(
        session,
        actor,
        account=account.ledger_account_id,
        amount=amount,
        currency=currency,
        expires_in=expires_in,
        destination=target.ledger_account_id if target else None,
        reference=reference,
    )
    by_ledger = {a.ledger_account_id: a for a in found.values()}
    out = _out(held, by_ledger)
    _record(session, actor, "hold.placed", out, account.customer_id)
    return out


def capture_hold(session: Session, settings: Settings, actor: Actor, hold_id: str, *, amount: int) -> HoldOut:
    """Capture part or all of a pending hold, once; the money goes to its destination or clearing."""
    actor.require(*SERVING_STAFF)
    hold, by_ledger = _load(session, hold_id)
    source = by_ledger[hold.account_id]
    target = by_ledger.get(hold.destination_id) if hold.destination_id else None
    # Only a capture the ledger will accept is counted; otherwise its own refusal speaks.
    if hold.status == "pending" and amount <= hold.amount:
        charges = [Charge(source, OUT, amount)]
        if target is not None:
            if source.is_bound_to(target):
                charges = []
            else:
                charges.append(Charge(target, IN, amount))
        limits.count(session, settings, charges)
    clearing = ledger.bank_account(session, BankPurpose.CLEARING, hold.currency).id
    captured = ledger.capture_hold(session, actor, hold_id, amount=amount, default_destination=clearing)
    out = _out(captured, by_ledger)
    _record(session, actor, "hold.captured", out, source.customer_id)
    return out


def void_hold(session: Session, actor: Actor, hold_id: str) -> HoldOut:
    """Release a pending hold without moving money."""
    actor.require(*SERVING_STAFF)
    _, by_ledger = _load(session, hold_id)
    voided = ledger.void_hold(session, actor, hold_id)
    out = _out(voided, by_ledger)
    _record(session, actor, "hold.voided", out, by_ledger[voided.account_id].customer_id)
    return out


def get_hold(session: Session, actor: Actor, hold_id: str) -> HoldOut:
    """A hold as it stands now (an overdue pending hold reads as expired)."""
    actor.require(*SERVING_STAFF)
    hold, by_ledger = _load(session, hold_id)
    return _out(hold, by_ledger)
