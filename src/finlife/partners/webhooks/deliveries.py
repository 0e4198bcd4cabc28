"""Queueing a delivery: one row per event and endpoint, its body fixed once for every attempt."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from finlife.kit.clock import clock
from finlife.kit.db import inserted_once, table_of
from finlife.kit.ids import new_id
from finlife.partners.webhooks.models import WebhookDelivery, WebhookEndpoint


def body_of(event_id: str, event_type: str, created_at: datetime, data: dict[str, Any]) -> str:
    """The Standard Webhooks payload shape: ``type``, ``timestamp``, ``data`` (and the event's id)."""
    body = {"id": event_id, "type": event_type, "timestamp": created_at.isoformat(), "data": data}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def queue(
    session: Session,
    endpoint_pk: int,
    *,
    event_id: str,
    event_type: str,
    created_at: datetime,
    data: dict[str, Any],
) -> bool:
    """Queue ``event_id`` for the endpoint, due now; False if it was queued for it before."""
    now = clock.now()
    return inserted_once(
        session,
        table_of(WebhookDelivery),
        {
            "public_id": new_id("msg"),
            "endpoint_pk": endpoint_pk,
            "event_id": event_id,
            "event_type": event_type,
            "body": body_of(event_id, event_type, created_at, data),
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        },
        conflict_columns=["endpoint_pk", "event_id"],
    )


def disable(session: Session, endpoint: WebhookEndpoint, reason: str) -> None:
    """Stop an endpoint: nothing more is sent to it, and what waited for it is cancelled."""
    now = clock.now()
    endpoint.status = "disabled"
    endpoint.disabled_reason = reason
    endpoint.disabled_at = now
    session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.endpoint_pk == endpoint.id, WebhookDelivery.status == "pending")
        .values(status="cancelled", next_attempt_at=None, last_error="endpoint_disabled")
    )
    session.flush()
