"""Text search through GET /v1/life/merchants?q=: FTS5 on SQLite, tsvector on PostgreSQL, Chinese cut by
jieba with pairs of characters as the fallback; the index follows stores and goods as they change."""

from __future__ import annotations

import itertools
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from finlife.catalog import service as catalog
from finlife.catalog.schemas import ItemCreateIn
from finlife.kit.auth import Channel, read_token
from finlife.kit.db import Database
from finlife.merchants import service as merchants
from finlife.merchants.schemas import StoreIn
from finlife.search.models import StoreDocument
from finlife.settings import Settings
from tests.catalog.support import item_body
from tests.factories import add_store, approved_merchant, headers, store_body
from tests.life.support import PEOPLES_SQUARE, THE_BUND, XUJIAHUI, discover

_names = itertools.count(1)


@dataclass(frozen=True)
class Seller:
    merchant_id: str
    owner: str


def seller(client: TestClient, db: Database, settings: Settings, legal_name: str | None = None) -> Seller:
    logins = approved_merchant(client, db, settings, legal_name=legal_name or f"甲乙商贸{next(_names)}号公司")
    return Seller(logins.merchant_id, logins.owner)


def opens(
    client: TestClient, who: Seller, name: str, at: tuple[str, str] = PEOPLES_SQUARE, **fields: Any
) -> str:
    return add_store(client, who.owner, who.merchant_id, name=name, latitude=at[0], longitude=at[1], **fields)


def lists(client: TestClient, who: Seller, name: str) -> str:
    response = client.post(
        f"/v1/merchants/{who.merchant_id}/items", json=item_body(name=name), headers=headers(who.owner)
    )
    assert response.status_code == 201, response.text
    item_id: str = response.json()["id"]
    return item_id


def found(client: TestClient, q: str, **query: Any) -> set[str]:
    return {s["store_id"] for s in discover(client, q=q, **query)}


def test_hotpot_finds_a_store_by_its_name_and_one_by_its_goods(
    client: TestClient, db: Database, settings: Settings
) -> None:
    wharf = opens(client, seller(client, db, settings), "老码头火锅")
    grocer = seller(client, db, settings)
    grocery = opens(client, grocer, "川味干货铺")
    lists(client, grocer, "麻辣火锅底料")
    cafe = seller(client, db, settings)
    coffee = opens(client, cafe, "街角小店")
    lists(client, cafe, "拿铁咖啡")

    assert found(client, "火锅") == {wharf, grocery}
    assert found(client, "咖啡") == {coffee}
    assert found(client, "拿铁") == {coffee}
    assert found(client, "老码头火锅") == {wharf}
    assert found(client, "底料") == {grocery}
    assert found(client, "寿司") == set()


def test_words_of_the_query_may_stand_apart_in_the_store(
    client: TestClient, db: Database, settings: Settings
) -> None:
    noodles = opens(client, seller(client, db, settings), "老上海手工面馆")
    opens(client, seller(client, db, settings), "上海咖啡馆")
    # jieba cuts the query into 上海 + 面馆; the store holds both, apart.
    assert found(client, "上海面馆") == {noodles}
    assert found(client, "上海 面馆") == {noodles}  # words separated by a space must all match
    assert found(client, "面馆 咖啡") == set()


def test_pairs_of_characters_match_where_jieba_cuts_the_store_name_otherwise(
    client: TestClient, db: Database, settings: Settings
) -> None:
    # jieba cuts 小杨生煎 as 小 / 杨生 / 煎 and 沪上阿姨鲜果茶 without 果茶: only the pairs find these.
    buns = opens(client, seller(client, db, settings), "小杨生煎")
    tea = opens(client, seller(client, db, settings), "沪上阿姨鲜果茶")
    assert found(client, "生煎") == {buns}
    assert found(client, "果茶") == {tea}
    assert found(client, "杨生煎") == {buns}
    assert found(client, "生果") == set()  # pairs must follow each other: 生 and 果 are in different stores


def test_a_single_character_latin_prefixes_case_and_full_width_forms(
    client: TestClient, db: Database, settings: Settings
) -> None:
    cafe = seller(client, db, settings)
    beans = opens(client, cafe, "Blue Bottle", category="Coffee")
    noodles = seller(client, db, settings)
    bowl = opens(client, noodles, "街口小馆")
    lists(client, noodles, "葱油拌面")
    assert found(client, "面") == {bowl}  # the last character of a word
    assert found(client, "coff") == {beans}  # a Latin word matches as a prefix
    assert found(client, "ＣＯＦＦＥＥ") == {beans}  # full-width letters are the same letters
    assert found(client, "blue bot") == {beans}
    assert found(client, "bottle blue") == {beans}
    assert found(client, "green") == set()
    assert found(client, "!!!") == set()  # no letter or digit: nothing can match
    assert len(discover(client, q="   ")) == 2  # blank: no text filter at all


