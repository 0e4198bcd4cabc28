"""Tables of the book. Balances are signed (debit positive) so that all of them always sum to zero."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from finlife.kit.db import Base, BigId, UTCDateTime


class LedgerAccount(Base):
    __tablename__ = "ledger_accounts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    code: Mapped[str] = mapped_column(String(96), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(16))
    normal_side: Mapped[str] = mapped_column(String(6))
    currency: Mapped[str] = mapped_column(String(3))
    # Signed sum of all postings, debit positive. The trial balance adds these up to zero.
    balance: Mapped[int] = mapped_column(BigInteger, default=0)
    # Reserved by pending holds, in the account's normal direction; never negative.
    held: Mapped[int] = mapped_column(BigInteger, default=0)
    allow_overdraft: Mapped[bool] = mapped_column(Boolean, default=False)
    # Highest normal balance allowed (a Class III account's 2,000 CNY), or none.
    balance_cap: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class JournalEntry(Base):
    __tablename__ = "journal_entries"
    # Only reversals carry ``reverses_id``: a partial index keeps "reversed at most once" without an
    # index entry for every other entry. No query selects entries by kind or by time (statements go
    # through postings, an entry is read by its public id), so neither is indexed: every index on
    # this append-only table is paid by every posting.
    __table_args__ = (
        Index(
            "uq_journal_entries_reverses_id",
            "reverses_id",
            unique=True,
            postgresql_where=text("reverses_id IS NOT NULL"),
            sqlite_where=text("reverses_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    memo: Mapped[str] = mapped_column(String(140), default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    actor_user_id: Mapped[str | None] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))
    # A reversal points at the entry it undoes; unique, so an entry is reversed at most once.
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("journal_entries.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Posting(Base):
    __tablename__ = "postings"
    # A statement reads one account's postings newest first: (account, id) answers it in order, and
    # serves the foreign key as the plain account index did.
    __table_args__ = (Index("ix_postings_ledger_account_id_id", "ledger_account_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("journal_entries.id"), index=True)
    ledger_account_id: Mapped[int] = mapped_column(ForeignKey("ledger_accounts.id"))
    amount: Mapped[int] = mapped_column(BigInteger)  # debit positive, credit negative
    currency: Mapped[str] = mapped_column(String(3))
    # The account's normal balance right after this posting: statements need no running sum.
    balance_after: Mapped[int] = mapped_column(BigInteger)


class Hold(Base):
    __tablename__ = "holds"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    ledger_account_id: Mapped[int] = mapped_column(ForeignKey("ledger_accounts.id"), index=True)
    destination_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_accounts.id"))
    amount: Mapped[int] = mapped_column(BigInteger)
    captured: Mapped[int] = mapped_column(BigInteger, default=0)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(10), index=True)
    reference: Mapped[str | None] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    capture_entry_id: Mapped[int | None] = mapped_column(ForeignKey("journal_entries.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
