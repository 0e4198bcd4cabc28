"""The one customer record every channel shares, and the trail of its interactions by channel."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from finlife.kit.db import Base, BigId, UTCDateTime


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64), index=True)
    phone: Mapped[str] = mapped_column(String(16), unique=True)
    # C2 personal information: the bank must keep it; it is masked in lists, logs and events.
    id_number: Mapped[str | None] = mapped_column(String(18), unique=True)
    kyc_level: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(16))
    # Derived from the resident ID at verification (null until then).
    gender: Mapped[str | None] = mapped_column(String(8))
    birth_date: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Interaction(Base):
    """One touch of a customer on one channel (signed up, verified, viewed, account opened…)."""

    __tablename__ = "customer_interactions"
    # A customer's interactions are read newest first, a page at a time: (customer, id) answers that
    # in order, and serves the foreign key as the plain customer index did.
    __table_args__ = (Index("ix_customer_interactions_customer_id_id", "customer_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    # By the customer's public id (unique), so other modules can record one without a lookup first.
    customer_id: Mapped[str] = mapped_column(String(32), ForeignKey("customers.public_id"))
    channel: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(64))
    actor_user_id: Mapped[str | None] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
