"""Real concurrency on PostgreSQL: racing sales never oversell and never drive stock below zero."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from finlife.catalog import service as catalog
from finlife.catalog.errors import SkuTaken
from finlife.catalog.schemas import ItemCreateIn, StockLine
from finlife.kit.auth import Channel, read_token
from finlife.kit.db import Database
from finlife.kit.errors import FinlifeError
from finlife.settings import Settings
from tests.catalog.support import Shop, item_body, list_items, new_item, stock_of, variation

pytestmark = pytest.mark.postgres_only


def test_twenty_racing_sales_of_ten_pieces(client: TestClient, db: Database, shop: Shop) -> None:
    var_id = new_item(client, shop, variations=[variation(stock=10)])["variations"][0]["id"]
    start = threading.Barrier(20)

    def sell(_: int) -> bool:
        start.wait()
        try:
            with db.unit_of_work() as session:
                catalog.take_stock(session, [StockLine(var_id, 1)])
            return True
        except FinlifeError as exc:  # every refusal must be a clean out_of_stock
            assert exc.code == "out_of_stock", exc
            return False

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(sell, range(20)))
    assert results.count(True) == 10
    assert stock_of(db, var_id) == 0


def test_racing_baskets_in_opposite_order_do_not_deadlock(
    client: TestClient, db: Database, shop: Shop
) -> None:
    item = new_item(client, shop, variations=[variation(stock=30), variation(stock=40)])
    first, second = (v["id"] for v in item["variations"])
    start = threading.Barrier(16)

    def sell(i: int) -> None:
        lines = [StockLine(first, 1), StockLine(second, 2)]
        start.wait()
        with db.unit_of_work() as session:
            catalog.take_stock(session, lines if i % 2 else list(reversed(lines)))

    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(sell, range(16)))
    assert (stock_of(db, first), stock_of(db, second)) == (14, 8)


def _wait_until_someone_waits_for_a_lock(db: Database) -> None:
    for _ in range(200):
        with db.engine.connect() as conn:
            waiting = conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            ).scalar_one()
        if waiting:
            return
        time.sleep(0.025)
    raise AssertionError("the second writer never waited for the first")


def test_a_sku_lost_to_a_concurrent_writer_is_a_409(
    client: TestClient, db: Database, settings: Settings, shop: Shop
) -> None:
    owner = read_token(shop.owner, secret=settings.secret_key, channel=Channel.WEB)
    body = ItemCreateIn.model_validate(item_body(variations=[variation(code="RACE-1")]))

    def second_writer() -> None:
        with db.unit_of_work() as session:
            catalog.create_item(session, owner, shop.merchant_id, body)

    first = db.sessions()
    try:
        catalog.create_item(first, owner, shop.merchant_id, body)
        with ThreadPoolExecutor(max_workers=1) as pool:
            # The second writer's check sees no RACE-1 yet (uncommitted); its insert waits on the index.
            second = pool.submit(second_writer)
            _wait_until_someone_waits_for_a_lock(db)
            first.commit()
            with pytest.raises(SkuTaken):
                second.result(timeout=10)
    finally:
        first.close()
    listed = list_items(client, shop, q="RACE-1").json()["data"]
    assert len(listed) == 1
