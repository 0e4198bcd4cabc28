"""Tables of deposit accounts, their limit counters, transfers and debit cards.

Money itself lives in the ledger: a deposit account names its ledger account by public id.
No card number is stored in clear: cards carry an HMAC of the PAN (for lookup) and its first six
and last four digits (for display).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from finlife.kit.db import Base, BigId, UTCDateTime


class DepositAccount(Base):
    __tablename__ = "deposit_accounts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    number: Mapped[str] = mapped_column(String(19), unique=True)
    customer_id: Mapped[str] = mapped_column(String(32), index=True)  # the customer's public id
    account_class: Mapped[str] = mapped_column(String(3))  # "I", "II" or "III"
    status: Mapped[str] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(3))
    ledger_account_id: Mapped[str] = mapped_column(String(32), unique=True)  # lac_… of the ledger
    # The same person's Class I account here, or an account at another bank (masked on output).
    bound_account_pk: Mapped[int | None] = mapped_column(ForeignKey("deposit_accounts.id"))
    bound_bank_code: Mapped[str | None] = mapped_column(String(16))
    bound_number: Mapped[str | None] = mapped_column(String(34))
    bound_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    opened_channel: Mapped[str] = mapped_column(String(16))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AccountClassCount(Base):
    """How many accounts of each class a customer opened: an atomic counter enforces the quotas
    (one Class I, five Class II, five Class III) even when two openings race."""

    __tablename__ = "account_class_counts"

    customer_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    account_class: Mapped[str] = mapped_column(String(3), primary_key=True)
    opened: Mapped[int] = mapped_column(Integer, default=0)


class LimitUsage(Base):
    """Amount counted against a class limit: bucket "in"/"out", period "D2026-01-31" or "Y2026"."""

    __tablename__ = "limit_usage"

    account_pk: Mapped[int] = mapped_column(ForeignKey("deposit_accounts.id"), primary_key=True)
    bucket: Mapped[str] = mapped_column(String(8), primary_key=True)
    period: Mapped[str] = mapped_column(String(11), primary_key=True)
    used: Mapped[int] = mapped_column(BigInteger, default=0)


class Transfer(Base):
    __tablename__ = "transfers"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    # Not indexed: no query reads transfers by account (statements read postings); deposit accounts
    # are never deleted, so the foreign keys need no index either.
    from_account_pk: Mapped[int] = mapped_column(ForeignKey("deposit_accounts.id"))
    to_account_pk: Mapped[int] = mapped_column(ForeignKey("deposit_accounts.id"))
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    memo: Mapped[str] = mapped_column(String(140))
    entry_id: Mapped[str] = mapped_column(String(32))  # the ledger entry's public id
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DebitCard(Base):
    __tablename__ = "debit_cards"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    account_pk: Mapped[int] = mapped_column(ForeignKey("deposit_accounts.id"), index=True)
    pan_digest: Mapped[str] = mapped_column(String(64), unique=True)  # HMAC-SHA256(secret_key, PAN)
    first6: Mapped[str] = mapped_column(String(6))
    last4: Mapped[str] = mapped_column(String(4))
    pan_length: Mapped[int] = mapped_column(Integer)
    # Expiry is C3 (JR/T 0171): kept only as an HMAC over PAN and expiry, to check a presented one.
    expiry_digest: Mapped[str] = mapped_column(String(64))
    pin_hash: Mapped[str] = mapped_column(String(255))
    pin_failures: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SavedPayee(Base):
    """Someone a customer transfers to often, saved after the name check: shown masked, never by id."""

    __tablename__ = "saved_payees"
    __table_args__ = (UniqueConstraint("customer_id", "account_pk"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    customer_id: Mapped[str] = mapped_column(String(32))  # the saver (customers' public id)
    account_pk: Mapped[int] = mapped_column(ForeignKey("deposit_accounts.id"))
    masked_name: Mapped[str] = mapped_column(String(64))
    number_last4: Mapped[str] = mapped_column(String(4))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
