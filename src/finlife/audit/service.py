"""Record every state change (who, which channel, what, when) in the same transaction as the change."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.audit.models import AuditEvent
from finlife.audit.schemas import AuditEventOut
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import defer_insert, table_of
from finlife.kit.ids import new_id
from finlife.kit.pagination import Page, PageParams, paginate

_events = table_of(AuditEvent)


def record(
    session: Session,
    actor: Actor,
    action: str,
    *,
    subject_type: str,
    subject_id: str,
    details: dict[str, Any] | None = None,
) -> None:
    """Add an audit event; it commits or rolls back with the change it describes.

    ``details`` must hold no C3 data (passwords, PINs, full card numbers) and only masked C2 data.
    """
    defer_insert(
        session,
        _events,
        {
            "public_id": new_id("aud"),
            "at": clock.now(),
            "actor_user_id": actor.user_id,
            "actor_username": actor.username,
            "channel": actor.channel.value,
            "action": action,
            "subject_type": subject_type,
            "subject_id": subject_id,
            "details": details or {},
        },
    )


def _out(event: AuditEvent) -> AuditEventOut:
    return AuditEventOut(
        id=event.public_id,
        at=event.at,
        actor_user_id=event.actor_user_id,
        actor_username=event.actor_username,
        channel=event.channel,
        action=event.action,
        subject_type=event.subject_type,
        subject_id=event.subject_id,
        details=event.details,
    )


def list_events(
    session: Session,
    params: PageParams,
    *,
    subject_id: str | None = None,
    action: str | None = None,
    actor_user_id: str | None = None,
) -> Page[AuditEventOut]:
    """Newest first, optionally narrowed to one subject, action or actor."""
    stmt = select(AuditEvent)
    if subject_id:
        stmt = stmt.where(AuditEvent.subject_id == subject_id)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if actor_user_id:
        stmt = stmt.where(AuditEvent.actor_user_id == actor_user_id)
    rows, has_more = paginate(
        session, stmt, id_column=AuditEvent.id, public_id_column=AuditEvent.public_id, params=params
    )
    return Page[AuditEventOut](data=[_out(e) for e in rows], has_more=has_more)
