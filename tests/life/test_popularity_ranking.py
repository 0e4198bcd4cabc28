"""Most popular first from the kept counts (cashier.most_popular) against a straightforward count.

A small world of stores whose orders are paid over two months, the popularity roll run at some
moments and not at others (and the clock put back before the mark once): at every step each
ranking discovery gives — text or none, a category, every page size — is the one computed plainly
from every paid order, and the kept counts hold exactly the paid orders since the mark.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from finlife.cashier import service as cashier
from finlife.cashier.models import Order, PopularityMark
from finlife.cashier.service import popularity
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.life.service import discovery
from finlife.merchants import service as merchants
from finlife.search import service as search
from finlife.search.models import StorePopularity
from finlife.settings import Settings
from tests.cashier.support import Till, pay
from tests.life.support import PEOPLES_SQUARE, THE_BUND, XUJIAHUI, discover, shop
from tests.payments.support import order_of

QUERIES: list[dict[str, Any]] = [
    {},
    {"q": "面馆"},
    {"q": "咖啡"},
    {"q": "上海"},
    {"q": "牛肉面"},
    {"category": "咖啡"},
    {"q": "面", "category": "面馆"},
    {"q": "nothing"},
]


def _plain(db: Database, query: dict[str, Any], limit: int) -> list[tuple[str, int]]:
    """Every visible store matching ``query``, each paid order of the last 30 days counted one by one
    in Python, sorted by count (most first) then store id."""
    with db.unit_of_work() as session:
        where = merchants.StoreFilter(
            category=query.get("category"),
            matching=search.matching_store_ids(session, query["q"]) if "q" in query else None,
        )
        candidates = [p.id for p in merchants.store_points(session, where)]
        since = clock.now() - timedelta(days=30)
        paid = Counter(
            o.store_id for o in session.execute(select(Order)).scalars() if o.paid_at and o.paid_at >= since
        )
    return sorted(((s, paid[s]) for s in candidates), key=lambda r: (-r[1], r[0]))[:limit]


def _counts_hold_orders_since_the_mark(db: Database) -> None:
    with db.unit_of_work() as session:
        mark = session.execute(select(PopularityMark.counted_since)).scalar_one_or_none()
        since = popularity.BEGINNING if mark is None else mark
        paid = Counter(
            o.store_id for o in session.execute(select(Order)).scalars() if o.paid_at and o.paid_at >= since
        )
        kept = {
            s: n for s, n in session.execute(select(StorePopularity.store_id, StorePopularity.popularity))
        }
    assert {s: n for s, n in kept.items() if n} == dict(paid)


def _every_ranking_is_the_plain_one(client: TestClient, db: Database) -> None:
    _counts_hold_orders_since_the_mark(db)
    for query in QUERIES:
        for limit in (1, 2, 3, 20):
            found = discover(client, sort="popularity", limit=limit, **query)
            assert [(s["store_id"], s["popularity"]) for s in found] == _plain(db, query, limit), (
                query,
                limit,
            )
        # Popularity is the default order without a position.
        assert [s["store_id"] for s in discover(client, **query)] == [s for s, _ in _plain(db, query, 20)]


def _opened(client: TestClient, till: Till, orders: int) -> list[str]:
    """Orders opened now (sign-ins expire as the clock moves on), to be paid later."""
    return [order_of(client, till, 1_000) for _ in range(orders)]


def _paid(db: Database, order_ids: list[str]) -> None:
    for order_id in order_ids:
        pay(db, order_id, 1_000)


def _roll(db: Database) -> None:
    with db.unit_of_work() as session:
        cashier.roll_popularity(session, clock.now())


@pytest.fixture
def fast_path_answers(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each ranking came from the kept counts (True) or was declined (False)."""
    answers: list[bool] = []
    original = popularity.most_popular

    def spy(session: Any, **kwargs: Any) -> list[popularity.Ranked] | None:
        ranked = original(session, **kwargs)
        answers.append(ranked is not None)
        return ranked

    monkeypatch.setattr(cashier, "most_popular", spy)
    return answers


