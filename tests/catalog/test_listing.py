"""Listing a merchant's items: search by name or SKU, categories, archived items, cursor pages."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.catalog.support import Shop, list_items, new_item, variation
from tests.factories import headers


def names(response: object) -> list[str]:
    return [item["name"] for item in response.json()["data"]]  # type: ignore[attr-defined]


def test_search_by_name_or_sku_ignoring_case(client: TestClient, shop: Shop, other_shop: Shop) -> None:
    new_item(client, shop, name="Iced Latte", variations=[variation(code="COF-ICE")])
    new_item(
        client, shop, name="Green Tea", variations=[variation(code="TEA-GRN"), variation(code="tea-big")]
    )
    new_item(client, shop, name="拿铁 100%", variations=[variation(code="LAT_1")])
    new_item(client, other_shop, name="Iced Latte", variations=[variation(code="COF-ICE")])

    assert names(list_items(client, shop, q="latte")) == ["Iced Latte"]
    assert names(list_items(client, shop, q="LATTE")) == ["Iced Latte"]
    assert names(list_items(client, shop, q="Tea-B")) == ["Green Tea"]
    assert names(list_items(client, shop, q="tea")) == ["Green Tea"]
    assert names(list_items(client, shop, q="拿铁")) == ["拿铁 100%"]
    # LIKE wildcards in the query are taken literally.
    assert names(list_items(client, shop, q="%")) == ["拿铁 100%"]
    assert names(list_items(client, shop, q="T_1")) == ["拿铁 100%"]
    assert names(list_items(client, shop, q="nothing")) == []
    assert names(list_items(client, shop)) == ["拿铁 100%", "Green Tea", "Iced Latte"]


def test_filter_by_category_and_count_categories(client: TestClient, shop: Shop, other_shop: Shop) -> None:
    new_item(client, shop, name="美式", category="咖啡")
    new_item(client, shop, name="拿铁", category="咖啡")
    new_item(client, shop, name="可颂", category="烘焙")
    hidden = new_item(client, shop, name="旧款", category="停售")
    new_item(client, other_shop, name="别家", category="咖啡")
    client.post(f"/v1/items/{hidden['id']}/archive", headers=headers(shop.owner))

    assert names(list_items(client, shop, category="咖啡")) == ["拿铁", "美式"]
    assert names(list_items(client, shop, category="烘焙", q="可")) == ["可颂"]
    url = f"/v1/merchants/{shop.merchant_id}/categories"
    categories = client.get(url, headers=headers(shop.cashier)).json()["data"]
    assert sorted((c["name"], c["item_count"]) for c in categories) == [("咖啡", 2), ("烘焙", 1)]
    everything = client.get(url, params={"include_archived": "true"}, headers=headers(shop.owner)).json()[
        "data"
    ]
    assert sorted((c["name"], c["item_count"]) for c in everything) == [("停售", 1), ("咖啡", 2), ("烘焙", 1)]


def test_archived_items_are_hidden_unless_asked_for(client: TestClient, shop: Shop) -> None:
    new_item(client, shop, name="在售")
    old = new_item(client, shop, name="下架")
    client.post(f"/v1/items/{old['id']}/archive", headers=headers(shop.owner))
    assert names(list_items(client, shop)) == ["在售"]
    assert names(list_items(client, shop, include_archived="true")) == ["下架", "在售"]
    assert names(list_items(client, shop, q="下架")) == []


def test_cursor_pages_cover_every_item_once(client: TestClient, shop: Shop) -> None:
    created = [new_item(client, shop, name=f"商品{i}")["id"] for i in range(7)]
    seen: list[str] = []
    cursor = None
    while True:
        query = {"limit": 3, **({"starting_after": cursor} if cursor else {})}
        page = list_items(client, shop, **query).json()
        seen += [item["id"] for item in page["data"]]
        assert all(len(item["variations"]) == 1 for item in page["data"])
        if not page["has_more"]:
            break
        cursor = page["data"][-1]["id"]
    assert seen == list(reversed(created))
    assert list_items(client, shop, limit=0).status_code == 422
    assert list_items(client, shop, limit=101).status_code == 422
