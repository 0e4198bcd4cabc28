"""Discovery's page reads (kit.reads): the shown stores' paid-order counts, their ratings and the live
campaigns, sent together — driver-level text in one round trip on PostgreSQL, Core statements
elsewhere — give the facts the statements read one by one through the session give; and a nearby
page on PostgreSQL costs two round trips before its COMMIT."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.orm import Session

from finlife.cashier.service import popularity
from finlife.kit.clock import clock
from finlife.kit.db import Database, table_of
from finlife.kit.reads import read_together
from finlife.life.models import StoreRating
from finlife.life.service import Near, discovery
from finlife.marketing.models import Campaign
from finlife.marketing.service import figures
from finlife.merchants import service as merchants
from finlife.settings import Settings
from tests.cashier.support import pay
from tests.life.campaigns import end, live_campaign
from tests.life.support import PEOPLES_SQUARE, THE_BUND, XUJIAHUI, shop
from tests.payments.support import order_of


def _world(client: TestClient, db: Database, settings: Settings) -> list[str]:
    """Three stores of three merchants: orders paid now and before the month, an open one, ratings;
    two live campaigns (one for one store only) and an ended one."""
    stores = [
        shop(client, db, settings, at=at, name=name)
        for at, name in ((PEOPLES_SQUARE, "甲店"), (THE_BUND, "乙店"), (XUJIAHUI, "丙店"))
    ]
    old = order_of(client, stores[0], 1_000)
    clock.advance(timedelta(days=-31))
    pay(db, old, 1_000)  # paid before the month
    clock.advance(timedelta(days=31))
    for till, paid in zip(stores, (3, 1, 0), strict=True):
        for _ in range(paid):
            pay(db, order_of(client, till, 1_000), 1_000)
    order_of(client, stores[1], 1_000)  # open, never paid
    live_campaign(client, stores[0])
    live_campaign(
        client, stores[1], store_ids=[stores[1].store_id], labels=["special_offer", "neighbourhood"]
    )
    end(client, stores[2], live_campaign(client, stores[2]))
    with db.unit_of_work() as session:
        session.add_all(
            [
                StoreRating(store_id=stores[0].store_id, review_count=2, rating_sum=9),
                StoreRating(store_id="sto_elsewhere", review_count=1, rating_sum=1),
            ]
        )
    return [till.store_id for till in stores]


def _campaign_facts(campaigns: Any) -> list[dict[str, Any]]:
    keys = [column.key for column in table_of(Campaign).columns]
    return [{key: getattr(campaign, key) for key in keys} for campaign in campaigns]


@pytest.mark.parametrize("many", [False, True], ids=["by-ids", "every-row"])
def test_the_reads_sent_together_give_the_facts_read_one_by_one(
    client: TestClient, db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch, many: bool
) -> None:
    if many:  # past these sizes every count and every rating is read, not the given ids'
        monkeypatch.setattr(popularity, "MANY_STORES", 1)
        monkeypatch.setattr(discovery, "MANY_IDS", 1)
    store_ids = _world(client, db, settings)
    since = popularity.popularity_since(clock.now())
    with db.unit_of_work() as session:
        counts, ratings, live = read_together(
            session,
            popularity.paid_order_counts_read(since=since, store_ids=store_ids),
            discovery._ratings_read(store_ids),
            figures.live_campaigns_read(),
        )
        statement = popularity._PAID_COUNTS_OF_EVERY_STORE if many else popularity._PAID_COUNTS
        params: dict[str, Any] = {"paid": "paid", "since": since} | ({} if many else {"ids": store_ids})
        one_by_one = {s: n for s, n in session.execute(statement, params) if s in store_ids}
        rating_rows = session.execute(
            discovery._EVERY_RATING if many else discovery._RATINGS_OF, {"ids": store_ids}
        )
        loaded = figures._live(session)
        expected_live = _campaign_facts(loaded)
    assert counts == one_by_one == {store_ids[0]: 3, store_ids[1]: 1}
    assert ratings == {s: (total, n) for s, total, n in rating_rows if s in store_ids}
    assert ratings == {store_ids[0]: (9, 2)}
    assert len(expected_live) == 2
    assert _campaign_facts(live.campaigns) == expected_live
    # The detached campaigns decide the coupons as the loaded ones do.
    with db.unit_of_work() as session:
        stores = merchants.stores_for_discovery(session, store_ids)
        assert figures.live_coupons(session, store_ids=store_ids, among=stores, campaigns=live) == (
            figures.live_coupons(session, store_ids=store_ids, among=stores)
        )


def test_reads_with_nothing_to_ask_send_nothing(db: Database) -> None:
    with db.unit_of_work() as session:
        since = popularity.popularity_since(clock.now())
        counts, ratings = read_together(
            session, popularity.paid_order_counts_read(since=since, store_ids=[]), discovery._ratings_read([])
        )
        assert not session.in_transaction()  # not even a BEGIN
    assert counts == {} and ratings == {}


@pytest.mark.postgres_only  # one round trip is PostgreSQL's pipeline
def test_a_nearby_page_is_two_round_trips_and_no_statement_through_sqlalchemy(
    client: TestClient, db: Database, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    store_ids = _world(client, db, settings)
    through_sqlalchemy: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        through_sqlalchemy.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        with caplog.at_level(logging.DEBUG, logger="finlife.kit.pipeline"), db.unit_of_work() as session:
            found = _nearby(session)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert [s.store_id for s in found] == store_ids[:2]  # Xujiahui is 5.6 km away
    assert [(s.popularity, s.review_count, len(s.coupons)) for s in found] == [(3, 2, 1), (1, 0, 1)]
    assert [r.message for r in caplog.records].count("round trip") == 2  # the page; its facts
    assert through_sqlalchemy == []


def _nearby(session: Session) -> list[Any]:
    return discovery.discover(
        session,
        query=None,
        near=Near((31_232_000, 121_475_000), 3_000),
        category=None,
        district=None,
        sort=None,
        limit=20,
    )
