"""Queueing deliveries: one row per event and endpoint, its body fixed once for every attempt.

``queue_many`` inserts a batch's rows with ``INSERT … ON CONFLICT (endpoint_pk, event_id) DO
NOTHING``: a row already there (the same event handed over again) is kept as it was. On PostgreSQL
it is one statement of fixed text taking each column as an array (``unnest``), queued to travel with
the transaction's COMMIT (``kit.pipeline``): one round trip fewer per batch, and no multi-row
``VALUES`` text for psycopg to parse anew each time (too long for its cache)."""

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
from finlife.kit.pipeline import DriverSQL, array_literal, defer_sql, is_postgresql
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


_QUEUE_MANY = (
    "INSERT INTO webhook_deliveries (public_id, endpoint_pk, event_id, event_type, body, status,"
    " attempts, next_attempt_at, created_at)"
    " SELECT public_id, endpoint_pk, event_id, event_type, body, 'pending', 0, created_at, created_at"
    " FROM unnest(%(public_ids)s::text[], %(endpoint_pks)s::bigint[], %(event_ids)s::text[],"
    " %(event_types)s::text[], %(bodies)s::text[], %(created)s::timestamptz[])"
    " AS r(public_id, endpoint_pk, event_id, event_type, body, created_at)"
    " ON CONFLICT (endpoint_pk, event_id) DO NOTHING"
)


def queue_many(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (``row_of``: pending, no attempt yet), skipping any (endpoint, event) already
    queued. On PostgreSQL the insert is written with the transaction's next statement or its COMMIT."""
    if not rows:
        return
    if is_postgresql(session):
        params = {
            "public_ids": array_literal([row["public_id"] for row in rows]),
            "endpoint_pks": array_literal([row["endpoint_pk"] for row in rows]),
            "event_ids": array_literal([row["event_id"] for row in rows]),
            "event_types": array_literal([row["event_type"] for row in rows]),
            "bodies": array_literal([row["body"] for row in rows]),
            "created": array_literal([row["created_at"].isoformat() for row in rows]),
        }
        defer_sql(session, DriverSQL(_QUEUE_MANY, params, what="queueing webhook deliveries"))
        return
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
