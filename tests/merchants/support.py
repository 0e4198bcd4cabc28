"""Looks into the rows behind the merchants API: audit and outbox events, ledger accounts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from finlife.audit.models import AuditEvent
from finlife.kit.db import Database
from finlife.kit.outbox import OutboxEvent


def audit_of(db: Database, subject_id: str) -> list[tuple[str, dict[str, Any]]]:
    with db.unit_of_work() as session:
        rows = session.execute(
            select(AuditEvent).where(AuditEvent.subject_id == subject_id).order_by(AuditEvent.id)
        ).scalars()
        return [(row.action, row.details) for row in rows]


def events_of(db: Database, event_type: str) -> list[dict[str, Any]]:
    with db.unit_of_work() as session:
        rows = session.execute(
            select(OutboxEvent).where(OutboxEvent.type == event_type).order_by(OutboxEvent.id)
        ).scalars()
        return [row.payload for row in rows]
