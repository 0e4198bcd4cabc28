"""Record every state change (who, which channel, what, when) in the same transaction as the change;
read the trail back, and count it by channel and day."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from finlife.audit.models import AuditEvent
from finlife.audit.schemas import AuditEventOut, ChannelActivityOut, DayActivity
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
    actor: str | None = None,
) -> Page[AuditEventOut]:
    """Newest first, optionally narrowed to one subject, action or actor (``actor``: the user's id
    or username, as a person remembers either)."""
    stmt = select(AuditEvent)
    if subject_id:
        stmt = stmt.where(AuditEvent.subject_id == subject_id)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if actor_user_id:
        stmt = stmt.where(AuditEvent.actor_user_id == actor_user_id)
    if actor:
        stmt = stmt.where(or_(AuditEvent.actor_user_id == actor, AuditEvent.actor_username == actor))
    rows, has_more = paginate(
        session, stmt, id_column=AuditEvent.id, public_id_column=AuditEvent.public_id, params=params
    )
    return Page[AuditEventOut](data=[_out(e) for e in rows], has_more=has_more)


def list_actions(session: Session) -> list[str]:
    """Every action the trail holds, alphabetically (the audit log offers them as filter choices)."""
    return list(session.execute(select(AuditEvent.action).distinct().order_by(AuditEvent.action)).scalars())


MAX_ACTIVITY_DAYS = 92


def _day_start(day: date) -> datetime:
    """Midnight of a business day (Asia/Shanghai), as the UTC instant the ``at`` column stores."""
    return datetime.combine(day, time(), tzinfo=clock.business_zone)


def channel_activity(session: Session, *, days: int, until: date | None = None) -> ChannelActivityOut:
    """Audit events by channel and business day over the ``days`` days ending ``until`` (today).

    One statement whatever the period: each event falls into its day by a CASE over the days'
    starting instants, so the grouping is the same on SQLite and PostgreSQL and uses the index on
    ``at``, and no time zone arithmetic runs in the database.
    """
    if not 1 <= days <= MAX_ACTIVITY_DAYS:
        raise ValueError(f"days must be 1–{MAX_ACTIVITY_DAYS}")
    end = until or clock.business_day()
    start = end - timedelta(days=days - 1)
    calendar = [start + timedelta(days=n) for n in range(days)]
    # Newest day first: the first boundary the event's time reaches is its day.
    bucket = case(
        *[(AuditEvent.at >= _day_start(day), index) for index, day in reversed(list(enumerate(calendar)))],
        else_=-1,
    ).label("bucket")
    # Grouped outside a subquery: PostgreSQL would not see a CASE with bind parameters in the GROUP BY
    # as the same expression as the one selected.
    events = (
        select(bucket, AuditEvent.channel)
        .where(AuditEvent.at >= _day_start(start), AuditEvent.at < _day_start(end + timedelta(days=1)))
        .subquery()
    )
    stmt = select(events.c.bucket, events.c.channel, func.count()).group_by(events.c.bucket, events.c.channel)
    counts: list[dict[str, int]] = [{} for _ in calendar]
    for index, channel, count in session.execute(stmt):
        if index >= 0:  # always, given the WHERE; a day outside the calendar would be a bug, not data
            counts[index][channel] = count
    totals: dict[str, int] = {}
    for per_day in counts:
        for channel, count in per_day.items():
            totals[channel] = totals.get(channel, 0) + count
    return ChannelActivityOut(
        start=start,
        end=end,
        days=[
            DayActivity(day=day, by_channel=dict(sorted(per_day.items())), total=sum(per_day.values()))
            for day, per_day in zip(calendar, counts, strict=True)
        ],
        by_channel=dict(sorted(totals.items(), key=lambda item: (-item[1], item[0]))),
        total=sum(totals.values()),
    )
