"""The ``processed_events`` table: which consumer has applied which event (delivery is at least once)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from finlife.kit.db import Base, UTCDateTime


class ProcessedEvent(Base):
    __tablename__ = "processed_events"

    # One row per (consumer, event): inserted in the consumer's own transaction, beside its effect,
    # so an event delivered again finds its row and is skipped.
    consumer: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(32), primary_key=True)  # the outbox event's public id
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime)
