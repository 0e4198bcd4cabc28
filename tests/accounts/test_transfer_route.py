"""``POST /v1/transfers`` skips FastAPI's dependency solving (``kit.deps.direct_route``): it must answer
every malformed request exactly as FastAPI does for the same declaration. The same endpoint is mounted
as an ordinary FastAPI route next to it, and both get the same requests."""

from __future__ import annotations

from typing import Any

import pytest

from finlife.accounts import api as accounts_api
from tests.accounts.support import Bank
from tests.direct_routes import answer, assert_direct, mount_twin
from tests.factories import headers

TWIN = "/test/v1/transfers-solved-by-fastapi"


@pytest.fixture
def twin(bank: Bank) -> Bank:
    mount_twin(bank.client, TWIN, accounts_api.transfer)
    return bank


def _valid_body(bank: Bank) -> tuple[str, dict[str, Any]]:
    payer, payee = bank.customer(), bank.customer()
    source, target = bank.funded(payer, 10_000), bank.funded(payee, 0)
    return payer.token, {
        "from_account_id": source,
        "to_account_id": target,
        "amount": 100,
        "currency": "CNY",
        "memo": "",
    }


def test_the_transfer_route_is_the_direct_one(bank: Bank) -> None:
    operation = assert_direct(bank.client, "/v1/transfers")
    assert "requestBody" in operation
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
        "not json content type",
        "array body",
        "null body",
        "key too long and bad body",
        "not utf-8",
        "not utf-8 and no token",
    ],
)
def test_malformed_requests_get_fastapis_answers(twin: Bank, case: str) -> None:
    token, body = _valid_body(twin)
    request: dict[str, Any] = {"json": body, "headers": headers(token, **{"Idempotency-Key": case})}
    if case == "no token":
        request["headers"] = headers(None, **{"Idempotency-Key": case})
    elif case == "bad token":
        request["headers"] = headers("not-a-token", **{"Idempotency-Key": case})
    elif case.startswith("malformed json"):
        token_or_none = None if case.endswith("no token") else token
        request = {
            "content": b'{"amount": ',
            "headers": {**headers(token_or_none), "Content-Type": "application/json", "Idempotency-Key": "k"},
        }
    elif case == "no key":
        request["headers"] = headers(token)
    elif case == "key too long":
        request["headers"] = headers(token, **{"Idempotency-Key": "k" * 256})
    elif case == "empty body":
        request = {"headers": headers(token, **{"Idempotency-Key": case})}
    elif case == "missing field":
        request["json"] = {k: v for k, v in body.items() if k != "amount"}
    elif case == "wrong types":
        request["json"] = {**body, "amount": "lots", "currency": 7}
    elif case == "not json content type":
        request = {
            "content": b"amount=1",
            "headers": {**headers(token), "Content-Type": "text/plain", "Idempotency-Key": case},
        }
    elif case.startswith("not utf-8"):  # was a 500 on the direct route
        token_or_none = None if case.endswith("no token") else token
        request = {
            "content": b'{"amount": "\xff\xfe"}',
            "headers": {**headers(token_or_none), "Content-Type": "application/json", "Idempotency-Key": "k"},
        }
    elif case == "array body":
        request["json"] = [body]
    elif case == "null body":
        request = {"content": b"null", "headers": {**request["headers"], "Content-Type": "application/json"}}
    elif case == "key too long and bad body":
        request = {
            "json": {**body, "amount": -1},
            "headers": headers(token, **{"Idempotency-Key": "k" * 300}),
        }
    direct = answer(twin.client, "/v1/transfers", **request)
    solved = answer(twin.client, TWIN, **request)
    assert direct == solved
    assert direct[0] in (400, 401, 422)
    if case.startswith(("malformed json", "not utf-8")) or case == "not json content type":
        assert direct[:2] == (400, "malformed_body")


def test_a_valid_transfer_is_answered_by_both_alike(twin: Bank) -> None:
    token, body = _valid_body(twin)
    direct = twin.client.post("/v1/transfers", json=body, headers=headers(token, **{"Idempotency-Key": "a"}))
    solved = twin.client.post(TWIN, json=body, headers=headers(token, **{"Idempotency-Key": "b"}))
    assert direct.status_code == solved.status_code == 201
    assert {k: v for k, v in direct.json().items() if k not in ("id", "entry_id", "created_at")} == {
        k: v for k, v in solved.json().items() if k not in ("id", "entry_id", "created_at")
    }
