"""/openapi.json states every answer: problem+json with the one Problem schema for each status a route
can give, FastAPI's default 422 shape nowhere, and Idempotency-Key required exactly where the server
requires it (checked against behaviour: without the key, 400 on exactly those routes)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from finlife.kit.auth import Access, Role
from finlife.kit.contract import Problem
from finlife.kit.contract.openapi import OWN_ERROR_SHAPE, api_routes
from finlife.kit.db import Database
from finlife.kit.errors import PROBLEM_JSON
from finlife.settings import Settings
from tests.factories import atm_token, headers, make_user, sign_in
from tests.partners.factories import ALL_SCOPES, partner_token
from tests.partners.support import keyed_partner, signed_headers

PROBLEM_SCHEMAS = {"#/components/schemas/Problem", "#/components/schemas/DeclineProblem"}
OAUTH_ERROR = "#/components/schemas/OAuthError"


@pytest.fixture(scope="module")
def document(client: TestClient) -> dict[str, Any]:
    answer = client.get("/openapi.json")
    assert answer.status_code == 200
    body: dict[str, Any] = answer.json()
    return body


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, ops in document["paths"].items() for method, op in ops.items()]


def _header(operation: dict[str, Any], name: str) -> dict[str, Any] | None:
    found = [p for p in operation.get("parameters", []) if p["in"] == "header" and p["name"] == name]
    return found[0] if found else None


def test_no_default_validation_shape_remains(document: dict[str, Any]) -> None:
    text = json.dumps(document)
    assert "HTTPValidationError" not in text
    assert '"ValidationError"' not in text and "/ValidationError" not in text
    problem = document["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail", "code", "instance"}
    assert {"errors", "field"} <= set(problem["properties"])
    assert document["components"]["schemas"]["FieldError"]["required"] == ["field", "message", "type"]


def test_every_error_status_is_problem_json(document: dict[str, Any]) -> None:
    """Except where a route declares OAuth 2.0's own JSON error (the /oauth endpoints), beside it."""
    wrong = []
    for path, method, operation in _operations(document):
        for status, response in operation["responses"].items():
            if int(status) < 400:
                continue
            if "Codes: " not in response["description"]:
                wrong.append(f"{method} {path} {status}: no codes named")
            content = dict(response.get("content", {}))
            if response.get(OWN_ERROR_SHAPE):  # OAuth 2.0's JSON error on the /oauth endpoints
                own = content.pop("application/json", {}).get("schema", {})
                if own.get("$ref") != OAUTH_ERROR or not path.startswith("/oauth/"):
                    wrong.append(f"{method} {path} {status}: own shape")
                if not content:
                    continue
            schema = content.get(PROBLEM_JSON, {}).get("schema", {})
            if list(content) != [PROBLEM_JSON] or schema.get("$ref") not in PROBLEM_SCHEMAS:
                wrong.append(f"{method} {path} {status}")
    assert wrong == []


def test_statuses_follow_each_routes_declaration(app: FastAPI, document: dict[str, Any]) -> None:
    """Access gives 401/403, any input 422, a body 400 malformed_body; nothing documents a 500."""
    missing = []
    for context in api_routes(app):
        for method in context.methods or ():
            operation = document["paths"][context.path_format][method.lower()]
            statuses = set(operation["responses"])
            accesses = [d.call for d in context.dependant.dependencies if isinstance(d.call, Access)]
            expected = set()
            if any(not a.public for a in accesses):
                expected.add("401")
            if any(a.roles and not a.any_user for a in accesses):
                expected.add("403")
            if operation.get("parameters") or "requestBody" in operation:
                expected.add("422")
            if "requestBody" in operation:
                expected.add("400")
                if "malformed_body" not in operation["responses"]["400"]["description"]:
                    missing.append(f"{method} {context.path_format}: malformed_body")
            if not expected <= statuses or "500" in statuses:
                missing.append(f"{method} {context.path_format}: {sorted(expected - statuses)}")
    assert missing == []


def test_the_main_refusals_are_documented_where_they_happen(document: dict[str, Any]) -> None:
    """Read from the code, not typed by hand: a few refusals each route's services can give."""
    paths = document["paths"]

    def codes(path: str, method: str, status: str) -> str:
        description: str = paths[path][method]["responses"][status]["description"]
        return description

    assert "insufficient_funds" in codes("/v1/transfers", "post", "422")
    assert "limit_exceeded" in codes("/v1/transfers", "post", "422")
    assert "idempotency_in_progress" in codes("/v1/transfers", "post", "409")
    assert "interbank_unavailable" in codes("/v1/transfers", "post", "503")
    assert "card_declined" in codes("/v1/orders/{order_id}/payments", "post", "402")
    assert "phone_taken" in codes("/v1/signup", "post", "409")
    assert "sign_in_frozen" in codes("/v1/auth/token", "post", "423")
    assert "sign_in_throttled" in codes("/v1/auth/token", "post", "429")
    assert "settlement_file_invalid" in codes("/v1/reconciliations", "post", "422")
    assert "404" not in paths["/v1/signup"]["post"]["responses"]
    assert "401" not in paths["/v1/signup"]["post"]["responses"]  # public


def _everyone(client: TestClient, db: Database, settings: Settings) -> str:
    """A login holding every role: past every route's Access, so the key is what is checked."""
    return sign_in(client, username=make_user(db, settings, roles=tuple(Role)))


def test_idempotency_key_is_required_exactly_where_the_server_requires_it(
    client: TestClient, db: Database, settings: Settings, document: dict[str, Any]
) -> None:
    token = _everyone(client, db, settings)
    machine = atm_token(client, token)
    partner = keyed_partner(db, settings)
    partner_call = partner_token(db, partner.made, scopes=ALL_SCOPES)
    stated, behaved, optional = set(), set(), set()
    for path, method, operation in _operations(document):
        if method != "post":
            continue
        key = _header(operation, "Idempotency-Key")
        if key is not None and key["required"]:
            stated.add(path)
            assert key["schema"] == {"type": "string", "minLength": 1, "maxLength": 255}
            assert "idempotency_key_missing" in operation["responses"]["400"]["description"]
            assert "idempotency_key_reused" in operation["responses"]["422"]["description"]
        elif key is not None:
            optional.add(path)
        caller = machine if path.startswith("/v1/atm/") else token  # an ATM's routes admit only ATMs
        if path == "/v1/me/sessions/revoke-all":  # it ends every token of its caller's login
            caller = _everyone(client, db, settings)
        url = path.replace("{", "x").replace("}", "")
        sent = {**headers(caller), "Content-Type": "application/json"}
        if path.startswith("/v1/partner/"):  # partners' routes admit only partners, their calls signed
            sent = signed_headers(partner, partner_call, url, b"{}", **{"Content-Type": "application/json"})
        answer = client.post(url, content=b"{}", headers=sent)
        assert answer.status_code < 500, (path, answer.text)
        # (.get: the /oauth endpoints answer OAuth 2.0's error, which has no code)
        if answer.status_code == 400 and answer.json().get("code") == "idempotency_key_missing":
            Problem.model_validate(answer.json())
            assert answer.headers["content-type"] == PROBLEM_JSON
            behaved.add(path)
    assert stated == behaved
    assert "/v1/transfers" in stated and "/v1/orders/{order_id}/payments" in stated
    assert "/v1/accounts/{account_id}/cards" in optional and "/v1/signup" in optional
