"""The demo's precise marketing: a few customers switch personalised marketing off in the app (PIPL
Art. 24), every customer's facts are computed, head-office marketing defines segments whose bounds it
sets from those facts (the top spenders on restaurants and overall, those who prefer the app, those
who have not paid for a week), refreshes them, and draws up a campaign for the restaurant regulars
only, approved by a second marketer; a few of its members claim it.

It happens on the day the history ends, after the rest of the world; seeding again finds the first
segment by its name and makes nothing more.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from finlife.demo.common import DEMO_PASSWORD, Person, customer_actor
from finlife.demo.merchants import Town
from finlife.identity import service as identity
from finlife.insights import service as insights
from finlife.insights.schemas import SegmentIn
from finlife.kit.auth import Actor, Channel, Role
from finlife.kit.clock import clock
from finlife.kit.db import Database, savepoint
from finlife.kit.errors import FinlifeError
from finlife.marketing import service as marketing
from finlife.marketing.schemas import AudienceIn, BudgetIn, CampaignIn, ClaimIn, CouponKind, FundingIn, Label
from finlife.settings import Settings

REGULARS = "餐饮常客"
OPTING_OUT = 0.12  # of the app's users
TARGETED_CLAIMS = 6  # members who claim the targeted campaign


@dataclass
class AudienceCounts:
    segments: int = 0
    members: int = 0  # over every segment
    opted_out: int = 0
    targeted_campaigns: int = 0
    targeted_claims: int = 0


def _marketer(session: Session, settings: Settings, username: str) -> Actor:
    user = identity.find_by_username(session, username) or identity.create_user(
        session, settings, username=username, password=DEMO_PASSWORD, roles=[Role.HQ_MARKETING]
    )
    return Actor(
        channel=Channel.WEB, user_id=user.id, username=user.username, roles=frozenset({Role.HQ_MARKETING})
    )


def _bound(values: list[Any], share: float) -> int:
    """The whole-yuan amount (fen) at the given share of the sorted values, so that about ``1 - share``
    of the customers reach it; spending that is nothing counts out."""
    spent = sorted(v for v in values if isinstance(v, int) and v > 0)
    if not spent:
        return 100
    return max(100, spent[min(len(spent) - 1, int(len(spent) * share))] // 100 * 100)


def _rules(session: Session, hq: Actor) -> list[tuple[str, dict[str, Any]]]:
    restaurants = _bound(insights.fact_values(session, hq, "spend_90d.restaurant"), 0.5)
    overall = _bound(insights.fact_values(session, hq, "spend_90d"), 0.75)
    return [
        (REGULARS, {"fact": "spend_90d.restaurant", "op": "gte", "value": restaurants}),
        ("高价值客户", {"all": [{"fact": "spend_90d", "op": "gte", "value": overall}]}),
        ("偏好手机银行", {"fact": "preferred_channel", "op": "eq", "value": "mobile"}),
        (
            "一周未消费",
            {
                "any": [
                    {"fact": "recency_days", "op": "gte", "value": 7},
                    {"fact": "lifecycle", "op": "in", "value": ["at_risk", "lapsed"]},
                ]
            },
        ),
    ]


def _opt_out(database: Database, rng: random.Random, town: Town) -> int:
    chosen = [person for person in town.app_users if rng.random() < OPTING_OUT]
    with database.unit_of_work() as session:
        for person in chosen:
            insights.set_preference(session, customer_actor(person), False)
    return len(chosen)


def _targeted_campaign(
    session: Session, settings: Settings, segment_id: str, hq: Actor, lead: Actor, members: list[Person]
) -> int:
    body = CampaignIn(
        name="餐饮常客专享满80减15",
        kind=CouponKind.THRESHOLD,
        value=1_500,
        min_spend=8_000,
        funding=FundingIn(hq=100),
        budget=BudgetIn(hq=150_000),
        stock=100,
        per_customer_limit=1,
        valid_to=clock.now() + timedelta(days=30),
        categories=["restaurant"],
        labels=[Label.SPECIAL_OFFER],
        audience=AudienceIn(segment_id=segment_id),
    )
    campaign = marketing.create_campaign(session, hq, body)
    marketing.submit_campaign(session, hq, campaign.id)
    marketing.approve_campaign(session, lead, campaign.id)
    claimed = 0
    for person in members[:TARGETED_CLAIMS]:
        try:
            with savepoint(session):
                body_in = ClaimIn(account_id=person.class_i)
                marketing.claim(session, settings, customer_actor(person), campaign.id, body_in)
                claimed += 1
        except FinlifeError:  # a rule refused it (a limit): left out, as a real customer would be
            continue
    return claimed


def seed_audiences(database: Database, settings: Settings, rng: random.Random, town: Town) -> AudienceCounts:
    """Opt-outs, facts, segments with their members and a campaign for one segment (once)."""
    # `finlife demo` and a demo job taken over by another node seed without create_app, which wires
    # insights' segments into marketing as campaigns' audiences: the seeding wires them itself.
    marketing.register_audiences(
        marketing.Audiences(
            exists=insights.segment_exists,
            is_member=insights.in_audience,
            members=insights.audience_members,
        )
    )
    with database.unit_of_work() as session:
        hq = _marketer(session, settings, "marketing-hq")
        lead = _marketer(session, settings, "marketing-lead")
        existing = insights.list_segments(session, hq)
        if any(segment.name == REGULARS for segment in existing):
            return AudienceCounts(segments=len(existing), members=sum(s.members for s in existing))
    counts = AudienceCounts(opted_out=_opt_out(database, rng, town))
    insights.refresh_all(database)
    with database.unit_of_work() as session:
        made = [
            insights.create_segment(session, hq, SegmentIn(name=name, rule=rule))
            for name, rule in _rules(session, hq)
        ]
        refreshed = [insights.refresh_segment(session, hq, segment.id) for segment in made]
        counts.segments = len(refreshed)
        counts.members = sum(segment.members for segment in refreshed)
        regulars = refreshed[0]
        members = [
            person
            for person in town.app_users
            if insights.in_audience(session, regulars.id, person.customer_id)
        ]
        if regulars.members:
            counts.targeted_campaigns = 1
            counts.targeted_claims = _targeted_campaign(session, settings, regulars.id, hq, lead, members)
    return counts
