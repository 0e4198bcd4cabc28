"""``POST /v1/life/campaigns/{campaign_id}/claim`` skips FastAPI's dependency solving
(``kit.deps.direct_route``), as the transfer route does: it must answer every request exactly as
FastAPI does for the same declaration, an optional body included (none, ``null`` or ``{}`` is a plain
claim). The same endpoint is mounted as an ordinary FastAPI route next to it, and both get the same
requests."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from finlife.kit.auth import Role
from finlife.marketing import api as marketing_api
from finlife.marketing.schemas import CouponOut
from tests.direct_routes import answer, assert_direct, mount_twin
from tests.factories import headers
from tests.marketing.support import Market

CLAIM = "/v1/life/campaigns/{campaign_id}/claim"
TWIN = "/test/v1/life/campaigns/{campaign_id}/claim-solved-by-fastapi"
VARYING = ("id", "code", "valid_from", "valid_to", "claimed_at")  # a coupon's own, and when


@pytest.fixture
def twin(shop: Market) -> Market:
    mount_twin(shop.client, TWIN, marketing_api.claim, CouponOut)
    return shop


def _mobile(token: str | None, **extra: str) -> dict[str, str]:
    return headers(token, channel="mobile", **extra)


def test_the_claim_route_is_the_direct_one(client: TestClient) -> None:
    operation = assert_direct(client, CLAIM)
    body = operation["requestBody"]
    assert body.get("required", False) is False  # the body stays optional in the document
    schema = body["content"]["application/json"]["schema"]
    assert any(option.get("$ref", "").endswith("/ClaimIn") for option in schema["anyOf"])
    assert operation["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/CouponOut"
    )
    parameters = {(p["in"], p["name"]) for p in operation["parameters"]}
    assert {("header", "Idempotency-Key"), ("path", "campaign_id")} <= parameters


MALFORMED = [
    "no token",
    "bad token",
    "a staff token",
    "malformed json",
    "malformed json and no token",
    "no key",
    "key too long",
    "wrong types",
    "unknown field",
    "share token too long",
    "not json content type",
    "array body",
    "a string body",
    "key too long and bad body",
    "not utf-8",
    "not utf-8 and no token",
    "no such campaign",
]


@pytest.mark.parametrize("case", MALFORMED)
def test_malformed_requests_get_fastapis_answers(twin: Market, case: str) -> None:
    campaign_id = twin.live(per_customer_limit=10)
    person, account_id = twin.customer(5_000)
    token = person.token
    body: dict[str, Any] = {"account_id": account_id}
    request: dict[str, Any] = {"json": body, "headers": _mobile(token, **{"Idempotency-Key": case})}
    if case == "no token":
        request["headers"] = _mobile(None, **{"Idempotency-Key": case})
    elif case == "bad token":
        request["headers"] = _mobile("not-a-token", **{"Idempotency-Key": case})
    elif case == "a staff token":
        request["headers"] = headers(twin.officer(Role.HQ_MARKETING), **{"Idempotency-Key": case})
    elif case.startswith("malformed json"):
        token_or_none = None if case.endswith("no token") else token
        request = {
            "content": b'{"account_id": ',
            "headers": {**_mobile(token_or_none), "Content-Type": "application/json", "Idempotency-Key": "k"},
        }
    elif case == "no key":
        request["headers"] = _mobile(token)
    elif case == "key too long":
        request["headers"] = _mobile(token, **{"Idempotency-Key": "k" * 256})
    elif case == "wrong types":
        request["json"] = {"account_id": 7, "share_token": ["x"]}
    elif case == "unknown field":
        request["json"] = {**body, "amount": 1}
    elif case == "share token too long":
        request["json"] = {"share_token": "s" * 41}
    elif case == "not json content type":
        request = {
            "content": b"account_id=1",
            "headers": {**_mobile(token), "Content-Type": "text/plain", "Idempotency-Key": case},
        }
    elif case == "array body":
        request["json"] = [body]
    elif case == "a string body":
        request["json"] = "claim"
    elif case == "key too long and bad body":
        request = {"json": {"amount": -1}, "headers": _mobile(token, **{"Idempotency-Key": "k" * 300})}
    elif case.startswith("not utf-8"):
        token_or_none = None if case.endswith("no token") else token
        request = {
            "content": b'{"share_token": "\xff\xfe"}',
            "headers": {**_mobile(token_or_none), "Content-Type": "application/json", "Idempotency-Key": "k"},
        }
    target = "no-such-campaign" if case == "no such campaign" else campaign_id
    direct = answer(twin.client, CLAIM.format(campaign_id=target), **request)
    # The same key on the twin would be a replay of the direct route's answer: a key of its own.
    if isinstance(request.get("headers"), dict) and request["headers"].get("Idempotency-Key") == case:
        request["headers"] = {**request["headers"], "Idempotency-Key": f"{case} (twin)"}
    solved = answer(twin.client, TWIN.format(campaign_id=target), **request)
    assert direct == solved
    assert direct[0] in (400, 401, 403, 404, 422)
    if case.startswith(("malformed json", "not utf-8")) or case == "not json content type":
        assert direct[:2] == (400, "malformed_body")
    if case in ("no token", "bad token"):
        assert direct[0] == 401
    if case == "a staff token":
        assert direct[0] == 403
    if case == "no key":
        assert direct[:2] == (400, "idempotency_key_missing")
    if case == "no such campaign":
        assert direct[0] == 404


def _claim(twin: Market, path: str, token: str, key: str, **request: Any) -> tuple[int, dict[str, Any]]:
    response = twin.client.post(path, headers=_mobile(token, **{"Idempotency-Key": key}), **request)
    return response.status_code, response.json()


def _alike(answer: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in answer.items() if name not in VARYING}


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({}, id="no body"),
        pytest.param({"content": b"", "headers": {"Content-Type": "application/json"}}, id="empty json body"),
        pytest.param({"content": b"null", "headers": {"Content-Type": "application/json"}}, id="null"),
        pytest.param({"json": {}}, id="{}"),
        pytest.param({"json": {"share_token": None, "account_id": None}}, id="explicit nulls"),
    ],
)
def test_a_free_claim_and_its_replay_are_answered_by_both_alike(twin: Market, body: dict[str, Any]) -> None:
    campaign_id = twin.live(per_customer_limit=10)
    person, _ = twin.customer()
    claim, solved_claim = CLAIM.format(campaign_id=campaign_id), TWIN.format(campaign_id=campaign_id)

    def send(path: str, key: str, sent: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        extra = sent.get("headers", {})
        request = {name: value for name, value in sent.items() if name != "headers"}
        response = twin.client.post(
            path, headers=_mobile(person.token, **{"Idempotency-Key": key}, **extra), **request
        )
        return response.status_code, response.json()

    direct = send(claim, "a", body)
    solved = send(solved_claim, "b", body)
    assert direct[0] == solved[0] == 201, (direct, solved)
    assert _alike(direct[1]) == _alike(solved[1])
    assert direct[1]["campaign_id"] == campaign_id and direct[1]["status"] == "available"
    assert direct[1]["id"] != solved[1]["id"]  # two coupons, one per route
    # A replay answers the first answer on both: the same coupon, no new one.
    assert send(claim, "a", body) == direct
    assert send(solved_claim, "b", body) == solved
    # The same key with another body is refused alike on both.
    other = {"json": {"share_token": "another"}}
    refused_direct = send(claim, "a", other)
    refused_solved = send(solved_claim, "b", other)
    assert refused_direct[0] == refused_solved[0] >= 400
    assert refused_direct[1]["code"] == refused_solved[1]["code"] == "idempotency_key_reused"
    wallet = twin.client.get("/v1/me/coupons", headers=_mobile(person.token)).json()
    assert sorted(c["id"] for c in wallet) == sorted([direct[1]["id"], solved[1]["id"]])


def test_a_bought_coupon_is_answered_by_both_alike(twin: Market) -> None:
    campaign_id = twin.live(per_customer_limit=10, price=300, value=800)
    person, account_id = twin.customer(5_000)
    direct = _claim(
        twin, CLAIM.format(campaign_id=campaign_id), person.token, "a", json={"account_id": account_id}
    )
    solved = _claim(
        twin, TWIN.format(campaign_id=campaign_id), person.token, "b", json={"account_id": account_id}
    )
    assert direct[0] == solved[0] == 201, (direct, solved)
    assert _alike(direct[1]) == _alike(solved[1])
    assert direct[1]["price"] == 300
    # Without an account to pay from, both refuse a priced coupon alike.
    unpaid_direct = answer(
        twin.client,
        CLAIM.format(campaign_id=campaign_id),
        headers=_mobile(person.token, **{"Idempotency-Key": "c"}),
    )
    unpaid_solved = answer(
        twin.client,
        TWIN.format(campaign_id=campaign_id),
        headers=_mobile(person.token, **{"Idempotency-Key": "d"}),
    )
    assert unpaid_direct == unpaid_solved
    assert unpaid_direct[0] in (400, 409, 422)
    # Nor may anyone pay from another's account, on either.
    _other, others_account = twin.customer(5_000)
    theirs = {"json": {"account_id": others_account}}
    stolen_direct = answer(
        twin.client,
        CLAIM.format(campaign_id=campaign_id),
        headers=_mobile(person.token, **{"Idempotency-Key": "e"}),
        **theirs,
    )
    stolen_solved = answer(
        twin.client,
        TWIN.format(campaign_id=campaign_id),
        headers=_mobile(person.token, **{"Idempotency-Key": "f"}),
        **theirs,
    )
    assert stolen_direct == stolen_solved
    assert stolen_direct[0] in (403, 404, 409, 422)
