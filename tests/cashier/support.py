"""A till for the cashier tests: a merchant with a store, a terminal, a cashier and goods, built through
the merchants and catalog APIs; order and shift calls; looks into audit, outbox and stock rows."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from finlife.cashier import service as cashier
from finlife.cashier.models import Order
from finlife.cashier.schemas import OrderOut
from finlife.kit.db import Database
from finlife.kit.outbox import OutboxEvent
from finlife.settings import Settings
from tests.catalog.support import item_body, variation
from tests.factories import add_cashier, add_store, approved_merchant, headers

_terminals = itertools.count(1)
_payments = itertools.count(1)


@dataclass(frozen=True)
class Till:
    """An approved merchant's store with one terminal; tokens of its owner and of the store's cashier."""

    merchant_id: str
    owner: str
    cashier: str
    store_id: str
    terminal_id: str


def pos(token: str, **extra: str) -> dict[str, str]:
    """A seller's request: the cashier's token is bound to pos, the owner's to web."""
    return headers(token, **extra)


def add_terminal(client: TestClient, owner: str, store_id: str) -> str:
    terminal_id = f"C{next(_terminals):07d}"
    response = client.post(
        f"/v1/stores/{store_id}/terminals", json={"terminal_id": terminal_id}, headers=headers(owner)
    )
    assert response.status_code == 201, response.text
    return terminal_id


def open_till(
    client: TestClient, db: Database, settings: Settings, *, name: str = "上海好味餐饮有限公司"
) -> Till:
    logins = approved_merchant(client, db, settings, legal_name=name)
    store_id = add_store(client, logins.owner, logins.merchant_id, name="徐家汇店")
    terminal_id = add_terminal(client, logins.owner, store_id)
    cashier_token = add_cashier(client, logins.owner, logins.merchant_id, [store_id])
    return Till(logins.merchant_id, logins.owner, cashier_token, store_id, terminal_id)


def goods(client: TestClient, till: Till, *variations: dict[str, Any], name: str = "拿铁咖啡") -> list[str]:
    """An item of the till's merchant with the given variations (default: one at ¥18.00); their ids."""
    response = client.post(
        f"/v1/merchants/{till.merchant_id}/items",
        json=item_body(name=name, variations=list(variations) or [variation()]),
        headers=headers(till.owner),
    )
    assert response.status_code == 201, response.text
    return [v["id"] for v in response.json()["variations"]]


def order_body(till: Till, lines: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"store_id": till.store_id, "terminal_id": till.terminal_id, "lines": lines, **extra}


def post_order(
    client: TestClient, till: Till, lines: list[dict[str, Any]], *, token: str | None = None, **extra: Any
) -> httpx.Response:
    return client.post(
        "/v1/orders",
        json=order_body(till, lines, **extra),
        headers=pos(token or till.cashier, **{"Idempotency-Key": str(uuid.uuid4())}),
    )


def new_order(client: TestClient, till: Till, lines: list[dict[str, Any]]) -> dict[str, Any]:
    response = post_order(client, till, lines)
    assert response.status_code == 201, response.text
    order: dict[str, Any] = response.json()
    return order


def pay(db: Database, order_id: str, amount: int, *, payment_id: str | None = None) -> OrderOut:
    """What the payments module does when a tender succeeds."""
    with db.unit_of_work() as session:
        return cashier.apply_payment(
            session, order_id, amount=amount, payment_id=payment_id or f"pay_test{next(_payments):08d}"
        )


def open_shift(
    client: TestClient, till: Till, *, opening_float: int = 50_000, token: str | None = None
) -> httpx.Response:
    return client.post(
        f"/v1/stores/{till.store_id}/shifts",
        json={"terminal_id": till.terminal_id, "opening_float": opening_float},
        headers=pos(token or till.cashier),
    )


def move_cash(
    client: TestClient, token: str, shift_id: str, kind: str, amount: int, reason: str = "找零备用金"
) -> httpx.Response:
    return client.post(
        f"/v1/shifts/{shift_id}/cash-movements",
        json={"kind": kind, "amount": amount, "reason": reason},
        headers=pos(token, **{"Idempotency-Key": str(uuid.uuid4())}),
    )


def order_count(db: Database) -> int:
    with db.unit_of_work() as session:
        return session.execute(select(func.count()).select_from(Order)).scalar_one()


def event_count(db: Database) -> int:
    with db.unit_of_work() as session:
        return session.execute(select(func.count()).select_from(OutboxEvent)).scalar_one()
