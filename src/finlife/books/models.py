"""The merchant's own books: entries of balanced lines, and the totals the reports read.

``book_entries`` are never updated: a mistake is put right by a reversing entry (``reverses_pk``,
unique: an entry is reversed at most once). An entry written from an event carries the event's id
in ``source_event`` (unique), so a replayed event cannot be booked twice. ``book_day_totals`` and
``book_totals`` are kept in the same transaction as each entry (an upsert per account in each): the
reports sum a handful of rows per day instead of every line, whatever the number of orders
(bench/books.py).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, LargeBinary, String, text
from sqlalchemy.orm import Mapped, mapped_column

from finlife.kit.db import Base, BigId, UTCDateTime


class BookEntry(Base):
    __tablename__ = "book_entries"
    __table_args__ = (
        Index("ix_book_entries_merchant_day", "merchant_id", "day"),
        # Only reversals carry ``reverses_pk``: a partial index keeps "reversed at most once" without
        # an entry for every sale the books consumer writes.
        Index(
            "uq_book_entries_reverses_pk",
            "reverses_pk",
            unique=True,
            postgresql_where=text("reverses_pk IS NOT NULL"),
            sqlite_where=text("reverses_pk IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)  # ben_…
    merchant_id: Mapped[str] = mapped_column(String(32))
    day: Mapped[date] = mapped_column(Date)  # the Asia/Shanghai day it counts on
    kind: Mapped[str] = mapped_column(String(24))  # sale | refund | coupon | settlement | expense | …
    category: Mapped[str | None] = mapped_column(String(32))  # owner entries: the catalogue's key
    note: Mapped[str] = mapped_column(String(200), default="")
    store_id: Mapped[str | None] = mapped_column(String(32))
    source_event: Mapped[str | None] = mapped_column(String(32), unique=True)  # evt_… it was written from
    ledger_entry_id: Mapped[str | None] = mapped_column(String(32))  # the bank's entry (reconciliation)
    reverses_pk: Mapped[int | None] = mapped_column(BigId, ForeignKey("book_entries.id"))
    created_by: Mapped[str | None] = mapped_column(String(32))  # the owner's user id; None: from events
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class BookLine(Base):
    """One side of an entry: + debit, − credit; an entry's lines sum to zero."""

    __tablename__ = "book_lines"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    entry_pk: Mapped[int] = mapped_column(BigId, ForeignKey("book_entries.id"), index=True)
    account: Mapped[str] = mapped_column(String(48))
    amount: Mapped[int] = mapped_column(BigInteger)


class BookTotal(Base):
    """Debits and credits of one account of a merchant, per day, hour and store (store '' for none)."""

    __tablename__ = "book_totals"

    merchant_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    hour: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    account: Mapped[str] = mapped_column(String(48), primary_key=True)
    debit: Mapped[int] = mapped_column(BigInteger, default=0)
    credit: Mapped[int] = mapped_column(BigInteger, default=0)


class BookDayTotal(Base):
    """Debits and credits of one account of a merchant per day: what the P&L, the cash flow and the
    returns read (a month is a few hundred rows); ``book_totals`` keeps the hours and stores."""

    __tablename__ = "book_day_totals"

    merchant_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    account: Mapped[str] = mapped_column(String(48), primary_key=True)
    debit: Mapped[int] = mapped_column(BigInteger, default=0)
    credit: Mapped[int] = mapped_column(BigInteger, default=0)


class BookReceipt(Base):
    """The picture of a receipt an owner attached to an expense (checked as PNG, JPEG or WebP)."""

    __tablename__ = "book_receipts"

    entry_pk: Mapped[int] = mapped_column(BigId, ForeignKey("book_entries.id"), primary_key=True)
    content_type: Mapped[str] = mapped_column(String(16))
    data: Mapped[bytes] = mapped_column(LargeBinary)
