"""``POST /v1/qr/payments`` skips FastAPI's dependency solving (``kit.deps.direct_route``), as the
transfer route does: it must answer every request exactly as FastAPI does for the same declaration.
The same endpoint is mounted as an ordinary FastAPI route next to it, and both get the same requests."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from finlife.payments import api as payments_api
from finlife.payments.schemas import TenderOut
from tests.accounts.support import Bank
from tests.cashier.support import Till
from tests.direct_routes import answer, assert_direct, mount_twin
from tests.factories import headers
from tests.payments.support import Payer, order_of, order_qr, payer

TWIN = "/test/v1/qr-payments-solved-by-fastapi"


@pytest.fixture
def twin(client: TestClient) -> TestClient:
    mount_twin(client, TWIN, payments_api.pay_qr, TenderOut)
    return client


def _mobile(token: str | None, **extra: str) -> dict[str, str]:
    return headers(token, channel="mobile", **extra)


def test_the_qr_payment_route_is_the_direct_one(client: TestClient) -> None:
    operation = assert_direct(client, "/v1/qr/payments")
    assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/QrPaymentIn")
    assert operation["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/TenderOut"
    )
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in operation["parameters"])


@pytest.mark.parametrize(
    "case",
    [
        "no token",
        "bad token",
        "a cashier's token",
        "malformed json",
        "malformed json and no token",
        "no key",
        "key too long",
        "empty body",
        "missing field",
        "wrong types",
        "not json content type",
        "array body",
        "key too long and bad body",
        "not utf-8",
        "not utf-8 and no token",
        "not a qr payload",
        "null body",
    ],
)
def test_malformed_requests_get_fastapis_answers(twin: TestClient, bank: Bank, till: Till, case: str) -> None:
    who = payer(bank, 10_000)
    token = who.token
    body: dict[str, Any] = {"payload": "000201", "account_id": who.account_id}
    request: dict[str, Any] = {"json": body, "headers": _mobile(token, **{"Idempotency-Key": case})}
    if case == "no token":
        request["headers"] = _mobile(None, **{"Idempotency-Key": case})
    elif case == "bad token":
        request["headers"] = _mobile("not-a-token", **{"Idempotency-Key": case})
    elif case == "a cashier's token":
        request["headers"] = headers(till.cashier, channel="pos", **{"Idempotency-Key": case})
    elif case.startswith("malformed json"):
        token_or_none = None if case.endswith("no token") else token
        request = {
            "content": b'{"payload": ',
            "headers": {**_mobile(token_or_none), "Content-Type": "application/json", "Idempotency-Key": "k"},
        }
    elif case == "no key":
        request["headers"] = _mobile(token)
    elif case == "key too long":
        request["headers"] = _mobile(token, **{"Idempotency-Key": "k" * 256})
    elif case == "empty body":
        request = {"headers": _mobile(token, **{"Idempotency-Key": case})}
    elif case == "missing field":
        request["json"] = {"account_id": who.account_id}
    elif case == "wrong types":
        request["json"] = {**body, "amount": "lots", "account_id": 7}
    elif case == "not json content type":
        request = {
            "content": b"payload=1",
            "headers": {**_mobile(token), "Content-Type": "text/plain", "Idempotency-Key": case},
        }
    elif case.startswith("not utf-8"):
        token_or_none = None if case.endswith("no token") else token
        request = {
            "content": b'{"payload": "\xff\xfe"}',
            "headers": {**_mobile(token_or_none), "Content-Type": "application/json", "Idempotency-Key": "k"},
        }
    elif case == "array body":
        request["json"] = [body]
    elif case == "null body":
        request = {"content": b"null", "headers": {**request["headers"], "Content-Type": "application/json"}}
    elif case == "key too long and bad body":
        request = {
            "json": {**body, "amount": -1},
            "headers": _mobile(token, **{"Idempotency-Key": "k" * 300}),
        }
    direct = answer(twin, "/v1/qr/payments", **request)
    # The same key on the twin would be a replay of the direct route's answer: a key of its own.
    if isinstance(request.get("headers"), dict) and request["headers"].get("Idempotency-Key") == case:
        request["headers"] = {**request["headers"], "Idempotency-Key": f"{case} (twin)"}
    solved = answer(twin, TWIN, **request)
    assert direct == solved
    assert direct[0] in (400, 401, 403, 422)
    if case.startswith(("malformed json", "not utf-8")) or case == "not json content type":
        assert direct[:2] == (400, "malformed_body")
    if case == "not a qr payload":
        assert direct[:2] == (422, "invalid_qr_payload")


def _pay(client: TestClient, path: str, who: Payer, payload: str, key: str) -> tuple[int, dict[str, Any]]:
    body = {"payload": payload, "account_id": who.account_id}
    response = client.post(path, json=body, headers=_mobile(who.token, **{"Idempotency-Key": key}))
    return response.status_code, response.json()


def test_a_payment_and_its_replay_are_answered_by_both_alike(
    twin: TestClient, bank: Bank, till: Till
) -> None:
    who = payer(bank, 50_000)
    first, second = (order_qr(twin, till, order_of(twin, till, 1_800)) for _ in range(2))
    direct = _pay(twin, "/v1/qr/payments", who, first, "a")
    solved = _pay(twin, TWIN, who, second, "b")
    assert direct[0] == solved[0] == 201
    varying = ("id", "order_id", "created_at")
    assert {k: v for k, v in direct[1].items() if k not in varying} == {
        k: v for k, v in solved[1].items() if k not in varying
    }
    assert direct[1]["order_status"] == "paid"
    # A replay answers the first answer on both; the code, used, is refused to a new key on both.
    assert _pay(twin, "/v1/qr/payments", who, first, "a") == direct
    assert _pay(twin, TWIN, who, second, "b") == solved
    used_direct = _pay(twin, "/v1/qr/payments", who, first, "c")
    used_solved = _pay(twin, TWIN, who, second, "d")
    assert (used_direct[0], used_direct[1]["code"]) == (used_solved[0], used_solved[1]["code"])
    assert used_direct[1]["code"] == "qr_code_used"
