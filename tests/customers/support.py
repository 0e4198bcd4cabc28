"""Resident ID numbers for tests and direct looks into the tables a customer call must write."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from stdnum.cn import ric

from finlife.audit.models import AuditEvent
from finlife.customers.models import Customer, Interaction
from finlife.identity.models import User
from finlife.kit.db import Database
from finlife.kit.outbox import OutboxEvent

VALID_ID = "11010519491231002X"  # Beijing Chaoyang, born 1949-12-31, female (GB 11643 example)
WRONG_CHECK_DIGIT = "110105194912310021"
UNKNOWN_REGION = "990105194912310023"  # no such province: stdnum says InvalidComponent
UNKNOWN_COUNTY = "11019919491231002X"  # known province, unknown county: stdnum raises KeyError


def id_number(*, region: str = "110105", birth: str = "19900101", sequence: str = "123") -> str:
    """A resident ID with a correct check digit (odd sequence → male, even → female)."""
    body = region + birth + sequence
    return body + ric.calc_check_digit(body + "0")


def counts(db: Database) -> dict[str, int]:
    with db.unit_of_work() as session:
        return {
            model.__tablename__: session.execute(select(func.count()).select_from(model)).scalar_one()
            for model in (Customer, User, Interaction, AuditEvent, OutboxEvent)
        }


def audit_actions(db: Database, subject_id: str) -> list[tuple[str, str, dict[str, Any]]]:
    with db.unit_of_work() as session:
        rows = session.execute(
            select(AuditEvent).where(AuditEvent.subject_id == subject_id).order_by(AuditEvent.id)
        ).scalars()
        return [(row.action, row.channel, row.details) for row in rows]


def outbox_events(db: Database, event_type: str) -> list[dict[str, Any]]:
    with db.unit_of_work() as session:
        rows = session.execute(
            select(OutboxEvent).where(OutboxEvent.type == event_type).order_by(OutboxEvent.id)
        ).scalars()
        return [{"channel": row.channel, **row.payload} for row in rows]
