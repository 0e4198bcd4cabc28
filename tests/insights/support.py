"""A customer who has done something on every channel, for the insights tests: signed up on mobile,
verified and given an account at the branch, paid by card at a till, claimed a coupon in the app,
reviewed the store — all through the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from fastapi.testclient import TestClient

from finlife.kit.auth import Role
from tests.cashier.support import Till
from tests.factories import headers
from tests.life.campaigns import claim, live_campaign
from tests.life.support import card_paid_order, review
from tests.payments.support import Payer

REASON = {"reason": "客户来电查询"}


@dataclass(frozen=True)
class Busy:
    who: Payer
    order_id: str
    coupon_id: str


def busy_customer(client: TestClient, till: Till, who: Payer) -> Busy:
    order_id = card_paid_order(client, till, who, amount=12_300)
    campaign_id = live_campaign(client, till)
    claimed = claim(client, who.token, campaign_id)
    assert claimed.status_code == 201, claimed.text
    written = review(client, who.token, till.store_id, order_id, rating=5)
    assert written.status_code == 201, written.text
    return Busy(who, order_id, claimed.json()["id"])


def view(client: TestClient, token: str, customer_id: str, **params: Any) -> httpx.Response:
    return client.get(f"/v1/customers/{customer_id}/view", params=params, headers=headers(token))


def timeline(client: TestClient, token: str, customer_id: str, **params: Any) -> httpx.Response:
    return client.get(f"/v1/customers/{customer_id}/timeline", params=params, headers=headers(token))


def whole_timeline(client: TestClient, token: str, customer_id: str, **params: Any) -> list[dict[str, Any]]:
    """Every line, page after page, following the cursor."""
    lines: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        page = timeline(client, token, customer_id, **params, **({"cursor": cursor} if cursor else {}))
        assert page.status_code == 200, page.text
        body = page.json()
        lines += body["data"]
        if not body["has_more"]:
            return lines
        cursor = body["next_cursor"]


SERVING = (Role.TELLER, Role.BANK_ADMIN)
