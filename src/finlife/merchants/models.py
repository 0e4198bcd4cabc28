"""Merchants, their stores, their people (owner and cashiers) and their POS terminals.

Coordinates are integers in micro-degrees (degrees × 10⁶): exact, comparable, and no float anywhere.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from finlife.kit.db import Base, BigId, UTCDateTime


class Merchant(Base):
    __tablename__ = "merchants"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    legal_name: Mapped[str] = mapped_column(String(128))
    credit_code: Mapped[str] = mapped_column(String(18), index=True)  # unified social credit code
    mcc: Mapped[str] = mapped_column(String(4))
    category: Mapped[str] = mapped_column(String(32))
    contact: Mapped[str | None] = mapped_column(String(64))
    # The applicant's login and customer record; the settlement account is theirs (Class I).
    applicant_user_id: Mapped[str] = mapped_column(String(32), index=True)
    customer_id: Mapped[str] = mapped_column(String(32), index=True)
    settlement_account_id: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), index=True)
    # The ledger liability holding what the bank owes the merchant until settlement (set on approval).
    pending_ledger_account_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    reject_reason: Mapped[str | None] = mapped_column(String(200))
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(32))


class MerchantMember(Base):
    """A login working for a merchant: its owner, or a cashier limited to some stores."""

    __tablename__ = "merchant_members"
    __table_args__ = (UniqueConstraint("merchant_pk", "user_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    merchant_pk: Mapped[int] = mapped_column(BigId, ForeignKey("merchants.id"), index=True)
    user_id: Mapped[str] = mapped_column(String(32), index=True)  # the identity user's public id
    username: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))  # "owner" | "cashier"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Set while the owner has disabled this person: they are no member of the merchant until enabled.
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Store(Base):
    __tablename__ = "stores"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    merchant_pk: Mapped[int] = mapped_column(BigId, ForeignKey("merchants.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(200))
    district: Mapped[str] = mapped_column(String(32), index=True)
    latitude_micro: Mapped[int] = mapped_column(Integer)
    longitude_micro: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(32))
    opening_hours: Mapped[str] = mapped_column(String(11))  # "10:00-22:00"
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class MemberStore(Base):
    """The stores a cashier may work in (the owner works in all and has no rows here)."""

    __tablename__ = "merchant_member_stores"

    member_pk: Mapped[int] = mapped_column(BigId, ForeignKey("merchant_members.id"), primary_key=True)
    store_pk: Mapped[int] = mapped_column(BigId, ForeignKey("stores.id"), primary_key=True)


class Terminal(Base):
    """A POS terminal: its 8-character id (ISO 8583 field 41) is given by the merchant, unique bank-wide."""

    __tablename__ = "terminals"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    terminal_id: Mapped[str] = mapped_column(String(8), unique=True)
    merchant_pk: Mapped[int] = mapped_column(BigId, ForeignKey("merchants.id"), index=True)
    store_pk: Mapped[int] = mapped_column(BigId, ForeignKey("stores.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
