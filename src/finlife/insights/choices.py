"""The customer's choice about personalised marketing (PIPL Art. 24): on unless they switched it off.

Switching it off takes them out of every segment at once, so targeted campaigns stop at the next
look, and the recommendations stop using their own data (``personalised``). Each change is recorded
as an interaction on the channel it was made on, and in the audit log.
"""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from finlife.audit import service as audit
from finlife.customers import service as customers
from finlife.insights.models import MarketingChoice, Segment, SegmentMember
from finlife.insights.schemas import MarketingPreferenceOut
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.errors import Forbidden


def personalised(session: Session, customer_id: str) -> bool:
    """Whether the customer's own data may be used to market to them (no answer yet: yes)."""
    row = session.get(MarketingChoice, customer_id)
    return row is None or row.personalised


def opted_out(session: Session) -> set[str]:
    """Every customer who switched personalised marketing off."""
    rows = session.execute(select(MarketingChoice.customer_id).where(MarketingChoice.personalised.is_(False)))
    return set(rows.scalars())


def _out(row: MarketingChoice | None) -> MarketingPreferenceOut:
    if row is None:
        return MarketingPreferenceOut(personalised_marketing=True, channel=None, changed_at=None)
    return MarketingPreferenceOut(
        personalised_marketing=row.personalised, channel=row.channel, changed_at=row.changed_at
    )


def my_preference(session: Session, actor: Actor) -> MarketingPreferenceOut:
    if actor.customer_id is None:
        raise Forbidden()
    return _out(session.get(MarketingChoice, actor.customer_id))


def set_preference(session: Session, actor: Actor, wanted: bool) -> MarketingPreferenceOut:
    """The signed-in customer switches personalised marketing on or off; the same answer again
    changes nothing and records nothing."""
    if actor.customer_id is None:
        raise Forbidden()
    customer_id = actor.customer_id
    row = session.get(MarketingChoice, customer_id, with_for_update=True)
    if row is not None and row.personalised == wanted:
        return _out(row)
    if row is None and wanted:
        return _out(row)  # on already, by default
    now = clock.now()
    if row is None:
        row = MarketingChoice(
            customer_id=customer_id, personalised=wanted, channel=actor.channel.value, changed_at=now
        )
        session.add(row)
    else:
        row.personalised, row.channel, row.changed_at = wanted, actor.channel.value, now
    session.flush()
    if not wanted:
        leave_all(session, customer_id)
    details = {"personalised_marketing": wanted}
    customers.record_interaction(session, actor, customer_id, "marketing_consent.changed", details)
    audit.record(
        session,
        actor,
        "insights.marketing_consent_changed",
        subject_type="customer",
        subject_id=customer_id,
        details=details,
    )
    return _out(row)


def leave_all(session: Session, customer_id: str) -> None:
    """Take an opted-out customer out of every segment at once (not at the next refresh)."""
    left = list(
        session.execute(
            select(SegmentMember.segment_pk).where(SegmentMember.customer_id == customer_id)
        ).scalars()
    )
    if not left:
        return
    session.execute(delete(SegmentMember).where(SegmentMember.customer_id == customer_id))
    session.execute(update(Segment).where(Segment.id.in_(left)).values(members=Segment.members - 1))
