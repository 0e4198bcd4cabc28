"""Merchant settlement: one statement per merchant and business day, and each merchant's carry.

Merchants, accounts and ledger entries are referred to by public ids. Amounts are integer fen.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from finlife.kit.db import Base, BigId, UTCDateTime


class SettlementCursor(Base):
    """How far a merchant is settled, and what was carried forward from its last settled day.

    Every settlement of the merchant locks this row first, so concurrent runs queue on it and the
    later one finds the days already settled.
    """

    __tablename__ = "settlement_cursors"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    merchant_id: Mapped[str] = mapped_column(String(32), unique=True)
    settled_through: Mapped[date | None] = mapped_column(Date)
    # Signed: > 0 takings still owed to the merchant (they stay in pending), < 0 a deficit (refunds
    # above takings) to recover from later takings.
    carried_pending: Mapped[int] = mapped_column(BigInteger, default=0)
    # Fees accrued but not yet charged because the day's takings did not cover them.
    carried_fees: Mapped[int] = mapped_column(BigInteger, default=0)


class Settlement(Base):
    """The statement of one merchant's business day: what was taken, given back, charged and paid."""

    __tablename__ = "settlements"
    __table_args__ = (UniqueConstraint("merchant_id", "business_date"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    merchant_id: Mapped[str] = mapped_column(String(32))
    business_date: Mapped[date] = mapped_column(Date, index=True)
    currency: Mapped[str] = mapped_column(String(3))
    gross: Mapped[int] = mapped_column(BigInteger)  # non-cash takings of the day
    refunds: Mapped[int] = mapped_column(BigInteger)  # non-cash refunds made that day
    fees: Mapped[int] = mapped_column(BigInteger)  # fees accrued on the day's takings
    carried_in_pending: Mapped[int] = mapped_column(BigInteger)
    carried_in_fees: Mapped[int] = mapped_column(BigInteger)
    settled: Mapped[int] = mapped_column(BigInteger)  # taken out of the pending account
    fees_charged: Mapped[int] = mapped_column(BigInteger)  # credited to the bank's fee income
    net: Mapped[int] = mapped_column(BigInteger)  # credited to the merchant's settlement account
    carried_out_pending: Mapped[int] = mapped_column(BigInteger)
    carried_out_fees: Mapped[int] = mapped_column(BigInteger)
    cash_gross: Mapped[int] = mapped_column(BigInteger)  # for the merchant's information only
    cash_refunds: Mapped[int] = mapped_column(BigInteger)
    # [{"method", "count", "gross", "refunds", "fees"}] for every tender used that day, cash included.
    tenders: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    settlement_account_id: Mapped[str] = mapped_column(String(32))
    entry_id: Mapped[str | None] = mapped_column(String(32))  # None when nothing moved
    created_by: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class InterbankPosition(Base):
    """One other bank's deferred net position of one business day, and how it was settled.

    Signed as our clearing account with that bank reads: > 0 the other bank owes us, < 0 we owe it.
    ``interchange`` is the issuer's part of the merchant fees on its cards at our merchants: the issuer
    keeps it, so it is deducted from what it pays us.
    """

    __tablename__ = "settlement_interbank_positions"
    __table_args__ = (UniqueConstraint("bank_code", "business_date"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    bank_code: Mapped[str] = mapped_column(String(16))
    business_date: Mapped[date] = mapped_column(Date, index=True)
    currency: Mapped[str] = mapped_column(String(3))
    card_count: Mapped[int] = mapped_column(BigInteger)
    card_amount: Mapped[int] = mapped_column(BigInteger)  # their cards at our merchants: they owe us
    transfers_out_count: Mapped[int] = mapped_column(BigInteger)
    transfers_out_amount: Mapped[int] = mapped_column(BigInteger)  # our customers to theirs: we owe
    transfers_in_count: Mapped[int] = mapped_column(BigInteger)
    transfers_in_amount: Mapped[int] = mapped_column(BigInteger)  # theirs to ours: they owe us
    other_amount: Mapped[int] = mapped_column(BigInteger)  # reversals, reconciliation adjustments
    movement: Mapped[int] = mapped_column(BigInteger)  # the clearing account's movement of the day
    interchange: Mapped[int] = mapped_column(BigInteger)
    net: Mapped[int] = mapped_column(BigInteger)  # movement − interchange: what is settled
    entry_id: Mapped[str | None] = mapped_column(String(32))  # None when nothing moved
    created_by: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
