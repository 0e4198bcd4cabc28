"""Customer-presented payment codes: 18 digits, one use, 60 seconds, bound to one account, HMAC only."""

from __future__ import annotations

import json
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.kit.idempotency import IdempotencyRecord
from finlife.payments.models import PaymentCode
from tests.accounts.support import Bank
from tests.cashier.support import Till
from tests.factories import headers
from tests.payments.support import order_of, payer, payment_code, pending_balance, tender, trial_balance_total


def test_a_code_is_18_digits_shown_as_barcode_and_qr_and_stored_as_an_hmac(
    client: TestClient, db: Database, bank: Bank
) -> None:
    who = payer(bank, 0)
    response = payment_code(client, who)
    assert response.status_code == 201, response.text
    body = response.json()
    assert len(body["code"]) == 18 and body["code"].isdigit() and body["code"].startswith("28")
    assert body["barcode_svg"].startswith("<svg") and body["qr_svg"].startswith("<svg")
    assert body["account_id"] == who.account_id
    with db.unit_of_work() as session:
        stored = session.execute(select(PaymentCode)).scalar_one()
        assert body["code"] not in stored.code_digest
        assert (stored.expires_at - stored.created_at) == timedelta(seconds=60)


def test_only_the_owner_gets_a_code_for_an_account(client: TestClient, bank: Bank) -> None:
    who, other = payer(bank, 0), payer(bank, 0)
    response = payment_code(client, other, account_id=who.account_id)
    assert response.status_code == 404


def test_the_cashier_takes_a_payment_code_once(
    client: TestClient, db: Database, bank: Bank, till: Till
) -> None:
    who = payer(bank, 100_000)
    code = payment_code(client, who).json()["code"]
    order_id = order_of(client, till, 8_800)
    paid = tender(client, till, order_id, {"method": "payment_code", "amount": 8_800, "code": code})
    assert paid.status_code == 201, paid.text
    assert (paid.json()["method"], paid.json()["order_status"]) == ("payment_code", "paid")
    assert paid.json()["fee"]["total"] > 0
    assert bank.balance(who.account_id) == 100_000 - 8_800
    assert pending_balance(db, till.merchant_id) == 8_800
    again = tender(
        client, till, order_of(client, till, 100), {"method": "payment_code", "amount": 100, "code": code}
    )
    assert again.status_code == 422
    assert again.json()["code"] == "payment_code_expired"
    assert trial_balance_total(db) == 0


def test_an_expired_or_unknown_code_is_refused(client: TestClient, bank: Bank, till: Till) -> None:
    who = payer(bank, 100_000)
    code = payment_code(client, who).json()["code"]
    order_id = order_of(client, till, 100)
    clock.advance(timedelta(seconds=60))
    expired = tender(client, till, order_id, {"method": "payment_code", "amount": 100, "code": code})
    assert expired.json()["code"] == "payment_code_expired"
    unknown = tender(
        client, till, order_id, {"method": "payment_code", "amount": 100, "code": "28" + "0" * 16}
    )
    assert unknown.json()["code"] == "payment_code_expired"
    assert bank.balance(who.account_id) == 100_000


def _settled(answer: object, *, amount: int, order_status: str, paid: int, outstanding: int) -> None:
    """An approved payment-code tender of ``amount`` and what it left of its order."""
    assert isinstance(answer, dict)
    assert {
        k: answer[k]
        for k in ("method", "status", "amount", "currency", "order_status", "order_paid", "order_outstanding")
    } == {
        "method": "payment_code",
        "status": "approved",
        "amount": amount,
        "currency": "CNY",
        "order_status": order_status,
        "order_paid": paid,
        "order_outstanding": outstanding,
    }


def test_a_code_just_inside_its_lifetime_pays(
    client: TestClient, db: Database, bank: Bank, till: Till
) -> None:
    who = payer(bank, 100_000)
    code = payment_code(client, who).json()["code"]
    clock.advance(timedelta(seconds=59))
    order_id = order_of(client, till, 100)
    paid = tender(client, till, order_id, {"method": "payment_code", "amount": 100, "code": code})
    assert paid.status_code == 201, paid.text
    _settled(paid.json(), amount=100, order_status="paid", paid=100, outstanding=0)
    assert bank.balance(who.account_id) == 100_000 - 100
    assert pending_balance(db, till.merchant_id) == 100
    assert trial_balance_total(db) == 0


def test_a_refused_payment_leaves_the_code_usable(
    client: TestClient, db: Database, bank: Bank, till: Till
) -> None:
    who = payer(bank, 1_000)
    code = payment_code(client, who).json()["code"]
    order_id = order_of(client, till, 2_000)
    poor = tender(client, till, order_id, {"method": "payment_code", "amount": 2_000, "code": code})
    assert poor.json()["code"] == "insufficient_funds"
    assert bank.balance(who.account_id) == 1_000
    part = tender(client, till, order_id, {"method": "payment_code", "amount": 1_000, "code": code})
    assert part.status_code == 201, part.text
    _settled(part.json(), amount=1_000, order_status="open", paid=1_000, outstanding=1_000)
    assert bank.balance(who.account_id) == 0
    assert pending_balance(db, till.merchant_id) == 1_000
    assert trial_balance_total(db) == 0


def test_payment_codes_count_against_the_dynamic_daily_limit(
    client: TestClient, bank: Bank, till: Till
) -> None:
    who = payer(bank, 500_000)
    order_id = order_of(client, till, 200_000)
    first = tender(
        client,
        till,
        order_id,
        {"method": "payment_code", "amount": 100_000, "code": payment_code(client, who).json()["code"]},
    )
    assert first.status_code == 201, first.text
    over = tender(
        client,
        till,
        order_id,
        {"method": "payment_code", "amount": 1, "code": payment_code(client, who).json()["code"]},
    )
    assert over.status_code == 422
    assert (over.json()["code"], over.json()["remaining"]) == ("qr_limit_exceeded", 0)


def test_a_retry_with_the_same_key_names_the_same_code_without_the_code(
    client: TestClient, db: Database, bank: Bank, till: Till
) -> None:
    who = payer(bank, 100_000)
    sent = headers(who.token, channel="mobile", **{"Idempotency-Key": "code-retry-1"})
    first = client.post("/v1/payment-codes", json={"account_id": who.account_id}, headers=sent)
    assert first.status_code == 201, first.text
    again = client.post("/v1/payment-codes", json={"account_id": who.account_id}, headers=sent)
    assert again.status_code == 201, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    replay, answer = again.json(), first.json()
    assert replay["id"] == answer["id"] and replay["expires_at"] == answer["expires_at"]
    assert (replay["code"], replay["barcode_svg"], replay["qr_svg"]) == (None, None, None)
    with db.unit_of_work() as session:
        rows = session.execute(select(PaymentCode)).scalars().all()
        assert [row.public_id for row in rows] == [answer["id"]]
        stored = session.execute(select(IdempotencyRecord.response_body)).scalars().all()
        assert all(answer["code"] not in json.dumps(body) for body in stored)
    other = client.post("/v1/payment-codes", json={"account_id": "acc_another"}, headers=sent)
    assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")
    # The first answer's code is still the one that pays.
    order_id = order_of(client, till, 500)
    paid = tender(client, till, order_id, {"method": "payment_code", "amount": 500, "code": answer["code"]})
    assert paid.status_code == 201, paid.text
