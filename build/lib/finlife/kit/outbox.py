"""Domain events written to an outbox table in the same transaction as the change they describe.

A rolled-back request leaves no event; a relay (partners' webhooks, insights) delivers them later.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from finlife.kit.clock import clock
from finlife.kit.db import Base, BigId, UTCDateTime, defer_insert, table_of
from finlife.kit.ids import new_id


class OutboxEvent(Base):
    __tablename__ = "outbox_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    type: Mapped[str] = mapped_column(String(64))  # not indexed: the relay reads in id order
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    channel: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


def publish(
    session: Session, event_type: str, payload: dict[str, Any], *, channel: str | None = None
) -> None:
    """Queue an event; it exists only if the surrounding transaction commits."""
    defer_insert(
        session,
        table_of(OutboxEvent),
        {
            "public_id": new_id("evt"),
            "type": event_type,
            "payload": payload,
            "channel": channel,
            "created_at": clock.now(),
        },
    )


def pending(session: Session, *, limit: int = 100) -> list[OutboxEvent]:
    stmt = select(OutboxEvent).where(OutboxEvent.published_at.is_(None)).order_by(OutboxEvent.id).limit(limit)
    return list(session.execute(stmt).scalars())
