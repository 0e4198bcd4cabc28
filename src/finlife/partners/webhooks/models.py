"""Partners' webhook endpoints and the deliveries made to them.

A delivery is one event for one endpoint: ``(endpoint_pk, event_id)`` is unique, so an event reaches
an endpoint once however often the stream hands it over; retries and replays re-send the same row,
with the same ``public_id`` (the ``webhook-id`` header receivers deduplicate by) and the same body.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from finlife.kit.db import Base, BigId, UTCDateTime


class WebhookEndpoint(Base):
    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)  # whe_…
    partner_pk: Mapped[int] = mapped_column(BigId, ForeignKey("partners.id"), index=True)
    url: Mapped[str] = mapped_column(String(2048))
    events: Mapped[list[str]] = mapped_column(JSON)  # event types from the catalogue
    status: Mapped[str] = mapped_column(String(16))  # active | disabled
    disabled_reason: Mapped[str | None] = mapped_column(String(16))  # partner | gone | failing
    # The signing secrets (whsec_…) sealed with a key derived from the server's secret key: the server
    # must read them back to sign, so they cannot be hashed.
    secret_sealed: Mapped[str] = mapped_column(Text)
    previous_secret_sealed: Mapped[str | None] = mapped_column(Text)
    previous_secret_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Since when every attempt has failed (None after a success): long enough, and it is disabled.
    failing_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WebhookDelivery(Base):
    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("endpoint_pk", "event_id", name="uq_webhook_deliveries_endpoint_event"),
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)  # msg_…: the webhook-id
    endpoint_pk: Mapped[int] = mapped_column(BigId, ForeignKey("webhook_endpoints.id"), index=True)
    event_id: Mapped[str] = mapped_column(String(32))  # evt_…
    event_type: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)  # the JSON sent, the same on every attempt
    status: Mapped[str] = mapped_column(String(16))  # pending | delivered | failed | cancelled
    attempts: Mapped[int] = mapped_column(Integer)  # in this round (a replay starts a new one)
    # When the next attempt is due; while a worker sends, its claim pushes this ahead (a lease).
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(200))
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
