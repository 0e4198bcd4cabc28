"""The demo's service centre: agents on the call-centre line and a history of cases whose first-contact
resolution is neither nothing nor everything; seeding again opens no more cases."""

from __future__ import annotations

from datetime import date

from finlife.demo import world
from finlife.kit.auth import Actor, Channel, Role
from finlife.kit.db import Database
from finlife.servicecentre import service
from finlife.settings import Settings


def test_the_demo_has_cases_with_a_first_contact_resolution_to_read(db: Database, settings: Settings) -> None:
    until = date(2026, 3, 20)
    made = world.seed_demo_world(db, settings, customers_count=8, merchants_count=1, days=20, until=until)
    assert made["cases"] > 30
    analyst = Actor(channel=Channel.CALL_CENTRE, user_id="usr_x", roles=frozenset({Role.AGENT}))
    with db.unit_of_work() as session:
        figures = service.service_metrics(session, analyst, start=date(2026, 2, 28), end=date(2026, 3, 19))
    assert figures.cases == made["cases"]
    assert figures.cases > figures.closed > figures.first_contact_resolved > 0
    assert 0.4 < (figures.first_contact_resolution or 0) < 0.95
    assert {f.key for f in figures.by_agent} == {"agent", "agent2"}
    assert len(figures.by_reason) >= 4 and len(figures.by_channel) >= 2
    again = world.seed_demo_world(db, settings, customers_count=8, merchants_count=1, days=20, until=until)
    assert again["cases"] == 0
