"""Starting journeys, marking their steps and reading where one stands.

Who reads a journey: its customer, staff who serve customers (``customer_records``), and the partner
that started it, under a token of that customer's consent. Anyone else gets a 404.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.journeys.definitions import steps_of
from finlife.journeys.models import Journey, JourneyStep
from finlife.journeys.schemas import JourneyOut, StepOut
from finlife.kit.auth import Actor, Role
from finlife.kit.clock import clock
from finlife.kit.errors import FinlifeError, NotFound
from finlife.kit.ids import new_id


def who(actor: Actor) -> str:
    """What a step records as its doer: the person's user id, or the partner's id."""
    return actor.user_id or actor.partner_id or "system"


def start(
    session: Session, actor: Actor, kind: str, *, subject_id: str, customer_id: str, partner_id: str | None
) -> str:
    journey = Journey(
        public_id=new_id("jny"),
        kind=kind,
        subject_id=subject_id,
        customer_id=customer_id,
        partner_id=partner_id,
        created_at=clock.now(),
    )
    session.add(journey)
    session.flush()
    session.add_all(
        JourneyStep(journey_pk=journey.id, position=i, name=name, status="pending")
        for i, name in enumerate(steps_of(kind))
    )
    session.flush()
    return journey.public_id


def mark(session: Session, actor: Actor, journey_id: str, step: str, *, status: str = "done") -> None:
    """Record that ``actor`` did ``step`` now on its channel (a step done again keeps its first doer)."""
    row = session.execute(
        select(JourneyStep)
        .join(Journey, Journey.id == JourneyStep.journey_pk)
        .where(Journey.public_id == journey_id, JourneyStep.name == step)
    ).scalar_one_or_none()
    if row is None:
        raise FinlifeError("journey_step_unknown", status=422, params={"step": step})
    if row.status != "pending":
        return
    row.status, row.channel, row.by, row.at = status, actor.channel.value, who(actor), clock.now()
    session.flush()


def record(session: Session, actor: Actor, journey_id: str, step: str) -> None:
    """Record something that happened to the journey's subject after its standard steps (a loan
    written off): a step of its own, done now by ``actor``, after the others; recorded once."""
    journey = session.execute(select(Journey).where(Journey.public_id == journey_id)).scalar_one_or_none()
    if journey is None:
        raise NotFound("journey")
    steps = list(session.execute(select(JourneyStep).where(JourneyStep.journey_pk == journey.id)).scalars())
    if any(s.name == step for s in steps):
        return
    session.add(
        JourneyStep(
            journey_pk=journey.id,
            position=max((s.position for s in steps), default=-1) + 1,
            name=step,
            status="done",
            channel=actor.channel.value,
            by=who(actor),
            at=clock.now(),
        )
    )
    session.flush()


def step_status(session: Session, journey_id: str, step: str) -> str | None:
    """A step's status; None when the journey has no such step."""
    return session.execute(
        select(JourneyStep.status)
        .join(Journey, Journey.id == JourneyStep.journey_pk)
        .where(Journey.public_id == journey_id, JourneyStep.name == step)
    ).scalar_one_or_none()


def _readable(actor: Actor, journey: Journey) -> bool:
    if actor.grant is not None:
        grant = actor.grant
        return grant.partner_id == journey.partner_id and grant.customer_id == journey.customer_id
    if actor.customer_id is not None and actor.customer_id == journey.customer_id:
        return True
    return actor.has(Role.TELLER, Role.BANK_ADMIN)


def get_journey(session: Session, actor: Actor, journey_id: str) -> JourneyOut:
    journey = session.execute(select(Journey).where(Journey.public_id == journey_id)).scalar_one_or_none()
    if journey is None or not _readable(actor, journey):
        raise NotFound("journey")
    steps = session.execute(
        select(JourneyStep).where(JourneyStep.journey_pk == journey.id).order_by(JourneyStep.position)
    ).scalars()
    return JourneyOut(
        id=journey.public_id,
        kind=journey.kind,
        subject_id=journey.subject_id,
        customer_id=journey.customer_id,
        steps=[StepOut(name=s.name, status=s.status, channel=s.channel, by=s.by, at=s.at) for s in steps],
    )
