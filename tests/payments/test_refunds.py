"""Refunds back to the original tenders, newest first, never more than was paid."""

from __future__ import annotations

from fastapi.testclient import TestClient

from finlife.kit.db import Database
from tests.accounts.support import Bank
from tests.cashier.support import Till, goods, new_order, pos
from tests.catalog.support import stock_of, variation
from tests.merchants.support import audit_of
from tests.payments.support import (
    card,
    cash,
    cash_sales,
    order_of,
    order_qr,
    pay_qr,
    payer,
    payment_code,
    pending_balance,
    refund,
    shift_of,
    tender,
    trial_balance_total,
)


def _paid_split(client: TestClient, bank: Bank, till: Till) -> tuple[str, str, str]:
    """An order of ¥100.00 paid ¥40 cash then ¥60 card; (order, shift, card account)."""
    shift_id = shift_of(client, till, opening_float=10_000)
    who = payer(bank, 100_000)
    order_id = order_of(client, till, 10_000)
    assert tender(client, till, order_id, cash(4_000)).status_code == 201
    assert tender(client, till, order_id, card(who, 6_000)).status_code == 201
    return order_id, shift_id, who.account_id


def test_a_refund_goes_back_to_the_newest_tender_first(
    client: TestClient, db: Database, bank: Bank, till: Till
) -> None:
    order_id, shift_id, account_id = _paid_split(client, bank, till)
    first = refund(client, till, order_id, 5_000)
    assert first.status_code == 201, first.text
    assert [(p["method"], p["amount"]) for p in first.json()["parts"]] == [("card", 5_000)]
    assert bank.balance(account_id) == 100_000 - 6_000 + 5_000
    assert pending_balance(db, till.merchant_id) == 1_000
    second = refund(client, till, order_id, 3_000)
    assert [(p["method"], p["amount"]) for p in second.json()["parts"]] == [("card", 1_000), ("cash", 2_000)]
    assert second.json()["order_refunded"] == 8_000
    assert bank.balance(account_id) == 100_000
    assert pending_balance(db, till.merchant_id) == 0
    assert cash_sales(db, till.merchant_id) == 2_000
    shift = client.get(f"/v1/shifts/{shift_id}", headers=pos(till.cashier)).json()
    assert shift["expected_cash"] == 10_000 + 4_000 - 2_000
    listed = client.get(f"/v1/orders/{order_id}/payments", headers=pos(till.cashier)).json()["data"]
    assert [(p["method"], p["refunded"]) for p in listed] == [("cash", 2_000), ("card", 6_000)]
    assert [action for action, _ in audit_of(db, second.json()["id"])] == ["refund.completed"]
    assert trial_balance_total(db) == 0


def test_never_more_than_was_paid(client: TestClient, db: Database, bank: Bank, till: Till) -> None:
    order_id, _, account_id = _paid_split(client, bank, till)
    assert refund(client, till, order_id, 9_000).status_code == 201
    over = refund(client, till, order_id, 1_001)
    assert over.status_code == 422
    assert over.json()["code"] == "refund_exceeds_paid"
    assert refund(client, till, order_id, 1_000).status_code == 201
    assert refund(client, till, order_id, 1).json()["code"] == "refund_exceeds_paid"
    assert bank.balance(account_id) == 100_000
    assert cash_sales(db, till.merchant_id) == 0
    assert trial_balance_total(db) == 0


def test_a_cash_refund_needs_an_open_shift(client: TestClient, db: Database, bank: Bank, till: Till) -> None:
    order_id, shift_id, _ = _paid_split(client, bank, till)
    closed = client.post(
        f"/v1/shifts/{shift_id}/close", json={"counted_cash": 14_000}, headers=pos(till.cashier)
    )
    assert closed.status_code == 200, closed.text
    # The card part alone needs no drawer.
    assert refund(client, till, order_id, 6_000).status_code == 201
    response = refund(client, till, order_id, 1)
    assert (response.status_code, response.json()["code"]) == (409, "no_open_shift")
    assert cash_sales(db, till.merchant_id) == 4_000


def test_qr_and_payment_code_tenders_go_back_to_the_customers_account(
    client: TestClient, db: Database, bank: Bank, till: Till
) -> None:
    who = payer(bank, 100_000)
    order_id = order_of(client, till, 3_000)
    code = payment_code(client, who).json()["code"]
    assert (
        tender(client, till, order_id, {"method": "payment_code", "amount": 1_000, "code": code}).status_code
        == 201
    )
    assert pay_qr(client, who, order_qr(client, till, order_id)).status_code == 201
    done = refund(client, till, order_id, 3_000)
    assert done.status_code == 201, done.text
    assert [(p["method"], p["amount"]) for p in done.json()["parts"]] == [
        ("qr_merchant", 2_000),
        ("payment_code", 1_000),
    ]
    assert bank.balance(who.account_id) == 100_000
    assert trial_balance_total(db) == 0


def test_refunded_lines_go_back_to_stock(client: TestClient, bank: Bank, till: Till) -> None:
    who = payer(bank, 100_000)
    (latte,) = goods(client, till, variation(price=1_800, stock=5))
    order_id = new_order(client, till, [{"variation_id": latte, "quantity": 2}])["id"]
    assert tender(client, till, order_id, card(who, 3_600)).status_code == 201
    assert stock_of(bank.db, latte) == 3
    done = refund(client, till, order_id, 1_800, lines=[{"variation_id": latte, "quantity": 1}])
    assert done.status_code == 201, done.text
    assert stock_of(bank.db, latte) == 4


def test_an_open_order_cannot_be_refunded_and_a_retry_refunds_once(
    client: TestClient, bank: Bank, till: Till
) -> None:
    who = payer(bank, 100_000)
    order_id = order_of(client, till, 2_000)
    assert tender(client, till, order_id, card(who, 1_000)).status_code == 201
    assert refund(client, till, order_id, 500).json()["code"] == "order_not_paid"
    assert tender(client, till, order_id, card(who, 1_000)).status_code == 201
    first = refund(client, till, order_id, 500, key="refund-once")
    again = refund(client, till, order_id, 500, key="refund-once")
    assert first.json() == again.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert bank.balance(who.account_id) == 100_000 - 2_000 + 500


def test_only_the_stores_sellers_refund(client: TestClient, bank: Bank, till: Till) -> None:
    order_id, _, _ = _paid_split(client, bank, till)
    stranger = payer(bank, 0)
    response = client.post(
        f"/v1/orders/{order_id}/refunds",
        json={"amount": 1, "reason": "x"},
        headers=pos(bank.teller, **{"Idempotency-Key": "k"}),
    )
    assert response.status_code == 403
    response = client.post(
        f"/v1/orders/{order_id}/refunds",
        json={"amount": 1, "reason": "x"},
        headers=pos(stranger.token, **{"Idempotency-Key": "k"}),
    )
    assert response.status_code == 403
    owner = client.post(
        f"/v1/orders/{order_id}/refunds",
        json={"amount": 1, "reason": "x"},
        headers=pos(till.owner, **{"Idempotency-Key": "k"}),
    )
    assert owner.status_code == 201
