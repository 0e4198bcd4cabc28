"""Cash tenders: change, the open shift's drawer, the merchant's own cash ledger pair, split tender."""

from __future__ import annotations

from fastapi.testclient import TestClient

from finlife.kit.db import Database
from tests.accounts.support import Bank
from tests.cashier.support import Till, pos
from tests.merchants.support import audit_of
from tests.payments.support import (
    card,
    cash,
    cash_sales,
    order_of,
    payer,
    pending_balance,
    shift_of,
    tender,
    trial_balance_total,
)


def test_cash_gives_change_and_goes_into_the_drawer(client: TestClient, db: Database, till: Till) -> None:
    shift_id = shift_of(client, till, opening_float=10_000)
    order_id = order_of(client, till, 3_650)
    response = tender(client, till, order_id, cash(3_650, tendered=5_000))
    assert response.status_code == 201, response.text
    paid = response.json()
    assert (paid["method"], paid["status"], paid["amount"]) == ("cash", "approved", 3_650)
    assert (paid["tendered"], paid["change"]) == (5_000, 1_350)
    assert (paid["order_status"], paid["order_paid"], paid["order_outstanding"]) == ("paid", 3_650, 0)
    assert paid["fee"] == {"issuer": 0, "network": 0, "acquirer": 0, "total": 0}
    shift = client.get(f"/v1/shifts/{shift_id}", headers=pos(till.cashier)).json()
    assert shift["expected_cash"] == 10_000 + 3_650
    # Cash never reaches the bank: the merchant's own pair books it, the pending account stays empty.
    assert cash_sales(db, till.merchant_id) == 3_650
    assert pending_balance(db, till.merchant_id) == 0
    assert [action for action, _ in audit_of(db, paid["id"])] == ["payment.approved"]
    assert trial_balance_total(db) == 0


def test_too_little_cash_is_refused(client: TestClient, till: Till) -> None:
    shift_of(client, till)
    order_id = order_of(client, till, 3_650)
    response = tender(client, till, order_id, cash(3_650, tendered=3_649))
    assert response.status_code == 422
    assert response.json()["code"] == "tendered_too_little"


def test_cash_needs_an_open_shift_on_the_orders_terminal(
    client: TestClient, db: Database, till: Till
) -> None:
    order_id = order_of(client, till, 1_000)
    response = tender(client, till, order_id, cash(1_000))
    assert response.status_code == 409
    assert response.json()["code"] == "no_open_shift"
    assert cash_sales(db, till.merchant_id) == 0


def test_cash_and_card_settle_one_order(client: TestClient, db: Database, bank: Bank, till: Till) -> None:
    shift_of(client, till)
    who = payer(bank, 100_000)
    order_id = order_of(client, till, 10_000)
    first = tender(client, till, order_id, cash(4_000, tendered=5_000))
    assert first.status_code == 201, first.text
    assert (first.json()["order_status"], first.json()["order_outstanding"]) == ("open", 6_000)
    second = tender(client, till, order_id, card(who, 6_000))
    assert second.status_code == 201, second.text
    assert (second.json()["order_status"], second.json()["order_paid"]) == ("paid", 10_000)
    assert bank.balance(who.account_id) == 94_000
    assert pending_balance(db, till.merchant_id) == 6_000
    assert cash_sales(db, till.merchant_id) == 4_000
    listed = client.get(f"/v1/orders/{order_id}/payments", headers=pos(till.cashier)).json()["data"]
    assert [(p["method"], p["amount"], p["change"]) for p in listed] == [
        ("cash", 4_000, 1_000),
        ("card", 6_000, None),
    ]
    assert listed[1]["card"] == f"{who.pan[:4]} **** **** {who.pan[-4:]}"
    # Once paid, nothing more is taken.
    third = tender(client, till, order_id, cash(1))
    assert third.status_code == 409
    assert third.json()["code"] == "order_not_open"
    assert trial_balance_total(db) == 0


def test_more_than_outstanding_is_refused(client: TestClient, till: Till) -> None:
    shift_of(client, till)
    order_id = order_of(client, till, 1_000)
    response = tender(client, till, order_id, cash(1_001))
    assert response.status_code == 422
    assert response.json()["code"] == "overpayment"


def test_a_retry_with_the_same_key_takes_the_cash_once(client: TestClient, db: Database, till: Till) -> None:
    shift_of(client, till)
    order_id = order_of(client, till, 2_000)
    first = tender(client, till, order_id, cash(1_000), key="cash-retry")
    again = tender(client, till, order_id, cash(1_000), key="cash-retry")
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert cash_sales(db, till.merchant_id) == 1_000


def test_the_receipt_prints_the_tenders_and_the_change(client: TestClient, bank: Bank, till: Till) -> None:
    shift_of(client, till)
    who = payer(bank, 100_000)
    order_id = order_of(client, till, 10_000)
    assert tender(client, till, order_id, cash(4_000, tendered=5_000)).status_code == 201
    assert tender(client, till, order_id, card(who, 6_000)).status_code == 201
    text = client.get(f"/v1/orders/{order_id}/receipt?format=text", headers=pos(till.cashier)).text
    assert "现金" in text and "银行卡" in text
    assert f"{who.pan[:4]} **** **** {who.pan[-4:]}" in text
    change = next(line for line in text.splitlines() if line.startswith("找零"))
    assert change.endswith("¥10.00")
