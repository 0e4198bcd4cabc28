"""Segments: a named rule over customers' facts, its members as of its last refresh, and who may see
them (marketing staff). Customers who switched personalised marketing off are in no segment."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from finlife.audit import service as audit
from finlife.customers import service as customers
from finlife.insights import choices, facts
from finlife.insights.models import CustomerFacts, Segment, SegmentMember
from finlife.insights.schemas import Lifecycle, SegmentIn, SegmentMemberOut, SegmentOut, SegmentRef
from finlife.insights.segment_rules import check, fact_value, matches
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import table_of
from finlife.kit.errors import NotFound
from finlife.kit.ids import new_id
from finlife.kit.pagination import Page, PageParams
from finlife.kit.permissions import Capability, require


def _out(segment: Segment) -> SegmentOut:
    return SegmentOut(
        id=segment.public_id,
        name=segment.name,
        rule=segment.rule,
        members=segment.members,
        created_at=segment.created_at,
        refreshed_at=segment.refreshed_at,
    )


def _load(session: Session, segment_id: str) -> Segment:
    segment = session.execute(select(Segment).where(Segment.public_id == segment_id)).scalar_one_or_none()
    if segment is None:
        raise NotFound("segment")
    return segment


def create_segment(session: Session, actor: Actor, body: SegmentIn) -> SegmentOut:
    """Check the rule whole (422 with the bad node's path) and keep it; members come with a refresh."""
    require(actor, Capability.SEGMENTS)
    check(body.rule)
    segment = Segment(
        public_id=new_id("seg"),
        name=body.name.strip(),
        rule=body.rule,
        members=0,
        created_by=actor.user_id or "system",
        created_at=clock.now(),
    )
    session.add(segment)
    session.flush()
    audit.record(
        session,
        actor,
        "insights.segment_created",
        subject_type="segment",
        subject_id=segment.public_id,
        details={"name": segment.name, "rule": segment.rule},
    )
    return _out(segment)


def _refresh(session: Session, segment: Segment, everyone: dict[str, dict[str, object]]) -> None:
    opted_out = choices.opted_out(session)
    members = [
        cid for cid, found in everyone.items() if cid not in opted_out and matches(segment.rule, found)
    ]
    session.execute(delete(SegmentMember).where(SegmentMember.segment_pk == segment.id))
    if members:
        session.execute(
            insert(table_of(SegmentMember)), [{"segment_pk": segment.id, "customer_id": c} for c in members]
        )
    segment.members = len(members)
    segment.refreshed_at = clock.now()


def refresh_segment(session: Session, actor: Actor, segment_id: str) -> SegmentOut:
    """Re-evaluate the rule over every customer's stored facts (on demand)."""
    require(actor, Capability.SEGMENTS)
    segment = _load(session, segment_id)
    _refresh(session, segment, facts.all_facts(session))
    return _out(segment)


def refresh_all_segments(session: Session) -> int:
    """Every segment against the stored facts (after ``finlife insights refresh`` has renewed them)."""
    everyone = facts.all_facts(session)
    segments = session.execute(select(Segment).order_by(Segment.id)).scalars().all()
    for segment in segments:
        _refresh(session, segment, everyone)
    return len(segments)


def fact_values(session: Session, actor: Actor, fact: str) -> list[Any]:
    """One fact's value for every customer with stored facts (none where they have none): what a
    marketer looks at to set a rule's bound (the demo sets its segments' bounds from it)."""
    require(actor, Capability.SEGMENTS)
    found = (fact_value(one, fact) for one in facts.all_facts(session).values())
    return [value for value in found if value is not None]


def get_segment(session: Session, actor: Actor, segment_id: str) -> SegmentOut:
    require(actor, Capability.SEGMENTS)
    return _out(_load(session, segment_id))


def list_segments(session: Session, actor: Actor) -> list[SegmentOut]:
    require(actor, Capability.SEGMENTS)
    return [_out(s) for s in session.execute(select(Segment).order_by(Segment.id.desc())).scalars()]


def segment_members(
    session: Session, actor: Actor, segment_id: str, params: PageParams
) -> Page[SegmentMemberOut]:
    """The members by customer id and name (no contact or identity: marketing needs none)."""
    require(actor, Capability.SEGMENTS)
    segment = _load(session, segment_id)
    stmt = (
        select(SegmentMember.customer_id, CustomerFacts.lifecycle)
        .outerjoin(CustomerFacts, CustomerFacts.customer_id == SegmentMember.customer_id)
        .where(SegmentMember.segment_pk == segment.id)
        .order_by(SegmentMember.customer_id)
    )
    if params.starting_after:
        stmt = stmt.where(SegmentMember.customer_id > params.starting_after)
    rows = session.execute(stmt.limit(params.limit + 1)).all()[: params.limit + 1]
    shown = rows[: params.limit]
    names = customers.names_of(session, [customer_id for customer_id, _ in shown])
    data = [
        SegmentMemberOut(
            customer_id=customer_id,
            name=names.get(customer_id, ""),
            lifecycle=Lifecycle(lifecycle) if lifecycle else None,
        )
        for customer_id, lifecycle in shown
    ]
    return Page[SegmentMemberOut](data=data, has_more=len(rows) > params.limit)


def segments_of(session: Session, customer_id: str) -> list[SegmentRef]:
    rows = session.execute(
        select(Segment.public_id, Segment.name)
        .join(SegmentMember, SegmentMember.segment_pk == Segment.id)
        .where(SegmentMember.customer_id == customer_id)
        .order_by(Segment.id)
    )
    return [SegmentRef(id=public_id, name=name) for public_id, name in rows]


def segment_exists(session: Session, segment_id: str) -> bool:
    return session.execute(select(Segment.id).where(Segment.public_id == segment_id)).first() is not None


def in_audience(session: Session, segment_id: str, customer_id: str) -> bool:
    """A member as of the last refresh who has not switched personalised marketing off since."""
    found = session.execute(
        select(SegmentMember.customer_id)
        .join(Segment, Segment.id == SegmentMember.segment_pk)
        .where(Segment.public_id == segment_id, SegmentMember.customer_id == customer_id)
    ).first()
    return found is not None and choices.personalised(session, customer_id)


def audience_members(session: Session, segment_id: str, customer_ids: Collection[str]) -> set[str]:
    """Which of these customers are the segment's members now (campaign figures split by it)."""
    if not customer_ids:
        return set()
    rows = session.execute(
        select(SegmentMember.customer_id)
        .join(Segment, Segment.id == SegmentMember.segment_pk)
        .where(Segment.public_id == segment_id, SegmentMember.customer_id.in_(list(customer_ids)))
    ).scalars()
    return set(rows)
