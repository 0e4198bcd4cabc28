"""What the bank has learnt about each customer (facts), its segments and their members, and each
customer's answer to personalised marketing (PIPL Art. 24)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from finlife.kit.db import Base, BigId, UTCDateTime


class CustomerFacts(Base):
    """One customer's preferences, RFM and lifecycle as last computed (``finlife insights refresh`` or
    on demand); the view reads them, segments are evaluated over them."""

    __tablename__ = "insights_customer_facts"

    customer_id: Mapped[str] = mapped_column(String(32), primary_key=True)  # the customer's public id
    lifecycle: Mapped[str] = mapped_column(String(16))
    facts: Mapped[dict[str, Any]] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class MarketingChoice(Base):
    """A customer's answer to personalised marketing; no row means they never answered (on)."""

    __tablename__ = "insights_marketing_choices"

    customer_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    personalised: Mapped[bool] = mapped_column(Boolean)
    channel: Mapped[str] = mapped_column(String(16))  # where they last changed it
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Segment(Base):
    __tablename__ = "insights_segments"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    rule: Mapped[dict[str, Any]] = mapped_column(JSON)
    members: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    refreshed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SegmentMember(Base):
    """A customer in a segment as of its last refresh (primary key (segment, customer): membership
    checks at a claim are one index probe)."""

    __tablename__ = "insights_segment_members"

    segment_pk: Mapped[int] = mapped_column(BigId, ForeignKey("insights_segments.id"), primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(32), primary_key=True)
