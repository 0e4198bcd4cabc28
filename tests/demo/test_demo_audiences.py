"""The demo's precise marketing: some customers opted out of personalised marketing and are in no
segment; refreshed segments that hold some customers but not all; a campaign for one segment, claimed
by its members only; seeding again makes no more."""

from __future__ import annotations

from datetime import date

from finlife.demo import world
from finlife.insights import service as insights
from finlife.kit.auth import Actor, Channel, Role
from finlife.kit.db import Database
from finlife.kit.pagination import PageParams
from finlife.settings import Settings

MARKETER = Actor(channel=Channel.WEB, user_id="usr_x", roles=frozenset({Role.HQ_MARKETING}))


def test_the_demo_has_segments_opt_outs_and_a_targeted_campaign(db: Database, settings: Settings) -> None:
    until = date(2026, 3, 20)
    made = world.seed_demo_world(db, settings, customers_count=24, merchants_count=3, days=20, until=until)
    assert made["segments"] == 4 and made["opted_out"] >= 1
    assert made["targeted_campaigns"] == 1 and made["targeted_claims"] >= 1
    with db.unit_of_work() as session:
        segments = insights.list_segments(session, MARKETER)
        assert all(s.refreshed_at is not None for s in segments)
        counts = {s.name: s.members for s in segments}
        assert 0 < counts["餐饮常客"] < made["customers"]  # the bound is the median spender's
        assert sum(counts.values()) == made["segment_members"]
        everyone = set()
        for segment in segments:
            page = insights.segment_members(session, MARKETER, segment.id, PageParams(limit=100))
            everyone |= {member.customer_id for member in page.data}
        opted_out = {c for c in everyone if not insights.personalised(session, c)}
        assert not opted_out  # who switched personalised marketing off is in no segment
    again = world.seed_demo_world(db, settings, customers_count=24, merchants_count=3, days=20, until=until)
    assert again["segments"] == 4 and again["opted_out"] == 0 and again["targeted_campaigns"] == 0
