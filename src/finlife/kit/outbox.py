"""Domain events written to an outbox table in the same transaction as the change they describe.

A rolled-back request leaves no event; a relay (partners' webhooks, insights) delivers them later.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from finlife.kit.clock import clock
from finlife.kit.db import Base, BigId, UTCDateTime, defer_insert, table_of
from finlife.kit.ids import new_id


class OutboxEvent(Base):
    __tablename__ = "outbox_events"
    # The relay's claim and its lag read the unpublished events in id order. A partial index holds
    # just those (a handful; a backlog after an outage), so neither passes over the published
    # history, which only grows: with an index on published_at, PostgreSQL walked the primary key
    # past every published row at each claim while a backlog drained (bench/events.py).
    __table_args__ = (
        Index(
            "ix_outbox_events_unpublished",
            "id",
            postgresql_where=text("published_at IS NULL"),
            sqlite_where=text("published_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    type: Mapped[str] = mapped_column(String(64))  # not indexed: the relay reads in id order
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    channel: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


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
