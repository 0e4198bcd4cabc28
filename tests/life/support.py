"""Shops placed on the map for the life tests, built through the merchants, catalog and cashier APIs;
paid orders come from the payments helpers (a card drawn on the payer's own account, or cash)."""

from __future__ import annotations

import itertools
from typing import Any

import httpx
from fastapi.testclient import TestClient

from finlife.kit.db import Database
from finlife.settings import Settings
from tests.cashier.support import Till, add_terminal, goods
from tests.catalog.support import variation
from tests.factories import add_cashier, add_store, approved_merchant, headers
from tests.payments.support import Payer, card, cash, order_of, shift_of, tender

PEOPLES_SQUARE = ("31.232000", "121.475000")
THE_BUND = ("31.237800", "121.487500")  # ≈ 1.35 km east-north-east of People's Square
XUJIAHUI = ("31.194500", "121.437000")  # ≈ 5.6 km south-west

_names = itertools.count(1)


def shop(
    client: TestClient,
    db: Database,
    settings: Settings,
    *,
    at: tuple[str, str],
    name: str = "南京东路店",
    legal_name: str | None = None,
    **store: Any,
) -> Till:
    """An approved merchant with one store at ``at``, a terminal and a cashier."""
    logins = approved_merchant(
        client, db, settings, legal_name=legal_name or f"上海生活商户{next(_names)}有限公司"
    )
    store_id = add_store(
        client, logins.owner, logins.merchant_id, name=name, latitude=at[0], longitude=at[1], **store
    )
    terminal_id = add_terminal(client, logins.owner, store_id)
    cashier_token = add_cashier(client, logins.owner, logins.merchant_id, [store_id])
    return Till(logins.merchant_id, logins.owner, cashier_token, store_id, terminal_id)


def sells(client: TestClient, till: Till, name: str, price: int) -> None:
    goods(client, till, variation(price=price), name=name)


def card_paid_order(client: TestClient, till: Till, who: Payer, amount: int = 8_800) -> str:
    order_id = order_of(client, till, amount)
    response = tender(client, till, order_id, card(who, amount))
    assert response.status_code == 201, response.text
    return order_id


def cash_paid_order(client: TestClient, till: Till, amount: int = 8_800) -> str:
    shift_of(client, till)
    order_id = order_of(client, till, amount)
    response = tender(client, till, order_id, cash(amount))
    assert response.status_code == 201, response.text
    return order_id


def review(
    client: TestClient, token: str, store_id: str, order_id: str, rating: int = 5, text: str = "好吃"
) -> httpx.Response:
    return client.post(
        f"/v1/life/stores/{store_id}/reviews",
        json={"order_id": order_id, "rating": rating, "text": text},
        headers=headers(token),
    )


def discover(client: TestClient, **query: Any) -> list[dict[str, Any]]:
    response = client.get("/v1/life/merchants", params=query, headers={"X-Channel": "mobile"})
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found
