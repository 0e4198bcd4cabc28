"""take_stock, return_stock and variation_facts: what the cashier calls inside a payment."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from finlife.catalog import service as catalog
from finlife.catalog.schemas import StockLine
from finlife.kit.db import Database
from finlife.kit.errors import FinlifeError, NotFound
from tests.catalog.support import Shop, facts, new_item, outbox_payloads, stock_of, variation
from tests.factories import headers


def take(db: Database, *lines: StockLine) -> None:
    with db.unit_of_work() as session:
        catalog.take_stock(session, list(lines))


def give_back(db: Database, *lines: StockLine) -> None:
    with db.unit_of_work() as session:
        catalog.return_stock(session, list(lines))


def test_take_and_return_tracked_stock(client: TestClient, db: Database, shop: Shop) -> None:
    item = new_item(client, shop, variations=[variation(stock=5), variation(stock=2)])
    first, second = (v["id"] for v in item["variations"])
    take(db, StockLine(first, 2), StockLine(second, 1), StockLine(first, 3))
    assert (stock_of(db, first), stock_of(db, second)) == (0, 1)
    give_back(db, StockLine(first, 4))
    assert stock_of(db, first) == 4
    [taken] = outbox_payloads(db, "stock.taken")
    assert sorted(
        (line["variation_id"], line["quantity"], line["stock"]) for line in taken["lines"]
    ) == sorted([(first, 5, 0), (second, 1, 1)])
    assert outbox_payloads(db, "stock.returned") == [
        {"lines": [{"variation_id": first, "quantity": 4, "stock": 4}]}
    ]


def test_untracked_variations_always_succeed(client: TestClient, db: Database, shop: Shop) -> None:
    item = new_item(client, shop, variations=[variation()])
    untracked = item["variations"][0]["id"]
    take(db, StockLine(untracked, 1_000_000))
    give_back(db, StockLine(untracked, 3))
    assert stock_of(db, untracked) is None
    assert outbox_payloads(db, "stock.taken") == []


def test_a_short_line_changes_nothing(client: TestClient, db: Database, shop: Shop) -> None:
    item = new_item(
        client, shop, name="贝果", variations=[variation(stock=10), variation(name="芝麻", stock=1)]
    )
    plenty, short = (v["id"] for v in item["variations"])
    with pytest.raises(FinlifeError) as refused:
        take(db, StockLine(plenty, 3), StockLine(short, 2))
    assert (refused.value.status, refused.value.code) == (422, "out_of_stock")
    assert refused.value.params == {"name": "贝果 芝麻"}
    assert (stock_of(db, plenty), stock_of(db, short)) == (10, 1)
    assert outbox_payloads(db, "stock.taken") == []


def test_a_caller_that_carries_on_after_a_refusal_keeps_nothing_taken(
    client: TestClient, db: Database, shop: Shop
) -> None:
    item = new_item(client, shop, variations=[variation(stock=4), variation(stock=0)])
    plenty, empty = (v["id"] for v in item["variations"])
    with db.unit_of_work() as session:
        with pytest.raises(FinlifeError):
            catalog.take_stock(session, [StockLine(plenty, 4), StockLine(empty, 1)])
        catalog.take_stock(session, [StockLine(plenty, 1)])
    assert (stock_of(db, plenty), stock_of(db, empty)) == (3, 0)


def test_out_of_stock_message_in_both_languages(client: TestClient, db: Database, shop: Shop) -> None:
    item = new_item(client, shop, name="可颂", variations=[variation(name="原味", stock=0)])
    with pytest.raises(FinlifeError) as refused:
        take(db, StockLine(item["variations"][0]["id"], 1))
    assert refused.value.message("en") == "Not enough 可颂 原味 in stock"
    assert refused.value.message("zh-CN") == "可颂 原味 库存不足"
    assert refused.value.extra == {"variation_id": item["variations"][0]["id"]}


def test_unknown_variations_are_not_found(client: TestClient, db: Database, shop: Shop) -> None:
    item = new_item(client, shop, variations=[variation(stock=3)])
    known = item["variations"][0]["id"]
    for call in (take, give_back):
        with pytest.raises(NotFound):
            call(db, StockLine(known, 1), StockLine("var_nothing", 1))
    assert stock_of(db, known) == 3


@pytest.mark.parametrize("quantity", [0, -1, 1.5, "2"])
def test_stock_lines_take_positive_whole_quantities(quantity: object) -> None:
    with pytest.raises(ValueError, match="quantity"):
        StockLine(variation_id="var_x", quantity=quantity)  # type: ignore[arg-type]


def test_variation_facts_price_an_order(client: TestClient, db: Database, shop: Shop) -> None:
    item = new_item(
        client, shop, name="美式", variations=[variation(name="大杯", price=2200, stock=4, code="AME-L")]
    )
    var_id = item["variations"][0]["id"]
    with db.unit_of_work() as session:
        found = catalog.variation_facts(session, [var_id, "var_nothing"])
        assert catalog.variation_facts(session, []) == {}
    assert list(found) == [var_id]
    assert found[var_id].model_dump() == {
        "id": var_id,
        "item_id": item["id"],
        "merchant_id": shop.merchant_id,
        "name": "大杯",
        "item_name": "美式",
        "category": "咖啡",
        "sku": "AME-L",
        "price": 2200,
        "stock": 4,
        "archived": False,
    }
    client.post(f"/v1/items/{item['id']}/archive", headers=headers(shop.owner))
    assert facts(db, var_id).archived is True


def test_facts_read_after_taking_stock_see_the_new_stock(
    client: TestClient, db: Database, shop: Shop
) -> None:
    item = new_item(client, shop, variations=[variation(stock=4)])
    var_id = item["variations"][0]["id"]
    with db.unit_of_work() as session:
        assert catalog.variation_facts(session, [var_id])[var_id].stock == 4
        catalog.take_stock(session, [StockLine(var_id, 3)])
        assert catalog.variation_facts(session, [var_id])[var_id].stock == 1
