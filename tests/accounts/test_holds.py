"""Holds through the API: reserve, capture part or all once (counted against limits), void, expire."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from finlife.kit.auth import Role
from finlife.kit.clock import clock
from tests.accounts.support import Bank, audit_count, trial_balance_total, uuid4
from tests.factories import headers


def _hold(bank: Bank, account: str, amount: int, token: str | None = None, **extra: Any) -> httpx.Response:
    body = {"account_id": account, "amount": amount, "currency": "CNY", "expires_in": 600, **extra}
    return bank.client.post(
        "/v1/holds", json=body, headers=headers(token or bank.teller, **{"Idempotency-Key": uuid4()})
    )


def _capture(bank: Bank, hold_id: str, amount: int, key: str | None = None) -> httpx.Response:
    return bank.client.post(
        f"/v1/holds/{hold_id}/capture",
        json={"amount": amount},
        headers=headers(bank.teller, **{"Idempotency-Key": key or uuid4()}),
    )


def test_a_hold_reserves_then_a_partial_capture_goes_to_clearing(bank: Bank) -> None:
    person = bank.customer()
    account = bank.funded(person, 10_000)
    response = _hold(bank, account, 4_000, reference="hotel")
    assert response.status_code == 201, response.text
    hold = response.json()
    assert hold["status"] == "pending"
    assert hold["account_id"] == account
    assert hold["destination"] is None
    assert bank.account(account)["balance"] == {"ledger": 10_000, "available": 6_000, "held": 4_000}
    captured = _capture(bank, hold["id"], 3_000)
    assert captured.status_code == 201, captured.text
    assert captured.json()["status"] == "captured"
    assert captured.json()["captured"] == 3_000
    assert captured.json()["capture_entry_id"].startswith("ent_")
    assert bank.account(account)["balance"] == {"ledger": 7_000, "available": 7_000, "held": 0}
    again = _capture(bank, hold["id"], 1_000)
    assert again.status_code == 409
    assert again.json()["code"] == "hold_not_pending"
    assert trial_balance_total(bank.db) == 0
    assert audit_count(bank.db, "hold.placed") == audit_count(bank.db, "hold.captured") == 1


def test_a_capture_goes_to_the_holds_destination_account(bank: Bank) -> None:
    payer, merchant = bank.customer(), bank.customer()
    account = bank.funded(payer, 10_000)
    target = bank.funded(merchant, 0)
    hold = _hold(bank, account, 2_000, destination=target).json()
    assert hold["destination"] == target
    assert _capture(bank, hold["id"], 2_000).status_code == 201
    assert bank.balance(target) == 2_000
    seen = bank.client.get(f"/v1/holds/{hold['id']}", headers=headers(bank.teller)).json()
    assert seen["status"] == "captured"
    assert seen["destination"] == target


def test_a_void_releases_and_an_overdue_hold_expires(bank: Bank) -> None:
    person = bank.customer()
    account = bank.funded(person, 10_000)
    first = _hold(bank, account, 1_000).json()
    voided = bank.client.post(f"/v1/holds/{first['id']}/void", headers=headers(bank.teller))
    assert voided.status_code == 200
    assert voided.json()["status"] == "voided"
    second = _hold(bank, account, 2_000).json()
    clock.advance(timedelta(seconds=601))  # within the logins' lifetime: same tokens
    seen = bank.client.get(f"/v1/holds/{second['id']}", headers=headers(bank.teller)).json()
    assert seen["status"] == "expired"
    assert bank.account(account)["balance"]["available"] == 10_000
    assert _capture(bank, second["id"], 100).json()["code"] == "hold_not_pending"


def test_a_hold_cannot_reserve_more_than_is_available(bank: Bank) -> None:
    person = bank.customer()
    account = bank.funded(person, 1_000)
    response = _hold(bank, account, 1_001)
    assert response.status_code == 422
    assert response.json()["code"] == "insufficient_funds"


def test_a_capture_counts_against_the_class_ii_out_limit(bank: Bank) -> None:
    person = bank.customer()
    class_i = bank.funded(person, 3_000_000)
    class_ii = bank.open(person, "II", token=person.token, channel="mobile", bound={"account_id": class_i})[
        "id"
    ]
    assert bank.transfer(person.token, class_i, class_ii, 2_000_000).status_code == 201
    hold = _hold(bank, class_ii, 1_500_000).json()
    response = _capture(bank, hold["id"], 1_000_001)
    assert response.status_code == 422
    assert response.json()["code"] == "limit_exceeded"
    assert _capture(bank, hold["id"], 1_000_000).status_code == 201
    assert bank.account(class_ii)["limits"]["out"]["daily"]["remaining"] == 0


def test_holds_are_for_tellers_and_admins(bank: Bank) -> None:
    person = bank.customer()
    account = bank.funded(person, 1_000)
    assert _hold(bank, account, 100, token=person.token).status_code == 403
    assert _hold(bank, account, 100, token=bank.staff(Role.HQ_MARKETING)).status_code == 403
    assert _hold(bank, account, 100, token=bank.staff(Role.BANK_ADMIN)).status_code == 201
    assert bank.client.get("/v1/holds/hld_missing", headers=headers(bank.teller)).status_code == 404


def test_placing_a_hold_needs_an_idempotency_key(bank: Bank) -> None:
    person = bank.customer()
    account = bank.funded(person, 1_000)
    body = {"account_id": account, "amount": 100, "currency": "CNY", "expires_in": 60}
    response = bank.client.post("/v1/holds", json=body, headers=headers(bank.teller))
    assert response.status_code == 400