def test_the_index_follows_goods_added_renamed_archived_and_restored(
    client: TestClient, db: Database, settings: Settings
) -> None:
    shop = seller(client, db, settings)
    store = opens(client, shop, "转角小店")
    item_id = lists(client, shop, "桂花拿铁")
    assert found(client, "桂花") == {store}

    renamed = client.patch(f"/v1/items/{item_id}", json={"name": "抹茶拿铁"}, headers=headers(shop.owner))
    assert renamed.status_code == 200, renamed.text
    assert found(client, "桂花") == set()
    assert found(client, "抹茶") == {store}

    assert client.post(f"/v1/items/{item_id}/archive", headers=headers(shop.owner)).status_code == 200
    assert found(client, "抹茶") == set()
    assert client.post(f"/v1/items/{item_id}/unarchive", headers=headers(shop.owner)).status_code == 200
    assert found(client, "抹茶") == {store}


def test_goods_listed_before_a_store_opens_are_found_in_every_store(
    client: TestClient, db: Database, settings: Settings
) -> None:
    shop = seller(client, db, settings, legal_name="南翔点心有限公司")
    lists(client, shop, "蟹粉小笼包")
    first = opens(client, shop, "城隍庙店")
    second = opens(client, shop, "外滩店", at=THE_BUND)
    assert found(client, "小笼包") == {first, second}
    assert found(client, "南翔") == {first, second}  # the merchant's name
    assert found(client, "城隍庙") == {first}
    lists(client, shop, "鲜肉馄饨")
    assert found(client, "馄饨") == {first, second}


def test_text_search_combines_with_radius_category_and_sorting(
    client: TestClient, db: Database, settings: Settings
) -> None:
    near = opens(client, seller(client, db, settings), "外滩火锅", at=THE_BUND, category="hotpot")
    far = opens(client, seller(client, db, settings), "徐家汇火锅", at=XUJIAHUI, category="hotpot")
    opens(client, seller(client, db, settings), "外滩烤肉", at=THE_BUND, category="bbq")
    by_distance = discover(client, q="火锅", lat=PEOPLES_SQUARE[0], lng=PEOPLES_SQUARE[1])
    assert [s["store_id"] for s in by_distance] == [near, far]
    assert found(client, "火锅", lat=PEOPLES_SQUARE[0], lng=PEOPLES_SQUARE[1], radius_m=2_000) == {near}
    assert found(client, "外滩", category="HOTPOT") == {near}


def test_stores_of_merchants_not_active_are_not_found(
    client: TestClient, db: Database, settings: Settings
) -> None:
    visible = opens(client, seller(client, db, settings), "云南米线")
    with db.unit_of_work() as session:  # a document whose store does not exist (or is gone) finds nothing
        session.add(
            StoreDocument(store_id="sto_gone", merchant_id="mer_gone", store_tokens="米线", document="米线")
        )
    assert found(client, "米线") == {visible}


@pytest.mark.postgres_only
def test_goods_added_at_once_by_two_requests_both_reach_the_index(
    client: TestClient, db: Database, settings: Settings
) -> None:
    shop = seller(client, db, settings)
    store = opens(client, shop, "并发小店")
    owner = read_token(shop.owner, secret=settings.secret_key, channel=Channel.WEB)
    names = ["红烧牛肉面", "番茄鸡蛋面", "酸辣粉丝汤", "香煎豆腐饼", "卤肉饭套餐", "白灼芥兰菜"]
    start = threading.Barrier(len(names))

    def add(name: str) -> None:
        body = ItemCreateIn.model_validate(item_body(name=name))
        start.wait()
        with db.unit_of_work() as session:
            catalog.create_item(session, owner, shop.merchant_id, body)

    with ThreadPoolExecutor(max_workers=len(names)) as pool:
        list(pool.map(add, names))
    for name in names:
        assert found(client, name) == {store}, name
    with db.unit_of_work() as session:
        document = session.execute(
            select(StoreDocument.document).where(StoreDocument.store_id == store)
        ).scalar_one()
    assert all(name[:2] in document for name in names)


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
    raise AssertionError("the store's opening never waited for the goods being changed")


@pytest.mark.postgres_only
def test_a_store_opened_while_goods_change_gets_the_new_goods(
    client: TestClient, db: Database, settings: Settings
) -> None:
    shop = seller(client, db, settings)
    opens(client, shop, "老店")
    owner = read_token(shop.owner, secret=settings.secret_key, channel=Channel.WEB)
    body = StoreIn.model_validate(store_body(name="新店"))

    def open_store() -> str:
        with db.unit_of_work() as session:
            return merchants.create_store(session, owner, shop.merchant_id, body).id

    changing = db.sessions()
    try:
        catalog.create_item(
            changing, owner, shop.merchant_id, ItemCreateIn.model_validate(item_body(name="蟹黄汤包"))
        )
        with ThreadPoolExecutor(max_workers=1) as pool:
            opening = pool.submit(open_store)
            _wait_until_someone_waits_for_a_lock(db)  # the new store waits for the goods row
            changing.commit()
            new_store = opening.result(timeout=10)
    finally:
        changing.close()
    assert new_store in found(client, "汤包")
