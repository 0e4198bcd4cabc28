"""Goods for the catalog tests: item bodies, API calls, and looks into stock, audit and outbox rows."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import select

from finlife.audit.models import AuditEvent
from finlife.catalog import service as catalog
from finlife.catalog.models import Variation
from finlife.kit.db import Database
from finlife.kit.outbox import OutboxEvent
from tests.factories import headers

_skus = itertools.count(1)


@dataclass(frozen=True)
class Shop:
    """One approved merchant and its people's logins."""

    merchant_id: str
    owner: str  # token
    cashier: str  # token of a cashier of this merchant


def sku() -> str:
    return f"SKU-{next(_skus):05d}"


def variation(
    *, name: str = "标准", price: int = 1800, stock: int | None = None, code: str | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"name": name, "sku": code or sku(), "price": price}
    if stock is not None:
        body["stock"] = stock
    return body


def item_body(
    *,
    name: str = "拿铁咖啡",
    category: str = "咖啡",
    description: str | None = None,
    variations: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": name,
        "category": category,
        "variations": [variation()] if variations is None else variations,
    }
    if description is not None:
        body["description"] = description
    return body


def post_item(
    client: TestClient, shop: Shop, body: dict[str, Any] | None = None, *, token: str | None = None
) -> httpx.Response:
    return client.post(
        f"/v1/merchants/{shop.merchant_id}/items",
        json=body or item_body(),
        headers=headers(token or shop.owner),
    )


def new_item(client: TestClient, shop: Shop, **fields: Any) -> dict[str, Any]:
    """Create an item through the API as the owner; returns the item."""
    response = post_item(client, shop, item_body(**fields))
    assert response.status_code == 201, response.text
    item: dict[str, Any] = response.json()
    return item


def list_items(client: TestClient, shop: Shop, token: str | None = None, **query: Any) -> httpx.Response:
    return client.get(
        f"/v1/merchants/{shop.merchant_id}/items", params=query, headers=headers(token or shop.owner)
    )


def stock_of(db: Database, variation_id: str) -> int | None:
    with db.unit_of_work() as session:
        stock: int | None = session.execute(
            select(Variation.stock).where(Variation.public_id == variation_id)
        ).scalar_one()
        return stock


def facts(db: Database, variation_id: str) -> Any:
    with db.unit_of_work() as session:
        return catalog.variation_facts(session, [variation_id])[variation_id]


def audit_actions(db: Database, subject_id: str) -> list[str]:
    with db.unit_of_work() as session:
        rows = session.execute(
            select(AuditEvent.action).where(AuditEvent.subject_id == subject_id).order_by(AuditEvent.id)
        ).scalars()
        return list(rows)


def outbox_payloads(db: Database, event_type: str) -> list[dict[str, Any]]:
    with db.unit_of_work() as session:
        rows = session.execute(
            select(OutboxEvent.payload).where(OutboxEvent.type == event_type).order_by(OutboxEvent.id)
        ).scalars()
        return list(rows)
