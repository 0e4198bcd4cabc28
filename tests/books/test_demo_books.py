"""``finlife demo`` gives its merchants books: the trading days' sales arrive by the event stream, and
the owners' rent, wages and utilities are entered on their days; a seeding run again adds nothing."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import select

from finlife.books.models import BookEntry
from finlife.demo import world
from finlife.demo.common import DEMO_PASSWORD
from finlife.demo.world import demo_owner_login
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.books.support import drain, entry_count, get, line_total
from tests.factories import sign_in


def test_the_demo_merchants_have_a_month_of_books(
    client: TestClient, db: Database, settings: Settings
) -> None:
    until = date(2026, 3, 22)
    world.seed_demo_world(db, settings, customers_count=6, merchants_count=1, days=21, until=until)
    drain(db)
    with db.unit_of_work() as session:
        owned = session.execute(
            select(BookEntry.day, BookEntry.category)
            .where(BookEntry.created_by.is_not(None))
            .order_by(BookEntry.day)
        ).all()
        kinds = set(session.execute(select(BookEntry.kind)).scalars())
    assert owned == [
        (date(2026, 3, 1), "rent"),
        (date(2026, 3, 15), "wages"),
        (date(2026, 3, 20), "utilities"),
    ]
    assert {"sale", "expense"} <= kinds
    assert line_total(db) == 0
    written = entry_count(db)
    world.seed_demo_world(db, settings, customers_count=6, merchants_count=1, days=21, until=until)
    drain(db)
    assert entry_count(db) == written
    with db.unit_of_work() as session:
        merchant_id = session.execute(select(BookEntry.merchant_id).limit(1)).scalar_one()
    owner = sign_in(client, username=demo_owner_login(), password=DEMO_PASSWORD)
    total = get(client, owner, merchant_id, "pnl", from_=date(2026, 3, 1), to=until).json()["total"]
    assert total["revenue"] > 0 and total["expenses"] > 0
