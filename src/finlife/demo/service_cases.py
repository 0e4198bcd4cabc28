"""The demo's service centre: two agents on the call-centre line and a month of cases, so that first-
contact resolution, its charts and the open cases have something to show.

Each day a few customers call (now and then through the app's chat or the web) with a reason from the
catalogue. Most cases close resolved at once; some are escalated, some need the customer to call again,
and some customers come back within the week with the same reason, which undoes the first case's
first-contact resolution. The last days leave a few cases open. Everything goes through the service
(audited, noted on the customers' history) at the moment it happened. Seeding again makes none if the
agents' cases exist already.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from finlife.demo.common import DEMO_PASSWORD, Person
from finlife.identity import service as identity
from finlife.kit.auth import Actor, Channel, Role
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.servicecentre import service
from finlife.servicecentre.models import ServiceCase
from finlife.servicecentre.schemas import CaseIn, CaseOutcome, CaseReason, CloseIn
from finlife.settings import Settings

DEMO_AGENTS = ("agent", "agent2")
# Reasons as often as callers give them, and how each tends to end.
REASONS = (
    [CaseReason.FAILED_PAYMENT] * 4
    + [CaseReason.LOST_CARD] * 3
    + [CaseReason.COUPON] * 3
    + [CaseReason.ACCOUNT_LIMITS] * 2
    + [CaseReason.DISPUTE, CaseReason.OTHER]
)
CHANNELS = [Channel.CALL_CENTRE] * 6 + [Channel.MOBILE, Channel.WEB]


def _agents(database: Database, settings: Settings) -> list[Actor]:
    actors = []
    with database.unit_of_work() as session:
        for username in DEMO_AGENTS:
            user = identity.find_by_username(session, username) or identity.create_user(
                session, settings, username=username, password=DEMO_PASSWORD, roles=[Role.AGENT]
            )
            actors.append(
                Actor(
                    channel=Channel.CALL_CENTRE,
                    user_id=user.id,
                    username=user.username,
                    roles=frozenset({Role.AGENT}),
                )
            )
    return actors


def seed_cases(
    database: Database, settings: Settings, rng: random.Random, people: list[Person], days: list[date]
) -> int:
    """Cases over ``days`` (oldest first); returns how many were opened (0 when they exist already)."""
    agents = _agents(database, settings)
    with database.unit_of_work() as session:
        if session.execute(select(func.count()).select_from(ServiceCase)).scalar_one():
            return 0
    opened = 0
    comeback: list[tuple[date, Person, CaseReason]] = []  # repeats due on a later day
    last_call: dict[tuple[str, CaseReason], date] = {}
    for number, day in enumerate(days):
        callers = [_new_caller(rng, people, day, last_call) for _ in range(rng.randint(2, 5))]
        callers += [(person, reason) for due, person, reason in comeback if due == day]
        comeback = [item for item in comeback if item[0] != day]
        for person, reason in callers:
            moment = datetime.combine(day, time(9), tzinfo=clock.business_zone)
            moment += timedelta(minutes=rng.randrange(600))
            # The last day's cases are still being worked on.
            still_open = number == len(days) - 1
            _one_case(database, rng, rng.choice(agents), person, reason, moment, still_open=still_open)
            last_call[(person.customer_id, reason)] = day
            opened += 1
            if rng.random() < 0.12:  # the same trouble again within the week
                comeback.append((day + timedelta(days=rng.randint(1, 6)), person, reason))
    return opened


def _new_caller(
    rng: random.Random, people: list[Person], day: date, last_call: dict[tuple[str, CaseReason], date]
) -> tuple[Person, CaseReason]:
    """Someone with a new matter: not the reason of their own call of the past week (repeats are drawn
    on purpose, in ``seed_cases``), unless a few draws find nobody else."""
    for _ in range(8):
        person, reason = rng.choice(people), rng.choice(REASONS)
        previous = last_call.get((person.customer_id, reason))
        if previous is None or (day - previous).days > 7:
            break
    return person, reason


def _one_case(
    database: Database,
    rng: random.Random,
    agent: Actor,
    person: Person,
    reason: CaseReason,
    moment: datetime,
    *,
    still_open: bool,
) -> None:
    clock.freeze(moment)
    body = CaseIn(customer_id=person.customer_id, reason=reason, channel=rng.choice(CHANNELS), note="")
    with database.unit_of_work() as session:
        case = service.open_case(session, agent, body)
    if still_open:
        return
    draw = rng.random()
    if draw < 0.15:  # the customer had to call again before it was settled
        clock.freeze(moment + timedelta(hours=rng.randint(2, 30)))
        with database.unit_of_work() as session:
            service.add_contact(session, agent, case.id, "")
    outcome = CaseOutcome.ESCALATED if 0.15 <= draw < 0.27 else CaseOutcome.RESOLVED
    clock.freeze(clock.now() + timedelta(minutes=rng.randint(3, 20)))
    with database.unit_of_work() as session:
        service.close_case(session, agent, case.id, CloseIn(outcome=outcome, note=""))
