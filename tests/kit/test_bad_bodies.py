"""Bad input never answers 500: every operation with a body answers a body it cannot read (not
UTF-8, not JSON, another content type than its own) with 400 problem+json ``malformed_body``."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from finlife.kit.auth import Role
from finlife.kit.contract import Problem
from finlife.kit.db import Database
from finlife.kit.errors import PROBLEM_JSON
from finlife.settings import Settings
from tests.factories import atm_token, headers, make_user, sign_in
from tests.partners.factories import ALL_SCOPES, partner_token
from tests.partners.support import keyed_partner, signed_headers

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
# (what is wrong, the body, its content type for a JSON route, for a form route)
BAD_BODIES = [
    ("not utf-8", b'{"amount": "\xff\xfe"}', JSON, None),
    ("not json", b'{"amount": ', JSON, None),
    ("another content type", b"amount=1", "text/plain", "text/plain"),
    ("json to a form route", b'{"username": "x"}', None, JSON),
    ("form not utf-8", b"username=%ff%fe&password=x", None, FORM),
    ("form not utf-8, unescaped", b"username=\xff\xfe&password=x", None, FORM),
]


def _bodies(client: TestClient) -> list[tuple[str, str, str]]:
    document = client.get("/openapi.json").json()
    found = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if content:
                found.append((method, path, JSON if JSON in content else FORM))
    return found


@pytest.mark.parametrize(("case", "raw", "to_json", "to_form"), BAD_BODIES, ids=[b[0] for b in BAD_BODIES])
def test_every_body_it_cannot_read_is_a_400_problem(
    case: str,
    raw: bytes,
    to_json: str | None,
    to_form: str | None,
    client: TestClient,
    db: Database,
    settings: Settings,
) -> None:
    token = sign_in(client, username=make_user(db, settings, roles=tuple(Role)))
    machine = atm_token(client, token)
    # A partner's own routes admit only a partner's token (one holding every scope but a consent's),
    # and those that open accounts or move money only its signed calls: the bad body is signed as
    # sent, so that what refuses it is the body, not the signature.
    signer = keyed_partner(db, settings)
    partner = partner_token(db, signer.made, scopes=["partner:self", *ALL_SCOPES])
    wrong: list[Any] = []
    tried = 0
    for method, path, media in _bodies(client):
        content_type = to_json if media == JSON else to_form
        if content_type is None:
            continue
        tried += 1
        caller = machine if path.startswith("/v1/atm/") else token  # an ATM's routes admit only ATMs
        fields = {"Content-Type": content_type, "Idempotency-Key": f"bad-{case}"}
        url = path.replace("{", "x").replace("}", "")
        sent = headers(caller, **fields)
        if path.startswith("/v1/partner/"):
            sent = signed_headers(signer, partner, url, raw, method.upper(), **fields)
        answer = client.request(method.upper(), url, content=raw, headers=sent)
        got = (answer.status_code, answer.headers.get("content-type"), answer.json().get("code"))
        if got != (400, PROBLEM_JSON, "malformed_body"):
            wrong.append((method, path, got))
        else:
            Problem.model_validate(answer.json())
    assert wrong == []
    assert tried >= 2


def test_a_transfer_that_is_not_utf8_needs_no_sign_in_to_be_refused(client: TestClient) -> None:
    answer = client.post(
        "/v1/transfers",
        content=b'{"from_account_id": "\xff"}',
        headers={"Content-Type": JSON, "Idempotency-Key": "k"},
    )
    assert answer.status_code == 400
    assert answer.headers["content-type"] == PROBLEM_JSON
    assert answer.json()["code"] == "malformed_body"
