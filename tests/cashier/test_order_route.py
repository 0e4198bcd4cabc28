"""``POST /v1/orders`` skips FastAPI's dependency solving (``kit.deps.direct_route``), as the transfer
route does: it must answer every request exactly as FastAPI does for the same declaration. The same
endpoint is mounted as an ordinary FastAPI route next to it, and both get the same requests."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from finlife.cashier import api as cashier_api
from finlife.cashier.schemas import OrderOut
from tests.cashier.support import Till, order_body, pos
from tests.direct_routes import answer, assert_direct, mount_twin
from tests.factories import headers

TWIN = "/test/v1/orders-solved-by-fastapi"


@pytest.fixture
def twin(client: TestClient) -> TestClient:
    mount_twin(client, TWIN, cashier_api.open_order, OrderOut)
    return client


def test_the_order_route_is_the_direct_one(client: TestClient) -> None:
    operation = assert_direct(client, "/v1/orders")
    assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/OrderIn")
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in operation["parameters"])


@pytest.mark.parametrize(
    "case",
    [
        "no token",
        "bad token",
        "malformed json",
        "malformed json and no token",
        "no key",
        "key too long",
        "empty body",
        "missing field",
        "wrong types",
        "no lines",
        "not json content type",
        "array body",
        "null body",
        "key too long and bad body",
        "not utf-8",
        "not utf-8 and no token",
        "unknown terminal",
    ],
)
def test_malformed_requests_get_fastapis_answers(twin: TestClient, till: Till, case: str) -> None:
    token = till.cashier
    body = order_body(till, [{"name": "餐费", "amount": 1_200}])
    request: dict[str, Any] = {"json": body, "headers": pos(token, **{"Idempotency-Key": case})}
    if case == "no token":
        request["headers"] = headers(None, channel="pos", **{"Idempotency-Key": case})
    elif case == "bad token":
        request["headers"] = headers("not-a-token", channel="pos", **{"Idempotency-Key": case})
    elif case.startswith("malformed json"):
        token_or_none = None if case.endswith("no token") else token
        request = {
            "content": b'{"lines": ',
            "headers": {**headers(token_or_none), "Content-Type": "application/json", "Idempotency-Key": "k"},
        }
    elif case == "no key":
        request["headers"] = pos(token)
    elif case == "key too long":
        request["headers"] = pos(token, **{"Idempotency-Key": "k" * 256})
    elif case == "empty body":
        request = {"headers": pos(token, **{"Idempotency-Key": case})}
    elif case == "missing field":
        request["json"] = {k: v for k, v in body.items() if k != "terminal_id"}
    elif case == "wrong types":
        request["json"] = {**body, "store_id": 7, "lines": "many"}
    elif case == "no lines":
        request["json"] = {**body, "lines": []}
    elif case == "not json content type":
        request = {
            "content": b"lines=1",
            "headers": {**pos(token), "Content-Type": "text/plain", "Idempotency-Key": case},
        }
    elif case.startswith("not utf-8"):
        token_or_none = None if case.endswith("no token") else token
        request = {
            "content": b'{"store_id": "\xff\xfe"}',
            "headers": {**headers(token_or_none), "Content-Type": "application/json", "Idempotency-Key": "k"},
        }
    elif case == "array body":
        request["json"] = [body]
    elif case == "null body":
        request = {"content": b"null", "headers": {**request["headers"], "Content-Type": "application/json"}}
    elif case == "key too long and bad body":
        long_key = pos(token, **{"Idempotency-Key": "k" * 300})
        request = {"json": {**body, "lines": [{"name": "餐费", "amount": -1}]}, "headers": long_key}
    elif case == "unknown terminal":
        request["json"] = {**body, "terminal_id": "T0000000"}
    direct = answer(twin, "/v1/orders", **request)
    # The same key on the twin would be a replay of the direct route's answer: a key of its own.
    if isinstance(request.get("headers"), dict) and request["headers"].get("Idempotency-Key") == case:
        request["headers"] = {**request["headers"], "Idempotency-Key": f"{case} (twin)"}
    solved = answer(twin, TWIN, **request)
    assert direct == solved
    assert direct[0] in (400, 401, 422)
    if case.startswith(("malformed json", "not utf-8")) or case == "not json content type":
        assert direct[:2] == (400, "malformed_body")


def test_an_order_and_its_replay_are_answered_by_both_alike(twin: TestClient, till: Till) -> None:
    body = order_body(till, [{"name": "餐费", "amount": 1_200}, {"name": "饮料", "amount": 300}])
    direct = twin.post("/v1/orders", json=body, headers=pos(till.cashier, **{"Idempotency-Key": "a"}))
    solved = twin.post(TWIN, json=body, headers=pos(till.cashier, **{"Idempotency-Key": "b"}))
    assert direct.status_code == solved.status_code == 201
    varying = ("id", "created_at")
    assert {k: v for k, v in direct.json().items() if k not in varying} == {
        k: v for k, v in solved.json().items() if k not in varying
    }
    assert [line["name"] for line in direct.json()["lines"]] == ["餐费", "饮料"]
    again = twin.post("/v1/orders", json=body, headers=pos(till.cashier, **{"Idempotency-Key": "a"}))
    assert (again.status_code, again.json()) == (201, direct.json())
    assert again.headers.get("Idempotent-Replayed") == "true"
