"""``POST /v1/orders/{order_id}/payments`` skips FastAPI's dependency solving (``kit.deps.direct_route``),
as the QR payment route does: it must answer every request exactly as FastAPI does for the same
declaration. The same endpoint is mounted as an ordinary FastAPI route next to it, and both get the
same requests: malformed ones, tenders of each kind, a decline (402) and replays."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from finlife.payments import api as payments_api
from finlife.payments.schemas import TenderOut
from tests.accounts.support import Bank
from tests.cashier.support import Till, pos
from tests.direct_routes import answer, assert_direct, mount_twin
from tests.factories import headers
from tests.payments.support import card, order_of, payer

TWIN = "/test/v1/orders/{order_id}/payments-solved-by-fastapi"
ROUTE = "/v1/orders/{order_id}/payments"
JSON_WITH_KEY = {"Content-Type": "application/json", "Idempotency-Key": "k"}


@pytest.fixture
def twin(client: TestClient) -> TestClient:
    mount_twin(client, TWIN, payments_api.take_payment, TenderOut)
    return client


def test_the_tender_route_is_the_direct_one(client: TestClient) -> None:
    operation = assert_direct(client, ROUTE)
    assert operation["operationId"] == "take_payment_v1_orders__order_id__payments_post"
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert schema["discriminator"]["propertyName"] == "method"
    assert operation["responses"]["402"]["content"]["application/problem+json"]["schema"]["$ref"].endswith(
        "/DeclineProblem"
    )
    assert operation["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/TenderOut"
    )
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in operation["parameters"])
    assert any(p["name"] == "order_id" and p["in"] == "path" for p in operation["parameters"])


CASES = [
    "no token",
    "bad token",
    "a customer's token",
    "malformed json",
    "malformed json and no token",
    "no key",
    "key too long",
    "empty body",
    "no method",
    "unknown method",
    "card without pan",
    "wrong types",
    "not json content type",
    "array body",
    "null body",
    "key too long and bad body",
    "not utf-8",
    "not utf-8 and no token",
    "unknown order",
    "more than is due",
]


@pytest.mark.parametrize("case", CASES)
def test_malformed_requests_get_fastapis_answers(twin: TestClient, bank: Bank, till: Till, case: str) -> None:
    who = payer(bank, 10_000)
    order_id = order_of(twin, till, 1_000)
    body: dict[str, Any] = card(who, 1_000)
    request: dict[str, Any] = {"json": body, "headers": pos(till.cashier, **{"Idempotency-Key": case})}
    if case == "no token":
        request["headers"] = headers(None, channel="pos", **{"Idempotency-Key": case})
    elif case == "bad token":
        request["headers"] = headers("not-a-token", channel="pos", **{"Idempotency-Key": case})
    elif case == "a customer's token":
        request["headers"] = headers(who.token, channel="mobile", **{"Idempotency-Key": case})
    elif case.startswith("malformed json"):
        token = None if case.endswith("no token") else till.cashier
        request = {
            "content": b'{"method": ',
            "headers": {
                **headers(token, channel="pos"),
                "Content-Type": "application/json",
                "Idempotency-Key": "k",
            },
        }
    elif case == "no key":
        request["headers"] = pos(till.cashier)
    elif case == "key too long":
        request["headers"] = pos(till.cashier, **{"Idempotency-Key": "k" * 256})
    elif case == "empty body":
        request = {"headers": pos(till.cashier, **{"Idempotency-Key": case})}
    elif case == "no method":
        request["json"] = {k: v for k, v in body.items() if k != "method"}
    elif case == "unknown method":
        request["json"] = {**body, "method": "cheque"}
    elif case == "card without pan":
        request["json"] = {k: v for k, v in body.items() if k != "pan"}
    elif case == "wrong types":
        request["json"] = {**body, "amount": "lots", "entry_mode": 7}
    elif case == "not json content type":
        request = {
            "content": b"method=card",
            "headers": {**pos(till.cashier), "Content-Type": "text/plain", "Idempotency-Key": case},
        }
    elif case.startswith("not utf-8"):
        token = None if case.endswith("no token") else till.cashier
        request = {
            "content": b'{"method": "\xff\xfe"}',
            "headers": {
                **headers(token, channel="pos"),
                "Content-Type": "application/json",
                "Idempotency-Key": "k",
            },
        }
    elif case == "array body":
        request["json"] = [body]
    elif case == "null body":
        request = {"content": b"null", "headers": {**request["headers"], "Content-Type": "application/json"}}
    elif case == "key too long and bad body":
        request = {
            "json": {**body, "amount": -1},
            "headers": pos(till.cashier, **{"Idempotency-Key": "k" * 300}),
        }
    elif case == "unknown order":
        order_id = "ord_unknown"
    elif case == "more than is due":
        request["json"] = {**body, "amount": 1_001}
    direct = answer(twin, ROUTE.format(order_id=order_id), **request)
    # The same key on the twin would be a replay of the direct route's answer: a key of its own.
    if isinstance(request.get("headers"), dict) and request["headers"].get("Idempotency-Key") == case:
        request["headers"] = {**request["headers"], "Idempotency-Key": f"{case} (twin)"}
    solved = answer(twin, TWIN.format(order_id=order_id), **request)
    assert direct == solved
    assert direct[0] in (400, 401, 403, 404, 422)
    if case.startswith(("malformed json", "not utf-8")) or case == "not json content type":
        assert direct[:2] == (400, "malformed_body")
    if case == "more than is due":
        assert direct[:2] == (422, "overpayment")
    if case == "unknown order":
        assert direct[:2] == (404, "not_found")


def _pay(
    client: TestClient, path: str, till: Till, body: dict[str, Any], key: str
) -> tuple[int, dict[str, Any]]:
    response = client.post(path, json=body, headers=pos(till.cashier, **{"Idempotency-Key": key}))
    return response.status_code, response.json()


def _alike(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    varying = ("id", "order_id", "created_at", "payment_id", "instance")
    assert {k: v for k, v in first.items() if k not in varying} == {
        k: v for k, v in second.items() if k not in varying
    }
    return first


def test_a_card_payment_a_decline_and_their_replays_are_answered_by_both_alike(
    twin: TestClient, bank: Bank, till: Till
) -> None:
    who = payer(bank, 50_000)
    orders = [order_of(twin, till, 1_800) for _ in range(4)]
    direct = _pay(twin, ROUTE.format(order_id=orders[0]), till, card(who, 1_800), "a")
    solved = _pay(twin, TWIN.format(order_id=orders[1]), till, card(who, 1_800), "b")
    assert direct[0] == solved[0] == 201
    assert _alike(direct[1], solved[1])["order_status"] == "paid"
    assert _pay(twin, ROUTE.format(order_id=orders[0]), till, card(who, 1_800), "a") == direct
    assert _pay(twin, TWIN.format(order_id=orders[1]), till, card(who, 1_800), "b") == solved
    # A wrong PIN: 402 with its ISO code on both, stored and replayed alike.
    wrong = card(who, 1_800, pin="000000")
    declined_direct = _pay(twin, ROUTE.format(order_id=orders[2]), till, wrong, "c")
    declined_solved = _pay(twin, TWIN.format(order_id=orders[3]), till, wrong, "d")
    assert declined_direct[0] == declined_solved[0] == 402
    assert _alike(declined_direct[1], declined_solved[1])["response_code"] == "55"
    assert _pay(twin, ROUTE.format(order_id=orders[2]), till, wrong, "c") == declined_direct
    assert _pay(twin, TWIN.format(order_id=orders[3]), till, wrong, "d") == declined_solved
