"""A journey and its steps, one row per step in the order its kind defines."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from finlife.kit.db import Base, BigId, UTCDateTime


class Journey(Base):
    __tablename__ = "journeys"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)  # jny_…
    kind: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str] = mapped_column(String(32))  # the process's own record (a loan's id)
    customer_id: Mapped[str] = mapped_column(String(32), index=True)
    partner_id: Mapped[str | None] = mapped_column(String(32))  # the partner that started it, if one did
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class JourneyStep(Base):
    __tablename__ = "journey_steps"
    __table_args__ = (UniqueConstraint("journey_pk", "name"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    journey_pk: Mapped[int] = mapped_column(BigId, ForeignKey("journeys.id"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(12))  # pending | done | skipped
    channel: Mapped[str | None] = mapped_column(String(16))
    by: Mapped[str | None] = mapped_column(String(32))  # the user's or the partner's id
    at: Mapped[datetime | None] = mapped_column(UTCDateTime)
