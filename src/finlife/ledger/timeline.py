"""One account's postings as lines of its owner's timeline (the 360 view), newest first by posting id."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.kit.timeline import TimelineLine
from finlife.ledger.models import JournalEntry, LedgerAccount, Posting


def movement_lines(
    session: Session,
    account_id: str,
    *,
    source: str,
    before: int | None,
    limit: int,
    channel: str | None = None,
    account_ref: str | None = None,
) -> list[TimelineLine]:
    """Postings of ledger account ``account_id`` older than posting ``before``, signed so that money
    in is positive; by the (account, id) index, one range scan however long the history."""
    account = session.execute(
        select(LedgerAccount.id, LedgerAccount.normal_side).where(LedgerAccount.public_id == account_id)
    ).one_or_none()
    if account is None:
        return []
    sign = 1 if account.normal_side == "debit" else -1
    stmt = (
        select(Posting.id, Posting.amount, Posting.currency, JournalEntry)
        .join(JournalEntry, JournalEntry.id == Posting.entry_id)
        .where(Posting.ledger_account_id == account.id)
    )
    if before is not None:
        stmt = stmt.where(Posting.id < before)
    if channel is not None:
        stmt = stmt.where(JournalEntry.channel == channel)
    rows = session.execute(stmt.order_by(Posting.id.desc()).limit(limit)).all()
    return [
        TimelineLine(
            source=source,
            key=posting_id,
            at=entry.created_at,
            kind="money",
            channel=entry.channel,
            action=entry.kind,
            ref=entry.public_id,
            # Signed as statements are: + raises the account's normal balance (money in, for a deposit).
            amount=amount * sign,
            details={"memo": entry.memo, "currency": currency, "account_id": account_ref},
        )
        for posting_id, amount, currency, entry in rows
    ]
