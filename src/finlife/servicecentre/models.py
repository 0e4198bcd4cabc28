"""The service centre's records: cases, what was done in them, coupon restorations waiting for a
second member of staff, and limit reviews handed to the back office.

Customers, cards, coupons and accounts are referred to by their public ids, never by other modules'
tables.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from finlife.kit.db import Base, BigId, UTCDateTime


class ServiceCase(Base):
    """One reason a customer contacted the bank, from opening to its outcome."""

    __tablename__ = "service_cases"
    __table_args__ = (
        Index("ix_service_cases_customer_reason", "customer_id", "reason", "opened_at"),
        Index("ix_service_cases_opened", "opened_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)  # cas_…
    customer_id: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(24))
    channel: Mapped[str] = mapped_column(String(16))  # the channel the customer came in on
    status: Mapped[str] = mapped_column(String(12))  # open | closed
    outcome: Mapped[str | None] = mapped_column(String(12))  # resolved | escalated
    # Contacts the case took: 1 when opened, one more each time the customer comes back about it.
    contacts: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(500))
    close_note: Mapped[str | None] = mapped_column(String(500))
    agent_user_id: Mapped[str | None] = mapped_column(String(32), index=True)
    agent_username: Mapped[str | None] = mapped_column(String(64))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CaseAction(Base):
    """Something done for the customer within a case (the audit log holds the same, bank-wide)."""

    __tablename__ = "service_case_actions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_pk: Mapped[int] = mapped_column(BigId, ForeignKey("service_cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    user_id: Mapped[str | None] = mapped_column(String(32))
    username: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class CouponRestoration(Base):
    """An expired coupon an agent asked to give back; a second member of staff approves (maker/checker)."""

    __tablename__ = "service_coupon_restorations"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)  # crs_…
    case_pk: Mapped[int] = mapped_column(BigId, ForeignKey("service_cases.id"), index=True)
    coupon_id: Mapped[str] = mapped_column(String(32))
    customer_id: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(12), index=True)  # pending | approved | rejected
    note: Mapped[str] = mapped_column(String(500))
    asked_by: Mapped[str] = mapped_column(String(32))
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(32))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LimitReview(Base):
    """A customer's ask for other limits on an account, handed to the back office to decide."""

    __tablename__ = "service_limit_reviews"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)  # lrv_…
    case_pk: Mapped[int] = mapped_column(BigId, ForeignKey("service_cases.id"), index=True)
    customer_id: Mapped[str] = mapped_column(String(32))
    account_id: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(12), index=True)  # open
    raised_by: Mapped[str] = mapped_column(String(32))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ChannelRequestHour(Base):
    """Requests answered per hour and channel, counted by outcome (``metric`` "outcome": ``key`` is
    "ok" or the problem code) and by latency (``metric`` "latency": ``key`` is the bucket's upper
    bound in ms, or "inf"). Each node adds its counts with an upsert every few seconds."""

    __tablename__ = "channel_request_hours"

    hour: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    metric: Mapped[str] = mapped_column(String(8), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    requests: Mapped[int] = mapped_column(BigInteger)
