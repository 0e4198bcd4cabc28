"""Real concurrency on PostgreSQL: an order is settled once, refunds never pass what was paid, and a
payment code pays once, whatever the interleaving of requests."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from finlife.kit.db import Database
from tests.accounts.support import Bank
from tests.cashier.support import Till, pos
from tests.factories import add_cashier
from tests.payments.support import (
    card,
    order_of,
    payer,
    payment_code,
    pending_balance,
    refund,
    tender,
    trial_balance_total,
)

pytestmark = pytest.mark.postgres_only


def test_two_cashiers_paying_one_order_at_once_settle_it_once(
    client: TestClient, db: Database, bank: Bank, till: Till
) -> None:
    second_cashier = add_cashier(client, till.owner, till.merchant_id, [till.store_id])
    payers = [payer(bank, 50_000), payer(bank, 50_000)]
    order_id = order_of(client, till, 30_000)
    start = threading.Barrier(2)

    def pay(index: int) -> int:
        start.wait()
        token = (till.cashier, second_cashier)[index]
        return tender(client, till, order_id, card(payers[index], 30_000), token=token).status_code

    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = sorted(pool.map(pay, range(2)))
    assert statuses == [201, 409]
    assert sorted(bank.balance(p.account_id) for p in payers) == [20_000, 50_000]
    assert pending_balance(db, till.merchant_id) == 30_000
    order = client.get(f"/v1/orders/{order_id}", headers=pos(till.cashier)).json()
    assert (order["status"], order["paid"]) == ("paid", 30_000)
    assert trial_balance_total(db) == 0


def test_concurrent_refunds_never_exceed_what_was_paid(
    client: TestClient, db: Database, bank: Bank, till: Till
) -> None:
    who = payer(bank, 50_000)
    order_id = order_of(client, till, 10_000)
    assert tender(client, till, order_id, card(who, 10_000)).status_code == 201
    start = threading.Barrier(6)

    def give_back(_: int) -> int:
        start.wait()
        return refund(client, till, order_id, 4_000, key=str(uuid.uuid4())).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = sorted(pool.map(give_back, range(6)))
    assert statuses == [201, 201, 422, 422, 422, 422]
    order = client.get(f"/v1/orders/{order_id}", headers=pos(till.cashier)).json()
    assert order["refunded"] == 8_000
    assert bank.balance(who.account_id) == 50_000 - 10_000 + 8_000
    assert pending_balance(db, till.merchant_id) == 2_000
    assert trial_balance_total(db) == 0


def test_a_payment_code_scanned_twice_at_once_pays_once(
    client: TestClient, db: Database, bank: Bank, till: Till
) -> None:
    who = payer(bank, 50_000)
    code = payment_code(client, who).json()["code"]
    orders = [order_of(client, till, 1_000), order_of(client, till, 1_000)]
    start = threading.Barrier(2)

    def scan(index: int) -> int:
        start.wait()
        body = {"method": "payment_code", "amount": 1_000, "code": code}
        return tender(client, till, orders[index], body).status_code

    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = sorted(pool.map(scan, range(2)))
    assert statuses == [201, 422]
    assert bank.balance(who.account_id) == 49_000
    assert trial_balance_total(db) == 0