@pytest.mark.parametrize(
    ("walk_stores", "few_matches"),
    [(2_000, 1_000), (2, 1)],
    ids=["walk-then-ids-of-the-matches", "short-walk-then-walk-to-the-end"],
)
def test_most_popular_from_the_kept_counts_is_what_counting_every_order_gives(
    client: TestClient,
    db: Database,
    settings: Settings,
    fast_path_answers: list[bool],
    monkeypatch: pytest.MonkeyPatch,
    walk_stores: int,
    few_matches: int,
) -> None:
    # A text is checked down the counts' order for WALK_STORES stores; if the page is not complete by
    # then, its matches are ranked by id when at most FEW_MATCHES, else by walking on to the end.
    monkeypatch.setattr(discovery, "WALK_STORES", walk_stores)
    monkeypatch.setattr(discovery, "FEW_MATCHES", few_matches)
    start: datetime = clock.now()
    noodles = shop(client, db, settings, at=PEOPLES_SQUARE, name="老上海面馆", category="面馆")
    beef = shop(client, db, settings, at=THE_BUND, name="兰州牛肉面", category="面馆")
    coffee = shop(client, db, settings, at=XUJIAHUI, name="静安咖啡", category="咖啡")
    roastery = shop(client, db, settings, at=THE_BUND, name="上海咖啡烘焙", category="咖啡")
    quiet = shop(client, db, settings, at=PEOPLES_SQUARE, name="安静面馆", category="面馆")
    closed = shop(client, db, settings, at=PEOPLES_SQUARE, name="停业面馆", category="面馆")
    _paid(db, _opened(client, closed, 4))
    with db.engine.begin() as conn:  # a merchant no longer active: its store is never ranked
        conn.execute(
            text("UPDATE merchants SET status = 'rejected' WHERE public_id = :id"), {"id": closed.merchant_id}
        )
    day_20 = _opened(client, coffee, 3) + _opened(client, roastery, 3) + _opened(client, beef, 1)
    day_56 = _opened(client, quiet, 2) + _opened(client, beef, 1)

    _paid(db, _opened(client, noodles, 5) + _opened(client, beef, 1))  # day 0: all of it will grow old
    _every_ranking_is_the_plain_one(client, db)

    clock.freeze(start + timedelta(days=20))
    _roll(db)  # a month back is before every order: nothing leaves
    _paid(db, day_20)  # the coffee shop and the roastery tie: by store id
    _every_ranking_is_the_plain_one(client, db)

    # Day 35, no roll since day 20: the day-0 orders are still in the counts and are taken off.
    clock.freeze(start + timedelta(days=35))
    _every_ranking_is_the_plain_one(client, db)
    _roll(db)  # now they leave the counts
    _every_ranking_is_the_plain_one(client, db)
    _roll(db)  # again at once: nothing more to take
    _every_ranking_is_the_plain_one(client, db)

    # The clock put back before the mark: the counts cannot say it, and the plain count answers.
    clock.freeze(start + timedelta(days=33))
    declined_before = fast_path_answers.count(False)
    _every_ranking_is_the_plain_one(client, db)
    assert fast_path_answers.count(False) > declined_before

    clock.freeze(start + timedelta(days=56))  # the day-20 orders grow old, unrolled; new ones come
    _paid(db, day_56)
    _every_ranking_is_the_plain_one(client, db)
    _roll(db)
    _every_ranking_is_the_plain_one(client, db)
    assert fast_path_answers.count(True) > 0


def test_a_roll_long_overdue_gives_the_ranking_back_to_the_plain_count(
    client: TestClient,
    db: Database,
    settings: Settings,
    fast_path_answers: list[bool],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    start: datetime = clock.now()
    old = shop(client, db, settings, at=PEOPLES_SQUARE, name="老面馆")
    new = shop(client, db, settings, at=THE_BUND, name="新面馆")
    _paid(db, _opened(client, old, 2))
    later = _opened(client, new, 1)
    clock.freeze(start + timedelta(days=40))
    _paid(db, later)
    monkeypatch.setattr(popularity, "MANY_CORRECTIONS", 0)  # one store to correct is already too many
    assert [(s["store_id"], s["popularity"]) for s in discover(client, q="面馆")] == [
        (new.store_id, 1),
        (old.store_id, 0),
    ]
    assert fast_path_answers and not any(fast_path_answers)  # every way through the counts declined
    _roll(db)
    assert [(s["store_id"], s["popularity"]) for s in discover(client, q="面馆")] == [
        (new.store_id, 1),
        (old.store_id, 0),
    ]
    assert fast_path_answers[-1] is True
