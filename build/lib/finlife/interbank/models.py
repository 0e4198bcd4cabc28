"""Tables of the interbank module: the bank directory, off-us card authorisations, transfers with
other banks. No PAN is stored: first six, last four."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from finlife.kit.db import Base, BigId, UTCDateTime


class Bank(Base):
    __tablename__ = "interbank_banks"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(140))
    bins: Mapped[list[str]] = mapped_column(JSON)
    iso8583_endpoints: Mapped[list[str]] = mapped_column(JSON)  # "host:port", tried in order
    iso20022_url: Mapped[str | None] = mapped_column(String(255))
    timeout_ms: Mapped[int] = mapped_column(Integer)
    clearing_ledger_account_id: Mapped[str] = mapped_column(String(32))  # lac_… (asset: it owes us)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CardAuthorisation(Base):
    """One off-us card request to an issuer; the id is the STAN and RRN source (unique forever)."""

    __tablename__ = "interbank_card_authorisations"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    bank_code: Mapped[str] = mapped_column(String(16), index=True)
    stan: Mapped[str] = mapped_column(String(6))
    rrn: Mapped[str] = mapped_column(String(12), unique=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    card_first6: Mapped[str] = mapped_column(String(6))
    card_last4: Mapped[str] = mapped_column(String(4))
    merchant_id: Mapped[str] = mapped_column(String(32))
    terminal_id: Mapped[str | None] = mapped_column(String(32))
    # sent → approved | declined | reversed (timed out, reversal acknowledged) | reversal_pending
    status: Mapped[str] = mapped_column(String(20), index=True)
    response_code: Mapped[str | None] = mapped_column(String(2))
    auth_code: Mapped[str | None] = mapped_column(String(6))
    endpoint: Mapped[str | None] = mapped_column(String(64))
    entry_id: Mapped[str | None] = mapped_column(String(32))
    business_date: Mapped[date] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class InterbankTransfer(Base):
    __tablename__ = "interbank_transfers"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    direction: Mapped[str] = mapped_column(String(3))  # out | in
    bank_code: Mapped[str] = mapped_column(String(16), index=True)
    uetr: Mapped[str] = mapped_column(String(36), unique=True)
    end_to_end_id: Mapped[str] = mapped_column(String(35))
    msg_id: Mapped[str] = mapped_column(String(35))
    account_id: Mapped[str | None] = mapped_column(String(32), index=True)  # ours (None: unknown)
    customer_id: Mapped[str | None] = mapped_column(String(32))
    counterparty_account: Mapped[str] = mapped_column(String(34))
    counterparty_name: Mapped[str] = mapped_column(String(140))
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    memo: Mapped[str] = mapped_column(String(140))
    status: Mapped[str] = mapped_column(String(12), index=True)  # pending | completed | rejected
    reason: Mapped[str | None] = mapped_column(String(64))
    hold_id: Mapped[str | None] = mapped_column(String(32))
    entry_id: Mapped[str | None] = mapped_column(String(32))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    business_date: Mapped[date] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Reconciliation(Base):
    """One other bank's settlement file of one business day compared with our records (once)."""

    __tablename__ = "interbank_reconciliations"
    __table_args__ = (UniqueConstraint("bank_code", "business_date"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    bank_code: Mapped[str] = mapped_column(String(16))
    business_date: Mapped[date] = mapped_column(Date, index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    matched: Mapped[int] = mapped_column(Integer)
    missing_ours: Mapped[int] = mapped_column(Integer)  # in their file, not in our records
    missing_theirs: Mapped[int] = mapped_column(Integer)  # in our records, not in their file
    amount_mismatch: Mapped[int] = mapped_column(Integer)
    # Both positions signed as our clearing account reads (> 0 they owe us).
    their_total: Mapped[int] = mapped_column(BigInteger)
    our_total: Mapped[int] = mapped_column(BigInteger)
    suspense_total: Mapped[int] = mapped_column(BigInteger)  # their_total − our_total, parked
    created_by: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReconciliationException(Base):
    """One line that did not match, with the suspense entry that parked the difference."""

    __tablename__ = "interbank_reconciliation_exceptions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    reconciliation_id: Mapped[int] = mapped_column(ForeignKey("interbank_reconciliations.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))  # missing_ours | missing_theirs | amount_mismatch
    reference: Mapped[str] = mapped_column(String(64))  # RRN of a card payment, UETR of a transfer
    kind: Mapped[str] = mapped_column(String(20))  # as the other bank's file names it
    their_amount: Mapped[int | None] = mapped_column(BigInteger)  # signed as our clearing reads
    our_amount: Mapped[int | None] = mapped_column(BigInteger)
    difference: Mapped[int] = mapped_column(BigInteger)  # theirs − ours
    entry_id: Mapped[str] = mapped_column(String(32))  # the suspense entry
