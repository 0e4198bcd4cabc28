"""Who sees and changes whose goods: another merchant's people get 404 for everything of the first."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from finlife.kit.auth import Role
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.catalog.support import Shop, item_body, list_items, new_item, post_item
from tests.factories import headers, signup_customer, staff_token


def every_call(client: TestClient, shop: Shop, item: dict[str, Any], token: str) -> dict[str, httpx.Response]:
    item_url, var_id = f"/v1/items/{item['id']}", item["variations"][0]["id"]
    auth = headers(token)
    return {
        "get": client.get(item_url, headers=auth),
        "patch": client.patch(item_url, json={"variations": [{"id": var_id, "price": 1}]}, headers=auth),
        "archive": client.post(f"{item_url}/archive", headers=auth),
        "unarchive": client.post(f"{item_url}/unarchive", headers=auth),
        "list": list_items(client, shop, token),
        "categories": client.get(f"/v1/merchants/{shop.merchant_id}/categories", headers=auth),
        "create": post_item(client, shop, item_body(), token=token),
    }


@pytest.mark.parametrize("who", ["owner", "cashier"])
def test_another_merchants_people_get_404_for_everything(
    client: TestClient, shop: Shop, other_shop: Shop, who: str
) -> None:
    item = new_item(client, shop)
    for call, response in every_call(client, shop, item, getattr(other_shop, who)).items():
        assert response.status_code == 404, (call, response.text)
        assert response.json()["code"] == "not_found"
    assert client.get(f"/v1/items/{item['id']}", headers=headers(shop.owner)).json() == item


def test_the_merchants_cashier_reads_but_does_not_change(client: TestClient, shop: Shop) -> None:
    item = new_item(client, shop)
    statuses = {call: r.status_code for call, r in every_call(client, shop, item, shop.cashier).items()}
    assert statuses == {
        "get": 200,
        "list": 200,
        "categories": 200,
        "patch": 403,
        "archive": 403,
        "unarchive": 403,
        "create": 403,
    }


def test_bank_staff_read_every_merchants_goods_but_do_not_change_them(
    client: TestClient, db: Database, settings: Settings, shop: Shop
) -> None:
    item = new_item(client, shop)
    teller = staff_token(client, db, settings, Role.TELLER)
    statuses = {call: r.status_code for call, r in every_call(client, shop, item, teller).items()}
    assert statuses == {
        "get": 200,
        "list": 200,
        "categories": 200,
        "patch": 403,
        "archive": 403,
        "unarchive": 403,
        "create": 403,
    }


def test_customers_and_strangers_are_kept_out(client: TestClient, shop: Shop) -> None:
    item = new_item(client, shop)
    _, customer = signup_customer(client)
    assert {r.status_code for r in every_call(client, shop, item, customer).values()} == {403}
    assert client.get(f"/v1/items/{item['id']}").status_code == 401


def test_unknown_merchant_is_not_found(client: TestClient, shop: Shop) -> None:
    ghost = Shop(merchant_id="mer_nothing", owner=shop.owner, cashier=shop.cashier)
    assert list_items(client, ghost).status_code == 404
    assert post_item(client, ghost).status_code == 404
