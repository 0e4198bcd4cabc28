"""A merchant for the merchant-console page tests: approved through the API, an owner and a cashier
signed in to /merchant through its sign-in page, as people would be."""

from __future__ import annotations

import hashlib
import hmac
import itertools
from dataclasses import dataclass

from fastapi.testclient import TestClient

from finlife.kit.auth import TOKEN_COOKIE
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.factories import PASSWORD, add_store, approved_merchant, headers
from tests.web.forms import signed_in

_cashiers = itertools.count(1)


@dataclass(frozen=True)
class Shop:
    merchant_id: str
    owner_token: str  # API token of the owner, for setting things up
    owner: TestClient  # a browser signed in to /merchant as the owner
    store_id: str  # the cashier's store
    other_store_id: str  # a store the cashier does not work in
    cashier: TestClient
    cashier_username: str


def add_cashier(client: TestClient, owner_token: str, merchant_id: str, store_ids: list[str]) -> str:
    """A cashier login for the given stores, through the API; returns its username."""
    username = f"kasse{next(_cashiers)}"
    body = {"username": username, "password": PASSWORD, "name": "收银员小李", "store_ids": store_ids}
    response = client.post(f"/v1/merchants/{merchant_id}/staff", json=body, headers=headers(owner_token))
    assert response.status_code == 201, response.text
    return username


def open_shop(
    client: TestClient, db: Database, settings: Settings, *, legal_name: str = "上海好味餐饮有限公司"
) -> Shop:
    logins = approved_merchant(client, db, settings, legal_name=legal_name)
    store_id = add_store(client, logins.owner, logins.merchant_id)
    other_store_id = add_store(client, logins.owner, logins.merchant_id, name="静安寺店", district="静安区")
    username = add_cashier(client, logins.owner, logins.merchant_id, [store_id])
    return Shop(
        merchant_id=logins.merchant_id,
        owner_token=logins.owner,
        owner=signed_in(client, "merchant", logins.owner_username),
        store_id=store_id,
        other_store_id=other_store_id,
        cashier=signed_in(client, "merchant", username),
        cashier_username=username,
    )


def own_token(visitor: TestClient, settings: Settings, action: str) -> str:
    """The CSRF token this browser's session would carry for ``action``: a hand-made request by a
    signed-in person to a form no page showed them (tenancy must hold behind the token)."""
    seed = visitor.cookies.get(TOKEN_COOKIE)
    assert seed
    return hmac.new(settings.secret_key.encode(), f"{seed}|{action}".encode(), hashlib.sha256).hexdigest()
