from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from finlife.kit.db import Base, BigId, UTCDateTime


class AuditEvent(Base):
    __tablename__ = "audit_events"
    # ``at`` is only ever read as a range (channel activity by day) and grows with ``id``: on
    # PostgreSQL a BRIN index answers that for a few bytes per 128 pages instead of an entry per event.
    __table_args__ = (Index("ix_audit_events_at", "at", postgresql_using="brin"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_user_id: Mapped[str | None] = mapped_column(String(32), index=True)
    actor_username: Mapped[str | None] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str] = mapped_column(String(32), index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
