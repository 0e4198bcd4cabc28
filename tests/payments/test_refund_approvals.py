"""A cashier's refund above the threshold waits for the owner; the owner approves once or rejects."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

from finlife.kit.db import Database
from finlife.settings import Settings
from tests.accounts.support import Bank
from tests.cashier.support import Till, pos
from tests.merchants.support import audit_of
from tests.payments.support import card, order_of, payer, refund, tender, trial_balance_total

THRESHOLD = 50_000  # the default refund_approval_threshold, ¥500.00


def _paid_by_card(client: TestClient, bank: Bank, till: Till, amount: int) -> tuple[str, str]:
    who = payer(bank, 200_000)
    order_id = order_of(client, till, amount)
    paid = tender(client, till, order_id, card(who, amount))
    assert paid.status_code == 201, paid.text
    return order_id, who.account_id


def _ask(client: TestClient, till: Till, order_id: str, amount: int, **extra: object) -> dict[str, object]:
    asked = client.post(
        f"/v1/orders/{order_id}/refund-requests",
        json={"amount": amount, "reason": "顾客退货", **extra},
        headers=pos(till.cashier, **{"Idempotency-Key": str(uuid.uuid4())}),
    )
    assert asked.status_code == 201, asked.text
    body: dict[str, object] = asked.json()
    return body


def test_the_threshold_is_the_default_setting(settings: Settings) -> None:
    assert settings.refund_approval_threshold == THRESHOLD


def test_a_cashier_refunds_up_to_the_threshold_and_no_more(
    client: TestClient, db: Database, bank: Bank, till: Till
) -> None:
    order_id, account_id = _paid_by_card(client, bank, till, 80_000)
    assert refund(client, till, order_id, THRESHOLD).status_code == 201
    over = refund(client, till, order_id, THRESHOLD + 1)
    assert over.status_code == 403
    assert over.json()["code"] == "refund_needs_approval"
    assert "500.00" in over.json()["detail"]
    assert bank.balance(account_id) == 200_000 - 80_000 + THRESHOLD  # the refused one moved nothing


def test_the_owner_refunds_any_amount_directly(client: TestClient, bank: Bank, till: Till) -> None:
    order_id, account_id = _paid_by_card(client, bank, till, 80_000)
    made = client.post(
        f"/v1/orders/{order_id}/refunds",
        json={"amount": 80_000, "reason": "整单退"},
        headers=pos(till.owner, **{"Idempotency-Key": str(uuid.uuid4())}),
    )
    assert made.status_code == 201, made.text
    assert bank.balance(account_id) == 200_000


def test_a_request_moves_no_money_until_the_owner_approves_it_once(
    client: TestClient, db: Database, bank: Bank, till: Till
) -> None:
    order_id, account_id = _paid_by_card(client, bank, till, 80_000)
    asked = _ask(client, till, order_id, 70_000)
    assert asked["status"] == "awaiting_approval"
    assert bank.balance(account_id) == 120_000
    listed = client.get(
        f"/v1/merchants/{till.merchant_id}/refund-requests?status=awaiting_approval", headers=pos(till.owner)
    ).json()["data"]
    assert [row["id"] for row in listed] == [asked["id"]]
    approved = client.post(f"/v1/refund-requests/{asked['id']}/approve", headers=pos(till.owner))
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    assert approved.json()["refund"]["amount"] == 70_000
    assert bank.balance(account_id) == 190_000
    again = client.post(f"/v1/refund-requests/{asked['id']}/approve", headers=pos(till.owner))
    assert again.status_code == 409
    assert again.json()["code"] == "refund_request_decided"
    assert bank.balance(account_id) == 190_000
    assert [action for action, _ in audit_of(db, str(asked["id"]))] == [
        "refund_request.created",
        "refund_request.approved",
    ]
    assert trial_balance_total(db) == 0


def test_only_the_owner_decides_and_a_rejection_needs_a_reason(
    client: TestClient, bank: Bank, till: Till
) -> None:
    order_id, account_id = _paid_by_card(client, bank, till, 80_000)
    asked = _ask(client, till, order_id, 60_000)
    by_cashier = client.post(f"/v1/refund-requests/{asked['id']}/approve", headers=pos(till.cashier))
    assert by_cashier.status_code == 403
    assert (
        client.get(f"/v1/merchants/{till.merchant_id}/refund-requests", headers=pos(till.cashier)).status_code
        == 403
    )
    no_reason = client.post(
        f"/v1/refund-requests/{asked['id']}/reject", json={"reason": " "}, headers=pos(till.owner)
    )
    assert no_reason.status_code == 422
    rejected = client.post(
        f"/v1/refund-requests/{asked['id']}/reject", json={"reason": "商品已使用"}, headers=pos(till.owner)
    )
    assert rejected.status_code == 200, rejected.text
    assert (rejected.json()["status"], rejected.json()["decision_note"]) == ("rejected", "商品已使用")
    late = client.post(f"/v1/refund-requests/{asked['id']}/approve", headers=pos(till.owner))
    assert late.json()["code"] == "refund_request_decided"
    assert bank.balance(account_id) == 120_000


def test_a_request_must_fit_the_order_when_asked_and_when_approved(
    client: TestClient, bank: Bank, till: Till
) -> None:
    order_id, account_id = _paid_by_card(client, bank, till, 80_000)
    too_much = client.post(
        f"/v1/orders/{order_id}/refund-requests",
        json={"amount": 80_001, "reason": "x"},
        headers=pos(till.cashier),
    )
    assert (too_much.status_code, too_much.json()["code"]) == (422, "refund_exceeds_paid")
    first = _ask(client, till, order_id, 60_000)
    second = _ask(client, till, order_id, 60_000)
    assert (
        client.post(f"/v1/refund-requests/{first['id']}/approve", headers=pos(till.owner)).status_code == 200
    )
    refused = client.post(f"/v1/refund-requests/{second['id']}/approve", headers=pos(till.owner))
    assert (refused.status_code, refused.json()["code"]) == (422, "refund_exceeds_paid")
    assert bank.balance(account_id) == 180_000


def test_another_merchant_owner_does_not_see_the_request(
    client: TestClient, bank: Bank, till: Till, other_till: Till
) -> None:
    order_id, _ = _paid_by_card(client, bank, till, 80_000)
    asked = _ask(client, till, order_id, 60_000)
    stranger = client.post(f"/v1/refund-requests/{asked['id']}/approve", headers=pos(other_till.owner))
    assert stranger.status_code == 404
    listed = client.get(f"/v1/merchants/{till.merchant_id}/refund-requests", headers=pos(other_till.owner))
    assert listed.status_code == 404
