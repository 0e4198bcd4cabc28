"""Creating, reading, changing and archiving items; SKU uniqueness and strict price and stock."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from finlife.kit.db import Database
from tests.catalog.support import (
    Shop,
    audit_actions,
    item_body,
    new_item,
    outbox_payloads,
    post_item,
    variation,
)
from tests.factories import headers


def patch(
    client: TestClient, shop: Shop, item_id: str, body: dict[str, Any], token: str | None = None
) -> Any:
    return client.patch(f"/v1/items/{item_id}", json=body, headers=headers(token or shop.owner))


def test_owner_creates_an_item_with_variations(client: TestClient, db: Database, shop: Shop) -> None:
    body = item_body(
        name="  拿铁咖啡 ",
        description="现磨",
        variations=[
            variation(name="中杯", price=2500, code="LAT-M"),
            variation(name="大杯", price=2800, stock=10),
        ],
    )
    response = post_item(client, shop, body)
    assert response.status_code == 201, response.text
    item = response.json()
    assert item["id"].startswith("itm_")
    assert item["merchant_id"] == shop.merchant_id
    assert (item["name"], item["category"], item["description"]) == ("拿铁咖啡", "咖啡", "现磨")
    assert item["archived"] is False
    assert [(v["name"], v["sku"], v["price"], v["stock"]) for v in item["variations"]] == [
        ("中杯", "LAT-M", 2500, None),
        ("大杯", body["variations"][1]["sku"], 2800, 10),
    ]
    assert all(v["id"].startswith("var_") for v in item["variations"])
    assert client.get(f"/v1/items/{item['id']}", headers=headers(shop.owner)).json() == item
    assert audit_actions(db, item["id"]) == ["item.created"]
    [event] = outbox_payloads(db, "item.created")
    assert event["item_id"] == item["id"] and event["merchant_id"] == shop.merchant_id


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("price", 12.5),
        ("price", "1250"),
        ("price", 0),
        ("price", -100),
        ("price", True),
        ("price", 12.0),
        ("stock", -1),
        ("stock", 1.5),
        ("stock", "3"),
    ],
)
def test_price_and_stock_must_be_whole_numbers_in_range(
    client: TestClient, shop: Shop, field: str, value: Any
) -> None:
    body = item_body(variations=[{**variation(), field: value}])
    response = post_item(client, shop, body)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["code"] == "validation_error"
    assert [e["field"] for e in problem["errors"]] == [f"variations.0.{field}"]


def test_zero_stock_is_allowed(client: TestClient, shop: Shop) -> None:
    item = new_item(client, shop, variations=[variation(stock=0)])
    assert item["variations"][0]["stock"] == 0


@pytest.mark.parametrize(
    "body",
    [
        item_body(variations=[]),
        {"name": "茶", "category": "饮品"},
        item_body(name="   "),
        item_body(category=""),
        {**item_body(), "colour": "red"},
    ],
)
def test_an_item_needs_a_name_a_category_and_a_variation(
    client: TestClient, shop: Shop, body: dict[str, Any]
) -> None:
    response = post_item(client, shop, body)
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_skus_are_unique_per_merchant(client: TestClient, db: Database, shop: Shop, other_shop: Shop) -> None:
    new_item(client, shop, variations=[variation(code="TEA-1")])
    again = post_item(client, shop, item_body(variations=[variation(code="TEA-2"), variation(code="TEA-1")]))
    assert again.status_code == 409
    problem = again.json()
    assert (problem["code"], problem["field"]) == ("sku_taken", "sku")
    assert "TEA-1" in problem["detail"]
    twice = post_item(client, shop, item_body(variations=[variation(code="TEA-3"), variation(code="TEA-3")]))
    assert twice.status_code == 409
    # Another merchant may use the same code; nothing of the refused items was kept.
    assert post_item(client, other_shop, item_body(variations=[variation(code="TEA-1")])).status_code == 201
    assert len(outbox_payloads(db, "item.created")) == 2


def test_sku_taken_message_in_both_languages(client: TestClient, shop: Shop) -> None:
    new_item(client, shop, variations=[variation(code="X-1")])
    body = item_body(variations=[variation(code="X-1")])
    url = f"/v1/merchants/{shop.merchant_id}/items"
    english = client.post(url, json=body, headers=headers(shop.owner, **{"Accept-Language": "en"}))
    chinese = client.post(url, json=body, headers=headers(shop.owner, **{"Accept-Language": "zh-CN"}))
    assert english.json()["detail"] == "The SKU X-1 is already in use"
    assert chinese.json()["detail"] == "商品编码 X-1 已被使用"


def test_owner_changes_an_item_and_its_variations(client: TestClient, db: Database, shop: Shop) -> None:
    item = new_item(client, shop, description="旧", variations=[variation(name="中杯", price=2500, stock=5)])
    first = item["variations"][0]
    response = patch(
        client,
        shop,
        item["id"],
        {
            "name": "燕麦拿铁",
            "category": "新品",
            "description": None,
            "variations": [
                {"id": first["id"], "price": 2600, "name": "中杯 M", "stock": None},
                {"name": "大杯", "sku": "OAT-L", "price": 2900, "stock": 3},
            ],
        },
    )
    assert response.status_code == 200, response.text
    changed = response.json()
    assert (changed["name"], changed["category"], changed["description"]) == ("燕麦拿铁", "新品", None)
    assert [(v["id"], v["name"], v["sku"], v["price"], v["stock"]) for v in changed["variations"]] == [
        (first["id"], "中杯 M", first["sku"], 2600, None),
        (changed["variations"][1]["id"], "大杯", "OAT-L", 2900, 3),
    ]
    assert changed["updated_at"] >= item["updated_at"]
    assert audit_actions(db, item["id"]) == ["item.created", "item.updated"]
    [event] = outbox_payloads(db, "item.updated")
    assert event["changed"] == {"name": "燕麦拿铁", "category": "新品", "description": None}
    assert event["variations"][0] == {"id": first["id"], "price": 2600, "name": "中杯 M", "stock": None}


def test_stock_can_be_set_and_tracking_started(client: TestClient, shop: Shop) -> None:
    item = new_item(client, shop)
    var_id = item["variations"][0]["id"]
    response = patch(client, shop, item["id"], {"variations": [{"id": var_id, "stock": 7}]})
    assert response.json()["variations"][0]["stock"] == 7
    only_name = patch(client, shop, item["id"], {"variations": [{"id": var_id, "name": "常规"}]})
    assert only_name.json()["variations"][0]["stock"] == 7


def test_an_empty_change_records_nothing(client: TestClient, db: Database, shop: Shop) -> None:
    item = new_item(client, shop)
    same = patch(client, shop, item["id"], {"name": item["name"]})
    assert same.status_code == 200
    assert same.json() == item
    assert audit_actions(db, item["id"]) == ["item.created"]


@pytest.mark.parametrize(
    "change",
    [
        {"variations": [{"id": "VAR", "price": 12.5}]},
        {"variations": [{"id": "VAR", "price": 0}]},
        {"variations": [{"id": "VAR", "price": None}]},
        {"variations": [{"id": "VAR", "stock": -3}]},
        {"variations": [{"id": "VAR", "sku": "NEW"}]},
        {"variations": [{"name": "无编码", "price": 100}]},
        {"name": None},
        {"category": ""},
    ],
)
def test_invalid_changes_are_refused(client: TestClient, shop: Shop, change: dict[str, Any]) -> None:
    item = new_item(client, shop)
    for entry in change.get("variations", []):
        if entry.get("id") == "VAR":
            entry["id"] = item["variations"][0]["id"]
    response = patch(client, shop, item["id"], change)
    assert response.status_code == 422, response.text
    assert client.get(f"/v1/items/{item['id']}", headers=headers(shop.owner)).json() == item


def test_changes_refuse_a_taken_sku_and_a_foreign_variation(client: TestClient, shop: Shop) -> None:
    first = new_item(client, shop, variations=[variation(code="A-1")])
    second = new_item(client, shop)
    taken = patch(client, shop, second["id"], {"variations": [{"name": "x", "sku": "A-1", "price": 100}]})
    assert (taken.status_code, taken.json()["code"]) == (409, "sku_taken")
    foreign = patch(
        client, shop, second["id"], {"variations": [{"id": first["variations"][0]["id"], "price": 1}]}
    )
    assert foreign.status_code == 404
    assert client.get(f"/v1/items/{first['id']}", headers=headers(shop.owner)).json() == first


def test_archive_and_unarchive(client: TestClient, db: Database, shop: Shop) -> None:
    item = new_item(client, shop)
    archived = client.post(f"/v1/items/{item['id']}/archive", headers=headers(shop.owner))
    assert archived.status_code == 200
    assert archived.json()["archived"] is True and archived.json()["archived_at"] is not None
    # Repeating it is harmless and records nothing.
    assert client.post(f"/v1/items/{item['id']}/archive", headers=headers(shop.owner)).json()["archived"]
    restored = client.post(f"/v1/items/{item['id']}/unarchive", headers=headers(shop.owner))
    assert restored.json()["archived"] is False and restored.json()["archived_at"] is None
    assert audit_actions(db, item["id"]) == ["item.created", "item.archived", "item.unarchived"]
    assert [e["item_id"] for e in outbox_payloads(db, "item.archived")] == [item["id"]]


def test_an_archived_items_sku_stays_reserved(client: TestClient, shop: Shop) -> None:
    item = new_item(client, shop, variations=[variation(code="OLD-1")])
    client.post(f"/v1/items/{item['id']}/archive", headers=headers(shop.owner))
    again = post_item(client, shop, item_body(variations=[variation(code="OLD-1")]))
    assert again.json()["code"] == "sku_taken"


def test_unknown_item_is_not_found(client: TestClient, shop: Shop) -> None:
    for response in (
        client.get("/v1/items/itm_nothing", headers=headers(shop.owner)),
        patch(client, shop, "itm_nothing", {"name": "x"}),
        client.post("/v1/items/itm_nothing/archive", headers=headers(shop.owner)),
    ):
        assert response.status_code == 404
