"""What marketing reads about a segment on its pages: the members a page at a time (names masked for
staff who may not read customer records, no ids), and the channel mix of each segment — the
interactions of its members per channel over the facts' 90 days and how many prefer each channel —
which channel planning shows beside its own figures."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from finlife.accounts.payees import mask_name
from finlife.customers import service as customers
from finlife.insights.models import CustomerFacts, Segment, SegmentMember
from finlife.insights.schemas import Lifecycle
from finlife.kit.auth import Actor
from finlife.kit.errors import NotFound
from finlife.kit.permissions import Capability, may, require


@dataclass(frozen=True)
class MemberRow:
    name: str  # masked unless the reader may read customer records
    lifecycle: Lifecycle | None
    preferred_channel: str | None


@dataclass(frozen=True)
class MemberPage:
    members: list[MemberRow]
    total: int
    page: int
    pages: int


@dataclass
class ChannelMix:
    """One segment's channels: interactions of its members per channel, and members per preferred
    channel (members with no interaction in 90 days prefer none)."""

    segment_id: str
    name: str
    members: int
    spend_90d: int = 0  # fen, its members' spending in the facts' 90 days
    interactions: Counter[str] = field(default_factory=Counter)
    preferred: Counter[str] = field(default_factory=Counter)

    def shares(self) -> list[tuple[str, int, float]]:
        """(channel, interactions, share of the segment's interactions), most first."""
        total = sum(self.interactions.values())
        ordered = sorted(self.interactions.items(), key=lambda item: (-item[1], item[0]))
        return [(channel, n, n / total) for channel, n in ordered] if total else []


def _segment(session: Session, segment_id: str) -> Segment:
    segment = session.execute(select(Segment).where(Segment.public_id == segment_id)).scalar_one_or_none()
    if segment is None:
        raise NotFound("segment")
    return segment


def member_page(session: Session, actor: Actor, segment_id: str, page: int, per_page: int) -> MemberPage:
    """One page of a segment's members in a stable order (by when they joined the bank's records)."""
    require(actor, Capability.SEGMENTS)
    segment = _segment(session, segment_id)
    total = session.execute(
        select(func.count()).select_from(SegmentMember).where(SegmentMember.segment_pk == segment.id)
    ).scalar_one()
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    rows = session.execute(
        select(SegmentMember.customer_id, CustomerFacts.lifecycle, CustomerFacts.facts)
        .outerjoin(CustomerFacts, CustomerFacts.customer_id == SegmentMember.customer_id)
        .where(SegmentMember.segment_pk == segment.id)
        .order_by(SegmentMember.customer_id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    names = customers.names_of(session, [customer_id for customer_id, _, _ in rows])
    masked = not may(actor, Capability.CUSTOMER_RECORDS)
    members = [
        MemberRow(
            name=mask_name(names.get(customer_id, "")) if masked else names.get(customer_id, ""),
            lifecycle=Lifecycle(lifecycle) if lifecycle else None,
            preferred_channel=(found or {}).get("preferred_channel"),
        )
        for customer_id, lifecycle, found in rows
    ]
    return MemberPage(members=members, total=total, page=page, pages=pages)


def channel_mix(session: Session, actor: Actor, segment_id: str | None = None) -> list[ChannelMix]:
    """The channel mix of every segment (or of one), newest segment first; one pass over the
    members' stored facts."""
    require(actor, Capability.SEGMENTS)
    segments = session.execute(
        select(Segment).where(Segment.public_id == segment_id) if segment_id else select(Segment)
    ).scalars()
    mixes = {s.id: ChannelMix(s.public_id, s.name, s.members) for s in segments}
    if segment_id and not mixes:
        raise NotFound("segment")
    rows = session.execute(
        select(SegmentMember.segment_pk, CustomerFacts.facts)
        .join(CustomerFacts, CustomerFacts.customer_id == SegmentMember.customer_id)
        .where(SegmentMember.segment_pk.in_(list(mixes)))
    )
    for segment_pk, found in rows:
        mix = mixes[segment_pk]
        mix.interactions.update(found.get("channels") or {})
        mix.spend_90d += int(found.get("spend_90d") or 0)
        if found.get("preferred_channel"):
            mix.preferred[found["preferred_channel"]] += 1
    return [mixes[pk] for pk in sorted(mixes, reverse=True)]
