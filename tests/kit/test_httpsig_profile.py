"""Signed calls that do not follow the profile, or lack a field, are refused before any key is
used: each with its own code, as problem+json."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from http_message_signatures import HTTPMessageSigner, HTTPSignatureKeyResolver, algorithms
from httpx import Response

from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.kit import signed_app

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
BODY = json.dumps({"amount": 1200}).encode()
COVERED = '("@method" "@target-uri" "content-digest")'


@pytest.fixture
def world(settings: Settings, db: Database) -> Iterator[signed_app.SignedApp]:
    clock.freeze(NOW)
    built = signed_app.build(settings, db)
    built.register("cli_alpha")
    yield built
    assert built.undocumented == [], "answers outside the OpenAPI contract"


@pytest.fixture
def client(world: signed_app.SignedApp) -> TestClient:
    return TestClient(world.app)


def send(client: TestClient, headers: dict[str, str]) -> Response:
    return client.post("/payments", content=BODY, headers={"Content-Type": "application/json", **headers})


def without_param(name: str) -> Callable[[str], str]:
    return lambda value: re.sub(rf';{name}=("[^"]*"|\d+)', "", value)


MALFORMED_INPUTS: dict[str, Callable[[str], str]] = {
    "an extra component": lambda v: v.replace(
        COVERED, '("@method" "@target-uri" "content-digest" "@authority")'
    ),
    "a missing component": lambda v: v.replace(COVERED, '("@method" "@target-uri")'),
    "a component twice": lambda v: v.replace(COVERED, '("@method" "@method" "@target-uri" "content-digest")'),
    "a component with parameters": lambda v: v.replace('"content-digest")', '"content-digest";sf)'),
    "another algorithm": lambda v: v.replace('alg="ed25519"', 'alg="hmac-sha256"'),
    "no algorithm": without_param("alg"),
    "no created": without_param("created"),
    "no nonce": without_param("nonce"),
    "no keyid": without_param("keyid"),
    "created not an integer": lambda v: re.sub(r"created=\d+", 'created="1765022400"', v),
    "an empty nonce": lambda v: re.sub(r'nonce="[^"]*"', 'nonce=""', v),
    "a nonce too long": lambda v: re.sub(r'nonce="[^"]*"', f'nonce="{"n" * 65}"', v),
    "an extra parameter": lambda v: v + ";expires=1765022700",
    "not a structured field": lambda v: v.replace("sig1=(", "sig1=(("),
    "another label": lambda v: v.replace("sig1=", "sig2="),
    "two signatures": lambda v: v + ", sig2=" + v.removeprefix("sig1="),
    "the label twice": lambda v: v + ", " + v,
}


@pytest.mark.parametrize("change", list(MALFORMED_INPUTS), ids=list(MALFORMED_INPUTS))
def test_a_signature_input_off_the_profile_is_malformed(world, client, change) -> None:  # type: ignore[no-untyped-def]
    headers = world.headers("POST", "/payments", BODY, "cli_alpha")
    headers["Signature-Input"] = MALFORMED_INPUTS[change](headers["Signature-Input"])
    response = send(client, headers)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "signature_malformed"


@pytest.mark.parametrize(
    "signature", ["sig1=AAAA", "sig1=:AAAA:, sig2=:AAAA:", "sig1=(:AAAA:)", "sig2=:AAAA:"]
)
def test_a_signature_field_that_is_not_one_byte_sequence_labelled_sig1_is_malformed(
    world, client, signature
) -> None:  # type: ignore[no-untyped-def]
    headers = world.headers("POST", "/payments", BODY, "cli_alpha") | {"Signature": signature}
    response = send(client, headers)
    assert (response.status_code, response.json()["code"]) == (400, "signature_malformed")


def test_a_second_signature_line_makes_the_input_malformed(world, client) -> None:  # type: ignore[no-untyped-def]
    """Field lines are combined as HTTP combines them: two lines are two signatures."""
    headers = world.headers("POST", "/payments", BODY, "cli_alpha")
    lines = [(name, value) for name, value in headers.items()] + [
        ("Signature-Input", headers["Signature-Input"])
    ]
    response = client.post("/payments", content=BODY, headers=[("Content-Type", "application/json"), *lines])
    assert (response.status_code, response.json()["code"]) == (400, "signature_malformed")


@pytest.mark.parametrize("field", ["Signature", "Signature-Input"])
def test_a_call_without_its_signature_is_refused(world, client, field) -> None:  # type: ignore[no-untyped-def]
    headers = world.headers("POST", "/payments", BODY, "cli_alpha")
    del headers[field]
    response = send(client, headers)
    assert (response.status_code, response.json()["code"]) == (401, "signature_missing")
    assert response.headers["accept-signature"] == f'sig1={COVERED};alg="ed25519"'


def test_an_unsigned_call_is_refused(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/payments", json={"amount": 1})
    assert (response.status_code, response.json()["code"]) == (401, "signature_missing")


@pytest.mark.parametrize(
    "digest",
    [None, "sha-512=:" + "A" * 86 + "==:", "sha-256=not-bytes", "(((", "sha-256=:AAAA:, sha-256=:AAAA:"],
    ids=["absent", "only-sha-512", "not-a-byte-sequence", "not-a-structured-field", "twice"],
)
def test_a_call_without_a_sha256_content_digest_is_refused(world, client, digest) -> None:  # type: ignore[no-untyped-def]
    headers = world.headers("POST", "/payments", BODY, "cli_alpha")
    del headers["Content-Digest"]
    if digest is not None:
        headers["Content-Digest"] = digest
    response = send(client, headers)
    assert (response.status_code, response.json()["code"]) == (400, "content_digest_missing")


class _Key(HTTPSignatureKeyResolver):
    def __init__(self, world: signed_app.SignedApp) -> None:
        self.world = world

    def resolve_private_key(self, key_id: str):  # type: ignore[no-untyped-def]
        return self.world.private[key_id]


def test_the_components_may_come_in_any_order(world, client) -> None:  # type: ignore[no-untyped-def]
    """Signed by the library itself with the components in another order, label ``sig1``."""

    class Outgoing:
        def __init__(self) -> None:
            self.method = "POST"
            self.url = signed_app.BASE + "/payments"
            self.headers: dict[str, str] = {}

    message = Outgoing()
    signer = HTTPMessageSigner(signature_algorithm=algorithms.ED25519, key_resolver=_Key(world))
    signer.sign(
        message,
        key_id="cli_alpha",
        created=NOW,
        nonce="reordered",
        label="sig1",
        covered_component_ids=("content-digest", "@target-uri", "@method"),
        body=BODY,
    )
    assert message.headers["Signature-Input"].startswith('sig1=("content-digest" "@target-uri" "@method")')
    response = send(client, message.headers)
    assert response.status_code == 200, response.text
