"""On-us card tenders: approval, ISO 8583 declines (14/51/54/55/57/61), the PIN counter kept after
a decline, the contactless no-PIN limit, fees and idempotent replays of approvals and declines."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from finlife.accounts.models import DebitCard
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.accounts.support import Bank
from tests.cashier.support import Till, pos
from tests.merchants.support import audit_of
from tests.payments.support import card, order_of, payer, pending_balance, tender, trial_balance_total

NO_PIN_LIMIT = 100_000


@pytest.fixture(autouse=True)
def _mid_march() -> None:
    clock.freeze(datetime(2026, 3, 2, 2, 0, tzinfo=UTC))


def _pin_failures(db: Database, pan_last4: str) -> tuple[int, str]:
    with db.unit_of_work() as session:
        row = session.execute(
            select(DebitCard.pin_failures, DebitCard.status).where(DebitCard.last4 == pan_last4)
        ).one()
        return int(row[0]), str(row[1])


def _declined(response, code: str) -> dict:  # type: ignore[no-untyped-def, type-arg]
    assert response.status_code == 402, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert (body["code"], body["response_code"]) == ("card_declined", code)
    return body  # type: ignore[no-any-return]


def test_an_approved_card_pays_the_merchants_pending_account_and_accrues_the_fee(
    client: TestClient, db: Database, bank: Bank, till: Till
) -> None:
    who = payer(bank, 500_000)
    order_id = order_of(client, till, 123_456)
    response = tender(client, till, order_id, card(who, 123_456))
    assert response.status_code == 201, response.text
    paid = response.json()
    assert (paid["status"], paid["response_code"], paid["order_status"]) == ("approved", "00", "paid")
    assert paid["card"] == f"{who.pan[:4]} **** **** {who.pan[-4:]}"
    # 0.35 % = 432.096 → 432; 0.0325 % = 40.12 → 40; 0.1 % = 123.456 → 123.
    assert paid["fee"] == {"issuer": 432, "network": 40, "acquirer": 123, "total": 595}
    assert bank.balance(who.account_id) == 500_000 - 123_456
    assert pending_balance(db, till.merchant_id) == 123_456
    assert trial_balance_total(db) == 0
    details = audit_of(db, paid["id"])[0][1]
    assert who.pan not in str(details) and who.pan not in str(audit_of(db, who.account_id))


def test_an_unknown_card_is_14(client: TestClient, bank: Bank, till: Till) -> None:
    who = payer(bank, 10_000)
    order_id = order_of(client, till, 1_000)
    wrong = who.pan[:-1] + str((int(who.pan[-1]) + 1) % 10)
    body = _declined(tender(client, till, order_id, card(who, 1_000, pan=wrong)), "14")
    assert body["reason"] == "invalid_card"


def test_insufficient_funds_is_51_and_moves_nothing(
    client: TestClient, db: Database, bank: Bank, till: Till
) -> None:
    who = payer(bank, 999)
    order_id = order_of(client, till, 1_000)
    body = _declined(tender(client, till, order_id, card(who, 1_000)), "51")
    assert bank.balance(who.account_id) == 999
    assert pending_balance(db, till.merchant_id) == 0
    listed = client.get(f"/v1/orders/{order_id}/payments", headers=pos(till.cashier)).json()["data"]
    assert [(p["id"], p["status"], p["response_code"]) for p in listed] == [
        (body["payment_id"], "declined", "51")
    ]
    order = client.get(f"/v1/orders/{order_id}", headers=pos(till.cashier)).json()
    assert (order["status"], order["paid"]) == ("open", 0)


def test_an_expired_or_wrong_expiry_is_54(client: TestClient, bank: Bank, till: Till) -> None:
    who = payer(bank, 10_000)
    clock.freeze(datetime(2020, 3, 2, 2, 0, tzinfo=UTC))
    old = payer(bank, 10_000)  # issued for five years: its last month was March 2025
    clock.freeze(datetime(2026, 3, 2, 2, 0, tzinfo=UTC))
    order_id = order_of(client, till, 1_000)
    assert old.expiry == "2503"
    _declined(tender(client, till, order_id, card(old, 1_000)), "54")
    _declined(tender(client, till, order_id, card(who, 1_000, expiry="2602")), "54")
    assert tender(client, till, order_id, card(who, 1_000)).status_code == 201


def test_a_wrong_pin_is_55_and_the_count_survives_the_decline(
    client: TestClient, db: Database, bank: Bank, till: Till, settings: Settings
) -> None:
    who = payer(bank, 10_000)
    order_id = order_of(client, till, 1_000)
    _declined(tender(client, till, order_id, card(who, 1_000, pin="000000")), "55")
    assert _pin_failures(db, who.pan[-4:]) == (1, "active")
    _declined(tender(client, till, order_id, card(who, 1_000, pin="000000")), "55")
    assert _pin_failures(db, who.pan[-4:]) == (2, "active")
    # The third wrong PIN blocks the card; from then on even the right PIN is 57 (not permitted).
    assert settings.card_pin_max_failures == 3
    _declined(tender(client, till, order_id, card(who, 1_000, pin="000000")), "55")
    assert _pin_failures(db, who.pan[-4:]) == (3, "blocked")
    assert _declined(tender(client, till, order_id, card(who, 1_000)), "57")["reason"] == "not_permitted"


def test_the_right_pin_resets_the_count(client: TestClient, db: Database, bank: Bank, till: Till) -> None:
    who = payer(bank, 10_000)
    order_id = order_of(client, till, 1_000)
    _declined(tender(client, till, order_id, card(who, 1_000, pin="000000")), "55")
    assert tender(client, till, order_id, card(who, 1_000)).status_code == 201
    assert _pin_failures(db, who.pan[-4:]) == (0, "active")


def test_over_the_class_limit_is_61(client: TestClient, bank: Bank, till: Till) -> None:
    who = payer(bank, 0)
    class_ii = bank.open(
        who.person, "II", token=who.token, channel="mobile", bound={"account_id": who.account_id}
    )
    issued = client.post(
        f"/v1/accounts/{class_ii['id']}/cards", json={"pin": "246810"}, headers=pos(bank.teller)
    )
    assert bank.deposit(who.account_id, 2_000_000).status_code == 201
    assert bank.transfer(who.token, who.account_id, class_ii["id"], 1_500_000).status_code == 201
    limited = type(who)(who.person, class_ii["id"], issued.json()["pan"], issued.json()["expiry"])
    order_id = order_of(client, till, 1_000_001)
    _declined(tender(client, till, order_id, card(limited, 1_000_001)), "61")
    assert bank.account(class_ii["id"])["limits"]["out"]["daily"]["used"] == 0
    assert tender(client, till, order_id, card(limited, 1_000_000)).status_code == 201


def test_contactless_needs_no_pin_up_to_the_limit(client: TestClient, bank: Bank, till: Till) -> None:
    who = payer(bank, 500_000)
    order_id = order_of(client, till, 2 * NO_PIN_LIMIT + 1)
    at_limit = tender(client, till, order_id, card(who, NO_PIN_LIMIT, entry_mode="contactless", pin=None))
    assert at_limit.status_code == 201, at_limit.text
    assert at_limit.json()["entry_mode"] == "contactless"
    over = tender(client, till, order_id, card(who, NO_PIN_LIMIT + 1, entry_mode="contactless", pin=None))
    assert over.status_code == 422
    assert (over.json()["code"], over.json()["field"]) == ("pin_required", "pin")
    with_pin = tender(client, till, order_id, card(who, NO_PIN_LIMIT + 1, entry_mode="contactless"))
    assert with_pin.status_code == 201, with_pin.text


def test_chip_and_swipe_always_need_the_pin(client: TestClient, bank: Bank, till: Till) -> None:
    who = payer(bank, 10_000)
    order_id = order_of(client, till, 100)
    for mode in ("chip", "swipe"):
        response = tender(client, till, order_id, card(who, 100, entry_mode=mode, pin=None))
        assert response.json()["code"] == "pin_required"


def test_a_retried_decline_is_replayed_without_counting_the_pin_again(
    client: TestClient, db: Database, bank: Bank, till: Till
) -> None:
    who = payer(bank, 10_000)
    order_id = order_of(client, till, 1_000)
    first = tender(client, till, order_id, card(who, 1_000, pin="000000"), key="retry-55")
    again = tender(client, till, order_id, card(who, 1_000, pin="000000"), key="retry-55")
    assert _declined(first, "55") == _declined(again, "55")
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _pin_failures(db, who.pan[-4:]) == (1, "active")


def test_the_idempotency_record_holds_no_card_data(
    client: TestClient, db: Database, bank: Bank, till: Till
) -> None:
    from finlife.kit.idempotency import IdempotencyRecord

    who = payer(bank, 10_000)
    order_id = order_of(client, till, 1_000)
    assert tender(client, till, order_id, card(who, 1_000)).status_code == 201
    with db.unit_of_work() as session:
        stored = [str(row.response_body) for row in session.execute(select(IdempotencyRecord)).scalars()]
    assert stored and not any(who.pan in body or who.expiry in body for body in stored)


def test_the_receipt_shows_the_card_masked(client: TestClient, bank: Bank, till: Till) -> None:
    who = payer(bank, 50_000)
    order_id = order_of(client, till, 12_345)
    assert tender(client, till, order_id, card(who, 12_345)).status_code == 201
    masked = f"{who.pan[:4]} **** **** {who.pan[-4:]}"
    for fmt in ("text", "html"):
        receipt = client.get(f"/v1/orders/{order_id}/receipt?format={fmt}", headers=pos(till.cashier)).text
        assert masked in receipt
        assert who.pan not in receipt
