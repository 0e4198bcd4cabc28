"""Saved payees (GET/POST/DELETE /v1/me/payees): saved after the same number-and-name check as
POST /v1/payees/check (one refusal for a wrong name or an unknown number, counted and throttled per
login), shown masked, each customer's own; a transfer reaches the saved account."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi.testclient import TestClient

from tests.accounts.support import Bank
from tests.factories import headers
from tests.payments.support import payer


def _save(client: TestClient, token: str, **body: Any) -> httpx.Response:
    return client.post("/v1/me/payees", json=body, headers=headers(token))


def _listed(client: TestClient, token: str) -> list[dict[str, Any]]:
    answer = client.get("/v1/me/payees", headers=headers(token))
    assert answer.status_code == 200, answer.text
    listed: list[dict[str, Any]] = answer.json()
    return listed


def test_a_checked_payee_is_saved_masked_once_and_reached_by_a_transfer(
    client: TestClient, bank: Bank
) -> None:
    me, friend = payer(bank, 100_000), payer(bank, 0)
    spaced = " ".join(friend.pan[i : i + 4] for i in range(0, len(friend.pan), 4))
    saved = _save(client, me.person.token, number=spaced, name=friend.person.name)
    assert saved.status_code == 201, saved.text
    body = saved.json()
    masked = "*" * (len(friend.person.name) - 1) + friend.person.name[-1]
    assert (body["masked_name"], body["number_last4"], body["account_id"]) == (
        masked,
        friend.pan[-4:],
        friend.account_id,
    )
    assert body["id"].startswith("pye_") and friend.person.name not in saved.text
    # The account number of the same person is the same payee: saved once.
    number = bank.account(friend.account_id)["number"]
    again = _save(client, me.person.token, number=number, name=friend.person.name)
    assert (again.status_code, again.json()["id"]) == (201, body["id"])
    assert [p["id"] for p in _listed(client, me.person.token)] == [body["id"]]
    paid = bank.transfer(me.person.token, me.account_id, body["account_id"], 1_000)
    assert paid.status_code == 201, paid.text
    assert bank.balance(friend.account_id) == 1_000


def test_a_wrong_name_or_unknown_number_is_refused_counted_and_throttled(
    client: TestClient, bank: Bank
) -> None:
    me, friend = payer(bank, 0), payer(bank, 0)
    number = bank.account(friend.account_id)["number"]
    wrong = _save(client, me.person.token, number=number, name="王五")
    unknown = _save(client, me.person.token, number="6219990000000000000", name=friend.person.name)
    for answer in (wrong, unknown):
        assert (answer.status_code, answer.json()["code"]) == (422, "payee_name_mismatch")
    assert _listed(client, me.person.token) == []
    # The saves' refusals count with the checks': three more reach the free five, the next waits.
    for guess in range(3):
        assert (
            client.post(
                "/v1/payees/check",
                json={"number": number, "name": f"猜{guess}"},
                headers=headers(me.person.token),
            ).status_code
            == 422
        )
    assert _save(client, me.person.token, number=number, name="猜9").status_code == 422
    waiting = _save(client, me.person.token, number=number, name=friend.person.name)
    assert (waiting.status_code, waiting.json()["code"]) == (429, "sign_in_throttled")


def test_ones_own_account_is_not_a_payee(client: TestClient, bank: Bank) -> None:
    me = payer(bank, 0)
    number = bank.account(me.account_id)["number"]
    own = _save(client, me.person.token, number=number, name=me.person.name)
    assert (own.status_code, own.json()["code"]) == (422, "payee_is_own_account")
    assert own.json()["title"] == "这是您本人的账户，无需保存为收款人"


def test_each_customer_sees_and_deletes_only_their_own(client: TestClient, bank: Bank) -> None:
    me, other, friend = payer(bank, 0), payer(bank, 0), payer(bank, 0)
    number = bank.account(friend.account_id)["number"]
    mine = _save(client, me.person.token, number=number, name=friend.person.name).json()
    assert _listed(client, other.person.token) == []
    not_theirs = client.delete(f"/v1/me/payees/{mine['id']}", headers=headers(other.person.token))
    assert (not_theirs.status_code, not_theirs.json()["code"]) == (404, "not_found")
    gone = client.delete(f"/v1/me/payees/{mine['id']}", headers=headers(me.person.token))
    assert gone.status_code == 204
    assert _listed(client, me.person.token) == []
    twice = client.delete(f"/v1/me/payees/{mine['id']}", headers=headers(me.person.token))
    assert twice.status_code == 404


def test_only_customers_have_payees(client: TestClient, bank: Bank) -> None:
    assert client.get("/v1/me/payees", headers=headers(bank.teller)).status_code == 403
    assert client.get("/v1/me/payees").status_code == 401
    empty = _save(client, payer(bank, 0).person.token, number="", name="王五")
    assert (empty.status_code, empty.json()["code"]) == (422, "validation_error")
