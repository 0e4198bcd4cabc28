"""The O2O funnel: every step a customer takes (search, view, claim, pay, review, share) is an event
with the customer, the channel and each campaign it concerns; a campaign's funnel counts them."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import defer_insert, table_of
from finlife.marketing.models import FunnelEvent
from finlife.marketing.schemas import FunnelOut, FunnelStep

STEPS = ("search", "view", "claim", "pay", "review", "share")
CENT = Decimal("0.01")
_events = table_of(FunnelEvent)


def record_step(
    session: Session, actor: Actor, step: str, campaign_ids: Iterable[str], *, store_id: str | None
) -> None:
    """One event per campaign concerned; written with the request's other append-only rows."""
    assert step in STEPS, step
    now = clock.now()
    for campaign_id in dict.fromkeys(campaign_ids):
        defer_insert(
            session,
            _events,
            {
                "campaign_id": campaign_id,
                "step": step,
                "customer_id": actor.customer_id,
                "channel": actor.channel.value,
                "store_id": store_id,
                "occurred_at": now,
            },
        )


def funnel(session: Session, campaign_id: str) -> FunnelOut:
    """Events and distinct customers per step, each step's customers over the previous step's."""
    rows = session.execute(
        select(
            FunnelEvent.step,
            func.count(),
            func.count(func.distinct(FunnelEvent.customer_id)),
        )
        .where(FunnelEvent.campaign_id == campaign_id)
        .group_by(FunnelEvent.step)
    ).all()
    counted = {step: (events, customers) for step, events, customers in rows}
    steps: list[FunnelStep] = []
    previous: int | None = None
    for step in STEPS:
        events, customers = counted.get(step, (0, 0))
        conversion = None
        if previous is not None:
            conversion = str((Decimal(customers) / previous).quantize(CENT)) if previous else "0.00"
        steps.append(FunnelStep(step=step, events=events, customers=customers, conversion=conversion))
        previous = customers
    return FunnelOut(campaign_id=campaign_id, steps=steps)
