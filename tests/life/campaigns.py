"""Coupons for the life tests: a merchant's own campaign (approved when submitted, no bank money),
claims in the customer's app, and the funnel the owner reads — all through the marketing API."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from fastapi.testclient import TestClient

from tests.cashier.support import Till
from tests.factories import headers


def live_campaign(client: TestClient, till: Till, **terms: Any) -> str:
    """A live ``value`` fen off campaign of the till's merchant (its stores, unless ``store_ids``)."""
    body: dict[str, Any] = {
        "name": "到店立减",
        "merchant_id": till.merchant_id,
        "kind": "fixed",
        "value": 500,
        "funding": {"merchant": 100},
        "budget": {"merchant": 1_000_000},
        "stock": 100,
        "per_customer_limit": 2,
        "valid_days": 30,
    } | terms
    created = client.post("/v1/campaigns", json=body, headers=headers(till.owner))
    assert created.status_code == 201, created.text
    campaign_id: str = created.json()["id"]
    submitted = client.post(f"/v1/campaigns/{campaign_id}/submit", headers=headers(till.owner))
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["status"] == "live", submitted.json()
    return campaign_id


def end(client: TestClient, till: Till, campaign_id: str) -> None:
    response = client.post(f"/v1/campaigns/{campaign_id}/end", headers=headers(till.owner))
    assert response.status_code == 200, response.text


def claim(
    client: TestClient, token: str, campaign_id: str, *, share_token: str | None = None
) -> httpx.Response:
    body = {} if share_token is None else {"share_token": share_token}
    return client.post(
        f"/v1/life/campaigns/{campaign_id}/claim",
        json=body,
        headers=headers(token, channel="mobile", **{"Idempotency-Key": str(uuid.uuid4())}),
    )


def funnel(client: TestClient, till: Till, campaign_id: str) -> dict[str, tuple[int, int]]:
    """(events, customers) of each step of the campaign's funnel, as its owner reads it."""
    response = client.get(f"/v1/campaigns/{campaign_id}/funnel", headers=headers(till.owner))
    assert response.status_code == 200, response.text
    return {step["step"]: (step["events"], step["customers"]) for step in response.json()["steps"]}
