"""Holds: authorise (reserve), then capture part or all once, or void; expired holds release themselves."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, aliased

from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import for_update, table_of
from finlife.kit.errors import NotFound
from finlife.kit.ids import new_id
from finlife.ledger.errors import (
    CaptureExceedsHold,
    CurrencyMismatch,
    HoldNotPending,
    InsufficientFunds,
    InvalidAmount,
)
from finlife.ledger.models import Hold, JournalEntry, LedgerAccount
from finlife.ledger.posting import lock_accounts, post_pair, release_expired_holds
from finlife.ledger.schemas import HoldOut

_accounts = table_of(LedgerAccount)


def _out(session: Session, hold: Hold) -> HoldOut:
    ids = [hold.ledger_account_id] + ([hold.destination_id] if hold.destination_id else [])
    public = {
        row.id: row.public_id
        for row in session.execute(
            select(LedgerAccount.id, LedgerAccount.public_id).where(LedgerAccount.id.in_(ids))
        )
    }
    entry = (
        session.execute(
            select(JournalEntry.public_id).where(JournalEntry.id == hold.capture_entry_id)
        ).scalar_one()
        if hold.capture_entry_id
        else None
    )
    return HoldOut(
        id=hold.public_id,
        account_id=public[hold.ledger_account_id],
        amount=hold.amount,
        captured=hold.captured,
        currency=hold.currency,
        status=hold.status,
        reference=hold.reference,
        expires_at=hold.expires_at,
        destination_id=public.get(hold.destination_id) if hold.destination_id else None,
        capture_entry_id=entry,
    )


def place_hold(
    session: Session,
    actor: Actor,
    *,
    account: str,
    amount: int,
    currency: str,
    expires_in: int,
    destination: str | None = None,
    reference: str | None = None,
) -> HoldOut:
    """Reserve ``amount``: the available balance drops, the ledger balance does not."""
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise InvalidAmount(field="amount")
    if expires_in <= 0:
        raise InvalidAmount(field="expires_in")
    locked = lock_accounts(session, [account] + ([destination] if destination else []))
    holder = locked[account]
    if holder.currency != currency:
        raise CurrencyMismatch(holder.currency)
    if destination and locked[destination].currency != currency:
        # Caught now rather than at capture time, when the hold could only be voided.
        raise CurrencyMismatch(locked[destination].currency)
    if not holder.allow_overdraft and holder.normal() - holder.held < amount:
        raise InsufficientFunds(extra={"account": account})
    session.execute(
        update(_accounts).where(_accounts.c.id == holder.id).values(held=_accounts.c.held + amount)
    )
    now = clock.now()
    hold = Hold(
        public_id=new_id("hld"),
        ledger_account_id=holder.id,
        destination_id=locked[destination].id if destination else None,
        amount=amount,
        captured=0,
        currency=currency,
        status="pending",
        reference=reference,
        expires_at=now + timedelta(seconds=expires_in),
        created_at=now,
    )
    session.add(hold)
    session.flush()
    return _out(session, hold)


def _hold_accounts(session: Session, hold_id: str) -> tuple[str, str | None]:
    """The public ids of a hold's account and destination (neither ever changes), before any lock."""
    holder, destination = aliased(LedgerAccount), aliased(LedgerAccount)
    row = session.execute(
        select(holder.public_id, destination.public_id)
        .select_from(Hold)
        .join(holder, holder.id == Hold.ledger_account_id)
        .outerjoin(destination, destination.id == Hold.destination_id)
        .where(Hold.public_id == hold_id)
    ).one_or_none()
    if row is None:
        raise NotFound("hold")
    return row[0], row[1]


def _locked_pending_hold(session: Session, hold_id: str, accounts: list[str]) -> Hold:
    # Every account the operation touches is locked first, all at once in id order, and the hold
    # after them, as a posting does (it locks its accounts, then expires their holds). Any other
    # order lets a capture and a payment between the same accounts deadlock. Every change of a
    # hold's status happens under its account's lock, so that lock alone serialises them.
    lock_accounts(session, accounts)  # also lets an overdue hold expire
    hold: Hold = session.execute(
        for_update(select(Hold).where(Hold.public_id == hold_id)).execution_options(populate_existing=True)
    ).scalar_one()
    if hold.status != "pending":
        raise HoldNotPending(hold.status)
    return hold


def capture_hold(
    session: Session, actor: Actor, hold_id: str, *, amount: int, default_destination: str
) -> HoldOut:
    """Capture part or all of a hold, once; the rest is released. Money goes to the destination."""
    source, destination = _hold_accounts(session, hold_id)
    destination = destination or default_destination
    hold = _locked_pending_hold(session, hold_id, [source, destination])
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise InvalidAmount(field="amount")
    if amount > hold.amount:
        raise CaptureExceedsHold(field="amount")
    session.execute(
        update(_accounts)
        .where(_accounts.c.id == hold.ledger_account_id)
        .values(held=_accounts.c.held - hold.amount)
    )
    entry = post_pair(
        session,
        actor,
        debit=source,
        credit=destination,
        amount=amount,
        currency=hold.currency,
        kind="hold_capture",
        memo=hold.reference or "",
        details={"hold": hold.public_id},
    )
    hold.status = "captured"
    hold.captured = amount
    hold.capture_entry_id = session.execute(
        select(JournalEntry.id).where(JournalEntry.public_id == entry.id)
    ).scalar_one()
    session.flush()
    return _out(session, hold)


def void_hold(session: Session, actor: Actor, hold_id: str) -> HoldOut:
    """Release a pending hold without moving money."""
    source, _ = _hold_accounts(session, hold_id)
    hold = _locked_pending_hold(session, hold_id, [source])
    session.execute(
        update(_accounts)
        .where(_accounts.c.id == hold.ledger_account_id)
        .values(held=_accounts.c.held - hold.amount)
    )
    hold.status = "voided"
    session.flush()
    return _out(session, hold)


def get_hold(session: Session, hold_id: str) -> HoldOut:
    hold = session.execute(select(Hold).where(Hold.public_id == hold_id)).scalar_one_or_none()
    if hold is None:
        raise NotFound("hold")
    if hold.status == "pending" and hold.expires_at <= clock.now():
        return _out(session, hold).model_copy(update={"status": "expired"})
    return _out(session, hold)


def expire_overdue_holds(session: Session) -> int:
    """Sweep every account with overdue holds (the scheduler's job); returns how many accounts."""
    overdue = (
        select(Hold.ledger_account_id)
        .where(Hold.status == "pending", Hold.expires_at <= clock.now())
        .distinct()
        .order_by(Hold.ledger_account_id)
    )
    # Read in full before the updates below write to the same table.
    account_ids = session.execute(overdue).scalars().all()
    count = 0
    for account_id in account_ids:
        session.execute(for_update(select(LedgerAccount.id).where(LedgerAccount.id == account_id))).all()
        release_expired_holds(session, account_id)
        count += 1
    return count
