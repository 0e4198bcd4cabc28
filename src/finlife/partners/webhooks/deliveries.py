"""Queueing deliveries: one row per event and endpoint, its body fixed once for every attempt.

``queue_many`` inserts a batch's rows in multi-row ``INSERT … ON CONFLICT (endpoint_pk, event_id) DO
NOTHING`` statements: a row already there (the same event handed over again) is kept as it was."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from finlife.kit.clock import clock
from finlife.kit.db import insert_all_if_absent, inserted_once, table_of
from finlife.kit.ids import new_id
from finlife.partners.webhooks.models import WebhookDelivery, WebhookEndpoint


def body_of(event_id: str, event_type: str, created_at: datetime, data: dict[str, Any]) -> str:
    """The Standard Webhooks payload shape: ``type``, ``timestamp``, ``data`` (and the event's id)."""
    body = {"id": event_id, "type": event_type, "timestamp": created_at.isoformat(), "data": data}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


ROWS_PER_INSERT = 500  # 9 values a row: well under SQLite's and PostgreSQL's parameter limits
UNIQUE_KEY = ["endpoint_pk", "event_id"]


def row_of(endpoint_pk: int, *, event_id: str, event_type: str, body: str, now: datetime) -> dict[str, Any]:
    """A new delivery's row: pending, due now."""
    return {
        "public_id": new_id("msg"),
        "endpoint_pk": endpoint_pk,
        "event_id": event_id,
        "event_type": event_type,
        "body": body,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


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
    body = body_of(event_id, event_type, created_at, data)
    row = row_of(endpoint_pk, event_id=event_id, event_type=event_type, body=body, now=clock.now())
    return inserted_once(session, table_of(WebhookDelivery), row, conflict_columns=UNIQUE_KEY)


def queue_many(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (``row_of``), skipping any (endpoint, event) already queued."""
    table = table_of(WebhookDelivery)
    for start in range(0, len(rows), ROWS_PER_INSERT):
        insert_all_if_absent(
            session, table, rows[start : start + ROWS_PER_INSERT], conflict_columns=UNIQUE_KEY
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
