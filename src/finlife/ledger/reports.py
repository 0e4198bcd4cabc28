"""Reading the book: balances, entries, statements, the trial balance; and reversing an entry."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.errors import NotFound
from finlife.kit.pagination import Page, PageParams
from finlife.ledger.errors import EntryAlreadyReversed
from finlife.ledger.models import Hold, JournalEntry, LedgerAccount, Posting
from finlife.ledger.posting import lock_accounts, post
from finlife.ledger.schemas import (
    AccountKind,
    BalanceOut,
    EntryOut,
    Line,
    PostingOut,
    StatementLineOut,
    TrialBalanceLine,
    TrialBalanceOut,
)


def _sign(normal_side: str) -> int:
    return 1 if normal_side == "debit" else -1


def balance(session: Session, account_id: str) -> BalanceOut:
    """Ledger, held and available balance; holds past their expiry no longer count."""
    account = session.execute(
        select(LedgerAccount).where(LedgerAccount.public_id == account_id)
    ).scalar_one_or_none()
    if account is None:
        raise NotFound("account")
    held = account.held
    if held:
        overdue = session.execute(
            select(func.coalesce(func.sum(Hold.amount), 0)).where(
                Hold.ledger_account_id == account.id, Hold.status == "pending", Hold.expires_at <= clock.now()
            )
        ).scalar_one()
        held -= int(overdue)
    ledger = account.balance * _sign(account.normal_side)
    return BalanceOut(ledger=ledger, available=ledger - held, held=held, currency=account.currency)


def get_entry(session: Session, entry_id: str) -> EntryOut:
    entry = session.execute(
        select(JournalEntry).where(JournalEntry.public_id == entry_id)
    ).scalar_one_or_none()
    if entry is None:
        raise NotFound("entry")
    rows = session.execute(
        select(Posting, LedgerAccount.public_id)
        .join(LedgerAccount, LedgerAccount.id == Posting.ledger_account_id)
        .where(Posting.entry_id == entry.id)
        .order_by(Posting.id)
    ).all()
    reverses = (
        session.execute(
            select(JournalEntry.public_id).where(JournalEntry.id == entry.reverses_id)
        ).scalar_one()
        if entry.reverses_id
        else None
    )
    return EntryOut(
        id=entry.public_id,
        kind=entry.kind,
        memo=entry.memo,
        channel=entry.channel,
        created_at=entry.created_at,
        reverses=reverses,
        details=entry.details,
        postings=[
            PostingOut(
                account_id=public_id, amount=p.amount, currency=p.currency, balance_after=p.balance_after
            )
            for p, public_id in rows
        ],
    )


def reverse(session: Session, actor: Actor, entry_id: str, *, memo: str = "") -> EntryOut:
    """Undo an entry with its mirror image; the original stays as it was. Once only."""
    original = get_entry(session, entry_id)
    if original.reverses is not None:
        raise EntryAlreadyReversed()
    original_id = session.execute(
        select(JournalEntry.id).where(JournalEntry.public_id == entry_id)
    ).scalar_one()
    # Lock the entry's accounts before looking for an earlier reversal: a concurrent reversal of the
    # same entry then has committed (and is seen) by the time this one gets the locks.
    lock_accounts(session, [p.account_id for p in original.postings])
    already = session.execute(select(JournalEntry.id).where(JournalEntry.reverses_id == original_id)).first()
    if already:
        raise EntryAlreadyReversed()
    lines = [Line(p.account_id, -p.amount, p.currency) for p in original.postings]
    entry = post(
        session,
        actor,
        kind="reversal",
        lines=lines,
        memo=memo or f"reversal of {entry_id}",
        details={"reverses": entry_id},
        reverses_id=original_id,
    )
    return entry.model_copy(update={"reverses": entry_id})


def statement(
    session: Session, account_id: str, params: PageParams, *, since: datetime | None = None
) -> Page[StatementLineOut]:
    """The account's postings, newest first, signed so that + raises its normal balance; only those
    from ``since`` on when given (a partner reads within its consent's dates)."""
    account = session.execute(
        select(LedgerAccount.id, LedgerAccount.normal_side).where(LedgerAccount.public_id == account_id)
    ).one_or_none()
    if account is None:
        raise NotFound("account")
    stmt = (
        select(Posting, JournalEntry)
        .join(JournalEntry, JournalEntry.id == Posting.entry_id)
        .where(Posting.ledger_account_id == account.id)
    )
    if since is not None:
        stmt = stmt.where(JournalEntry.created_at >= since)
    if params.starting_after:
        # The cursor is the entry id of the last line seen (public; postings have no id of their own).
        cursor = session.execute(
            select(func.min(Posting.id))
            .join(JournalEntry, JournalEntry.id == Posting.entry_id)
            .where(JournalEntry.public_id == params.starting_after, Posting.ledger_account_id == account.id)
        ).scalar_one()
        stmt = stmt.where(Posting.id < (cursor if cursor is not None else -1))
    rows = session.execute(stmt.order_by(Posting.id.desc()).limit(params.limit + 1)).all()
    sign = _sign(account.normal_side)
    lines = [
        StatementLineOut(
            id=entry.public_id,
            kind=entry.kind,
            memo=entry.memo,
            amount=posting.amount * sign,
            currency=posting.currency,
            balance_after=posting.balance_after,
            created_at=entry.created_at,
        )
        for posting, entry in rows[: params.limit]
    ]
    return Page[StatementLineOut](data=lines, has_more=len(rows) > params.limit)


def trial_balance(session: Session) -> TrialBalanceOut:
    """Every ledger account with its debit or credit balance; the signed total is always zero."""
    accounts = session.execute(select(LedgerAccount).order_by(LedgerAccount.code)).scalars().all()
    totals: dict[str, int] = defaultdict(int)
    lines = []
    for account in accounts:
        totals[account.currency] += account.balance
        lines.append(
            TrialBalanceLine(
                id=account.public_id,
                code=account.code,
                name=account.name,
                kind=AccountKind(account.kind),
                currency=account.currency,
                debit=max(account.balance, 0),
                credit=max(-account.balance, 0),
                balance=account.balance,
            )
        )
    return TrialBalanceOut(accounts=lines, totals=dict(totals), total=sum(totals.values()))


def entry_details(session: Session, entry_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The details each entry was posted with (whom a payment or a transfer concerned), by entry id."""
    if not entry_ids:
        return {}
    rows = session.execute(
        select(JournalEntry.public_id, JournalEntry.details).where(JournalEntry.public_id.in_(entry_ids))
    )
    return {public_id: dict(details or {}) for public_id, details in rows}


def statement_line(session: Session, account_id: str, entry_id: str) -> StatementLineOut:
    """One entry as a line of the account's statement (404 if the entry did not touch the account)."""
    found = session.execute(
        select(Posting, JournalEntry, LedgerAccount.normal_side)
        .join(JournalEntry, JournalEntry.id == Posting.entry_id)
        .join(LedgerAccount, LedgerAccount.id == Posting.ledger_account_id)
        .where(JournalEntry.public_id == entry_id, LedgerAccount.public_id == account_id)
        .order_by(Posting.id.desc())
    ).first()
    if found is None:
        raise NotFound("entry")
    posting, entry, normal_side = found
    return StatementLineOut(
        id=entry.public_id,
        kind=entry.kind,
        memo=entry.memo,
        amount=posting.amount * _sign(normal_side),
        currency=posting.currency,
        balance_after=posting.balance_after,
        created_at=entry.created_at,
    )
