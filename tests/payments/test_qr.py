"""Merchant-presented QR: an order's dynamic code paid once by a customer, a store's static code with a
typed amount, payloads refused on a bad CRC, and the daily barcode limits at their boundaries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from finlife.kit import emvqr
from finlife.kit.clock import clock
from finlife.kit.db import Database
from tests.accounts.support import Bank
from tests.cashier.support import Till, pos
from tests.payments.support import (
    cash,
    order_of,
    order_qr,
    pay_qr,
    payer,
    pending_balance,
    shift_of,
    signed_in_again,
    tender,
    trial_balance_total,
)


@pytest.fixture(autouse=True)
def _morning() -> None:
    clock.freeze(datetime(2026, 3, 2, 1, 0, tzinfo=UTC))  # 09:00 in Shanghai


def _store_qr(client: TestClient, till: Till) -> str:
    response = client.get(f"/v1/stores/{till.store_id}/qr", headers=pos(till.cashier))
    assert response.status_code == 200, response.text
    payload: str = response.json()["payload"]
    return payload


def test_the_orders_dynamic_code_carries_the_outstanding_amount(client: TestClient, till: Till) -> None:
    shift_of(client, till)
    order_id = order_of(client, till, 5_000)
    assert tender(client, till, order_id, cash(1_250)).status_code == 201
    qr = emvqr.decode(order_qr(client, till, order_id))
    assert (qr.point_of_initiation, qr.amount, qr.currency, qr.mcc) == ("dynamic", 3_750, "156", "5812")
    account = qr.merchant_accounts["26"]
    assert not isinstance(account, str)
    assert account["00"] == "CN.FINLIFE" and account["01"].startswith("qrt_")
    assert qr.additional_data == {"01": order_id, "07": till.terminal_id}
    assert len(qr.merchant_name) <= 25 and len(qr.merchant_city) <= 15
    # Asked again, the same unused code comes back; as pictures too.
    assert emvqr.decode(order_qr(client, till, order_id)) == qr
    png = client.get(f"/v1/orders/{order_id}/qr.png", headers=pos(till.cashier))
    assert (png.status_code, png.headers["content-type"]) == (200, "image/png")
    assert png.content.startswith(b"\x89PNG")
    svg = client.get(f"/v1/orders/{order_id}/qr.svg", headers=pos(till.cashier))
    assert svg.text.startswith("<svg")


def test_a_customer_pays_the_dynamic_code_once(
    client: TestClient, db: Database, bank: Bank, till: Till
) -> None:
    who = payer(bank, 100_000)
    order_id = order_of(client, till, 4_200)
    payload = order_qr(client, till, order_id)
    paid = pay_qr(client, who, payload)
    assert paid.status_code == 201, paid.text
    body = paid.json()
    assert (body["method"], body["qr_kind"], body["amount"], body["order_status"]) == (
        "qr_merchant",
        "dynamic",
        4_200,
        "paid",
    )
    assert bank.balance(who.account_id) == 100_000 - 4_200
    assert pending_balance(db, till.merchant_id) == 4_200
    again = pay_qr(client, who, payload)
    assert (again.status_code, again.json()["code"]) == (409, "qr_code_used")
    assert bank.balance(who.account_id) == 100_000 - 4_200
    listed = client.get(f"/v1/orders/{order_id}/payments", headers=pos(till.cashier)).json()["data"]
    assert [(p["method"], p["status"]) for p in listed] == [("qr_merchant", "approved")]
    assert trial_balance_total(db) == 0


def test_a_code_for_an_amount_no_longer_outstanding_pays_nothing(
    client: TestClient, bank: Bank, till: Till
) -> None:
    shift_of(client, till)
    who = payer(bank, 100_000)
    order_id = order_of(client, till, 4_200)
    payload = order_qr(client, till, order_id)
    assert tender(client, till, order_id, cash(200)).status_code == 201
    stale = pay_qr(client, who, payload)
    assert (stale.status_code, stale.json()["code"]) == (422, "overpayment")
    assert bank.balance(who.account_id) == 100_000


def test_a_payload_with_a_bad_crc_or_not_ours_is_refused(client: TestClient, bank: Bank, till: Till) -> None:
    who = payer(bank, 100_000)
    payload = order_qr(client, till, order_of(client, till, 100))
    broken = payload[:-4] + ("0000" if not payload.endswith("0000") else "FFFF")
    response = pay_qr(client, who, broken)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_qr_payload"
    assert "crc_mismatch" in response.json()["detail"]
    other = emvqr.MerchantPresentedQr(
        point_of_initiation="dynamic",
        merchant_accounts={"26": {"00": "COM.EXAMPLE", "01": "x"}},
        mcc="5812",
        currency="156",
        merchant_name="ELSEWHERE",
        merchant_city="BEIJING",
        amount=100,
    )
    foreign = pay_qr(client, who, emvqr.encode(other))
    assert foreign.json()["code"] == "invalid_qr_payload"
    assert bank.balance(who.account_id) == 100_000


def test_a_customer_pays_only_from_their_own_account(client: TestClient, bank: Bank, till: Till) -> None:
    who, other = payer(bank, 100_000), payer(bank, 100_000)
    payload = order_qr(client, till, order_of(client, till, 100))
    response = client.post(
        "/v1/qr/payments",
        json={"payload": payload, "account_id": other.account_id},
        headers={"Authorization": f"Bearer {who.token}", "Idempotency-Key": "k1", "X-Channel": "mobile"},
    )
    assert response.status_code == 404
    assert bank.balance(other.account_id) == 100_000


def test_the_stores_static_code_is_paid_with_a_typed_amount(
    client: TestClient, db: Database, bank: Bank, till: Till
) -> None:
    who = payer(bank, 100_000)
    payload = _store_qr(client, till)
    qr = emvqr.decode(payload)
    assert (qr.point_of_initiation, qr.amount) == ("static", None)
    account = qr.merchant_accounts["26"]
    assert not isinstance(account, str) and account["01"] == till.store_id
    missing = pay_qr(client, who, payload)
    assert (missing.status_code, missing.json()["code"]) == (422, "amount_required")
    paid = pay_qr(client, who, payload, amount=2_345)
    assert paid.status_code == 201, paid.text
    body = paid.json()
    assert (body["qr_kind"], body["order_id"], body["store_id"], body["amount"]) == (
        "static",
        None,
        till.store_id,
        2_345,
    )
    assert pending_balance(db, till.merchant_id) == 2_345
    # A printed code is paid again and again.
    assert pay_qr(client, who, payload, amount=55).status_code == 201
    assert trial_balance_total(db) == 0


def test_static_codes_stop_at_500_cny_a_day(client: TestClient, bank: Bank, till: Till) -> None:
    who = payer(bank, 200_000)
    payload = _store_qr(client, till)
    assert pay_qr(client, who, payload, amount=30_000).status_code == 201
    assert pay_qr(client, who, payload, amount=20_000).status_code == 201
    over = pay_qr(client, who, payload, amount=1)
    assert over.status_code == 422
    assert (over.json()["code"], over.json()["qr_kind"], over.json()["remaining"]) == (
        "qr_limit_exceeded",
        "static",
        0,
    )
    # Dynamic codes have their own limit; the next business day starts afresh.
    assert pay_qr(client, who, order_qr(client, till, order_of(client, till, 100))).status_code == 201
    clock.advance(timedelta(hours=15))  # 00:00 in Shanghai
    assert pay_qr(client, signed_in_again(bank, who), payload, amount=1).status_code == 201


def test_dynamic_codes_stop_at_1000_cny_a_day(client: TestClient, bank: Bank, till: Till) -> None:
    who = payer(bank, 300_000)
    assert pay_qr(client, who, order_qr(client, till, order_of(client, till, 60_000))).status_code == 201
    assert pay_qr(client, who, order_qr(client, till, order_of(client, till, 40_000))).status_code == 201
    payload = order_qr(client, till, order_of(client, till, 1))
    over = pay_qr(client, who, payload)
    assert over.status_code == 422
    assert (over.json()["code"], over.json()["qr_kind"]) == ("qr_limit_exceeded", "dynamic")
    assert bank.balance(who.account_id) == 200_000
    # The refused payment left the order open and the code unused: tomorrow it pays.
    clock.advance(timedelta(days=1))
    assert pay_qr(client, signed_in_again(bank, who), payload).status_code == 201


def test_only_the_stores_sellers_show_its_codes(client: TestClient, bank: Bank, till: Till) -> None:
    who = payer(bank, 0)
    order_id = order_of(client, till, 100)
    assert client.get(f"/v1/orders/{order_id}/qr", headers=pos(who.token)).status_code == 403
    assert client.get(f"/v1/orders/{order_id}/qr", headers=pos(till.owner)).status_code == 200
    assert client.get(f"/v1/stores/{till.store_id}/qr", headers=pos(till.owner)).status_code == 200
