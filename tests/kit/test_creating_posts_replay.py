"""Every POST that creates something honours an Idempotency-Key when one is sent: the same key and
body answer the first answer again and create nothing; the same key with another body is refused."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from finlife.kit.auth import Role
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.catalog.support import item_body
from tests.factories import (
    PASSWORD,
    add_cashier,
    add_store,
    applicant,
    approved_merchant,
    credit_code,
    headers,
    merchant_body,
    resident_id,
    signup_customer,
    staff_token,
    store_body,
    unique_phone,
    verify_in_person,
)
from tests.marketing.support import campaign_body

_numbers = itertools.count(1)


@dataclass(frozen=True)
class Creation:
    """One creating POST: where, as whom, a body, another body, and the table its thing lands in."""

    path: str
    token: str | None
    body: dict[str, Any]
    other: dict[str, Any] | None  # None: a body with nothing to choose has no other
    table: str
    channel: str | None = None  # None: the token's own channel


Setup = Callable[[TestClient, Database, Settings], Creation]


def _signup(client: TestClient, db: Database, settings: Settings) -> Creation:
    body = {"phone": unique_phone(), "password": PASSWORD, "name": "李四"}
    return Creation("/v1/signup", None, body, body | {"password": "another-horse-9"}, "customers")


def _customer(client: TestClient, db: Database, settings: Settings) -> Creation:
    teller = staff_token(client, db, settings, Role.TELLER)
    body = {"name": "王五", "phone": unique_phone(), "id_number": resident_id()}
    return Creation("/v1/customers", teller, body, body | {"name": "王六"}, "customers", "branch")


def _account(client: TestClient, db: Database, settings: Settings) -> Creation:
    customer_id, _ = signup_customer(client, name="赵七")
    verify_in_person(client, db, settings, customer_id, name="赵七", id_number=resident_id())
    teller = staff_token(client, db, settings, Role.TELLER)
    body = {"customer_id": customer_id, "class": "I"}
    return Creation("/v1/accounts", teller, body, body | {"currency": "USD"}, "deposit_accounts", "branch")


def _card(client: TestClient, db: Database, settings: Settings) -> Creation:
    person = applicant(client, db, settings)
    path = f"/v1/accounts/{person.account_id}/cards"
    return Creation(path, person.token, {"pin": "135790"}, {"pin": "246802"}, "debit_cards")


def _merchant(client: TestClient, db: Database, settings: Settings) -> Creation:
    person = applicant(client, db, settings)
    body = merchant_body(person.account_id)
    return Creation("/v1/merchants", person.token, body, body | {"credit_code": credit_code()}, "merchants")


def _store(client: TestClient, db: Database, settings: Settings) -> Creation:
    shop = approved_merchant(client, db, settings)
    path = f"/v1/merchants/{shop.merchant_id}/stores"
    return Creation(path, shop.owner, store_body(), store_body(name="静安店"), "stores")


def _staff(client: TestClient, db: Database, settings: Settings) -> Creation:
    shop = approved_merchant(client, db, settings)
    store_id = add_store(client, shop.owner, shop.merchant_id)
    body = {
        "username": f"till{next(_numbers)}",
        "password": PASSWORD,
        "name": "收银员",
        "store_ids": [store_id],
    }
    path = f"/v1/merchants/{shop.merchant_id}/staff"
    return Creation(path, shop.owner, body, body | {"password": "another-horse-9"}, "users")


def _terminal(client: TestClient, db: Database, settings: Settings) -> Creation:
    shop = approved_merchant(client, db, settings)
    store_id = add_store(client, shop.owner, shop.merchant_id)
    path = f"/v1/stores/{store_id}/terminals"
    # The bank assigns the id: the body has nothing to choose, so there is no other body to refuse.
    return Creation(path, shop.owner, {}, None, "terminals")


def _device(client: TestClient, db: Database, settings: Settings) -> Creation:
    admin = staff_token(client, db, settings, Role.BANK_ADMIN)
    body = {"kind": "atm", "branch": "SH001", "label": "大堂"}
    return Creation("/v1/devices", admin, body, body | {"label": "二楼"}, "devices")


def _payment_code(client: TestClient, db: Database, settings: Settings) -> Creation:
    person = applicant(client, db, settings)
    body = {"account_id": person.account_id}
    return Creation("/v1/payment-codes", person.token, body, {"account_id": "acc_another"}, "payment_codes")


def _item(client: TestClient, db: Database, settings: Settings) -> Creation:
    shop = approved_merchant(client, db, settings)
    path = f"/v1/merchants/{shop.merchant_id}/items"
    return Creation(path, shop.owner, item_body(), item_body(name="美式咖啡"), "catalog_items")


def _shift(client: TestClient, db: Database, settings: Settings) -> Creation:
    shop = approved_merchant(client, db, settings)
    store_id = add_store(client, shop.owner, shop.merchant_id)
    bound = client.post(f"/v1/stores/{store_id}/terminals", json={}, headers=headers(shop.owner))
    assert bound.status_code == 201, bound.text
    terminal = bound.json()["terminal_id"]
    cashier = add_cashier(client, shop.owner, shop.merchant_id, [store_id])
    body = {"terminal_id": terminal, "opening_float": 50_000}
    path = f"/v1/stores/{store_id}/shifts"
    return Creation(path, cashier, body, body | {"opening_float": 20_000}, "cashier_shifts")


def _campaign(client: TestClient, db: Database, settings: Settings) -> Creation:
    shop = approved_merchant(client, db, settings)
    body = campaign_body()
    return Creation("/v1/campaigns", shop.owner, body, campaign_body(stock=50), "marketing_campaigns")


def _district(client: TestClient, db: Database, settings: Settings) -> Creation:
    marketer = staff_token(client, db, settings, Role.BRANCH_MARKETING)
    body = {
        "name": "人民广场商圈",
        "centre": {"latitude": "31.232", "longitude": "121.475"},
        "radius_m": 1_500,
    }
    return Creation("/v1/districts", marketer, body, body | {"radius_m": 900}, "marketing_districts")


def _share(client: TestClient, db: Database, settings: Settings) -> Creation:
    shop = approved_merchant(client, db, settings)
    first = add_store(client, shop.owner, shop.merchant_id)
    second = add_store(client, shop.owner, shop.merchant_id, name="静安店")
    _, token = signup_customer(client)
    return Creation("/v1/life/shares", token, {"store_id": first}, {"store_id": second}, "life_shares")


def _bank(client: TestClient, db: Database, settings: Settings) -> Creation:
    admin = staff_token(client, db, settings, Role.BANK_ADMIN)
    body = {"code": f"B{next(_numbers):05d}", "name": "中信测试银行"}
    return Creation("/v1/banks", admin, body, body | {"name": "另一家银行"}, "interbank_banks")


CREATIONS: dict[str, Setup] = {
    "signup": _signup,
    "customer": _customer,
    "account": _account,
    "card": _card,
    "merchant": _merchant,
    "store": _store,
    "staff": _staff,
    "terminal": _terminal,
    "device": _device,
    "payment_code": _payment_code,
    "item": _item,
    "shift": _shift,
    "campaign": _campaign,
    "district": _district,
    "share": _share,
    "bank": _bank,
}


def _count(db: Database, table: str) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one())


def _identity(answer: dict[str, Any]) -> Any:
    return answer.get("id", answer.get("code"))  # a bank is known by its code


@pytest.mark.parametrize("name", sorted(CREATIONS))
def test_a_replay_returns_the_first_answer_and_creates_nothing(
    name: str, client: TestClient, db: Database, settings: Settings
) -> None:
    creation = CREATIONS[name](client, db, settings)
    sent = headers(creation.token, channel=creation.channel, **{"Idempotency-Key": f"create-{name}"})
    before = _count(db, creation.table)
    first = client.post(creation.path, json=creation.body, headers=sent)
    assert first.status_code == 201, first.text
    created = _count(db, creation.table)
    assert created > before
    again = client.post(creation.path, json=creation.body, headers=sent)
    assert again.status_code == 201, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _identity(again.json()) == _identity(first.json())
    assert _count(db, creation.table) == created
    if creation.other is not None:
        other = client.post(creation.path, json=creation.other, headers=sent)
        assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")
        assert _count(db, creation.table) == created
