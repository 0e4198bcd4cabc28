"""Signed calls (RFC 9421 + RFC 9530) through a route that declares ``SignedCall``: the valid call,
each refusal with its own code, replays across the window, the log line and the contract."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import func, select

from finlife.kit.clock import clock
from finlife.kit.contract.raises import Raised, problems_of
from finlife.kit.db import Database
from finlife.kit.httpsig import VerifiedCall
from finlife.kit.httpsig.models import SignatureNonce
from finlife.settings import Settings
from tests.kit import signed_app

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
BODY = json.dumps({"amount": 1200}).encode()


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


def post(client: TestClient, path: str, body: bytes, headers: dict[str, str]) -> Response:
    return client.post(path, content=body, headers={"Content-Type": "application/json", **headers})


def refused_with(response: Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == code


def nonce_rows(db: Database) -> int:
    with db.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(SignatureNonce)) or 0)


def test_a_signed_call_passes_and_its_nonce_is_remembered(world, client, db) -> None:  # type: ignore[no-untyped-def]
    headers = world.headers("POST", "/payments", BODY, "cli_alpha", nonce="n-1")
    response = post(client, "/payments", BODY, headers)
    assert response.status_code == 200, response.text
    assert response.json() == {"keyid": "cli_alpha", "amount": 1200, "nonces": 1}
    assert nonce_rows(db) == 1


def test_a_call_without_a_body_is_signed_over_the_empty_body(world, client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/balance", headers=world.headers("GET", "/balance", b"", "cli_alpha"))
    assert response.status_code == 200, response.text
    assert response.json() == {"keyid": "cli_alpha"}


def test_the_query_string_is_part_of_the_signed_target(world, client) -> None:  # type: ignore[no-untyped-def]
    headers = world.headers("GET", "/balance?currency=CNY", b"", "cli_alpha")
    refused_with(client.get("/balance?currency=USD", headers=headers), 401, "signature_invalid")
    assert client.get("/balance?currency=CNY", headers=headers).status_code == 200


def test_another_method_than_the_signed_one_is_refused(world, client) -> None:  # type: ignore[no-untyped-def]
    headers = world.headers("PUT", "/payments", BODY, "cli_alpha")
    refused_with(post(client, "/payments", BODY, headers), 401, "signature_invalid")


def test_a_body_changed_after_signing_does_not_match_its_digest(world, client) -> None:  # type: ignore[no-untyped-def]
    headers = world.headers("POST", "/payments", BODY, "cli_alpha")
    refused_with(post(client, "/payments", b'{"amount": 999999}', headers), 400, "content_digest_mismatch")


def test_a_digest_of_another_body_is_refused(world, client) -> None:  # type: ignore[no-untyped-def]
    # The client signed a digest that is not its body's: the signature covers a wrong digest.
    other = world.headers("POST", "/payments", b'{"amount": 1}', "cli_alpha")
    headers = world.headers("POST", "/payments", BODY, "cli_alpha") | {
        "Content-Digest": other["Content-Digest"]
    }
    refused_with(post(client, "/payments", BODY, headers), 400, "content_digest_mismatch")


def test_a_digest_rewritten_to_match_a_new_body_breaks_the_signature(world, client) -> None:  # type: ignore[no-untyped-def]
    tampered = b'{"amount": 999999}'
    headers = world.headers("POST", "/payments", BODY, "cli_alpha")
    headers["Content-Digest"] = world.headers("POST", "/payments", tampered, "cli_alpha")["Content-Digest"]
    refused_with(post(client, "/payments", tampered, headers), 401, "signature_invalid")


def test_a_signature_by_another_key_is_invalid(world, client) -> None:  # type: ignore[no-untyped-def]
    world.register("cli_beta")
    headers = world.headers("POST", "/payments", BODY, "cli_beta")
    headers["Signature-Input"] = headers["Signature-Input"].replace('keyid="cli_beta"', 'keyid="cli_alpha"')
    refused_with(post(client, "/payments", BODY, headers), 401, "signature_invalid")


def test_a_keyid_without_a_key_is_unknown(world, client) -> None:  # type: ignore[no-untyped-def]
    world.register("cli_gone")
    headers = world.headers("POST", "/payments", BODY, "cli_gone")
    del world.keys["cli_gone"]
    refused_with(post(client, "/payments", BODY, headers), 401, "signature_unknown_key")


@pytest.mark.parametrize(
    ("offset", "accepted"),
    [(-300, True), (-301, False), (30, True), (31, False)],
    ids=["five-minutes-old", "older", "skew-ahead", "further-ahead"],
)
def test_a_signature_is_fresh_for_five_minutes_and_a_small_skew(world, client, offset, accepted) -> None:  # type: ignore[no-untyped-def]
    created = int(NOW.timestamp()) + offset
    headers = world.headers("POST", "/payments", BODY, "cli_alpha", created=created)
    response = post(client, "/payments", BODY, headers)
    if accepted:
        assert response.status_code == 200, response.text
    else:
        refused_with(response, 401, "signature_expired")
        assert response.headers["accept-signature"].startswith(
            'sig1=("@method" "@target-uri" "content-digest")'
        )


def test_a_replayed_nonce_is_refused_the_second_time(world, client, db) -> None:  # type: ignore[no-untyped-def]
    headers = world.headers("POST", "/payments", BODY, "cli_alpha", nonce="once")
    assert post(client, "/payments", BODY, headers).status_code == 200
    refused_with(post(client, "/payments", BODY, headers), 401, "signature_replayed")
    # A fresh signature with the same nonce is a replay too, within the window.
    clock.advance(timedelta(seconds=60))
    again = world.headers("POST", "/payments", BODY, "cli_alpha", nonce="once")
    refused_with(post(client, "/payments", BODY, again), 401, "signature_replayed")
    # The same nonce is another client's own.
    world.register("cli_beta")
    assert (
        post(
            client, "/payments", BODY, world.headers("POST", "/payments", BODY, "cli_beta", nonce="once")
        ).status_code
        == 200
    )
    assert nonce_rows(db) == 2


def test_a_nonce_is_free_again_once_its_window_has_passed(world, client, db) -> None:  # type: ignore[no-untyped-def]
    assert (
        post(
            client, "/payments", BODY, world.headers("POST", "/payments", BODY, "cli_alpha", nonce="n")
        ).status_code
        == 200
    )
    clock.advance(timedelta(seconds=331))  # past the 300 s age and the 30 s skew
    again = world.headers("POST", "/payments", BODY, "cli_alpha", nonce="n")
    assert post(client, "/payments", BODY, again).status_code == 200
    refused_with(post(client, "/payments", BODY, again), 401, "signature_replayed")


def test_old_nonces_are_pruned(world, client, db) -> None:  # type: ignore[no-untyped-def]
    for nonce in ("a", "b"):
        assert (
            post(
                client, "/payments", BODY, world.headers("POST", "/payments", BODY, "cli_alpha", nonce=nonce)
            ).status_code
            == 200
        )
    assert nonce_rows(db) == 2
    clock.advance(timedelta(minutes=10))
    assert (
        post(
            client, "/payments", BODY, world.headers("POST", "/payments", BODY, "cli_alpha", nonce="c")
        ).status_code
        == 200
    )
    assert nonce_rows(db) == 1


def test_a_nonce_stays_spent_when_the_route_then_fails(world, client) -> None:  # type: ignore[no-untyped-def]
    headers = world.headers("POST", "/payments/refused", BODY, "cli_alpha", nonce="spent")
    refused_with(post(client, "/payments/refused", BODY, headers), 409, "idempotency_in_progress")
    refused_with(post(client, "/payments/refused", BODY, headers), 401, "signature_replayed")


def test_the_key_must_be_the_callers_own(world, client) -> None:  # type: ignore[no-untyped-def]
    path = "/payments/as/cli_beta"
    refused_with(
        post(client, path, BODY, world.headers("POST", path, BODY, "cli_alpha")),
        401,
        "signature_keyid_mismatch",
    )
    path = "/payments/as/cli_alpha"
    assert post(client, path, BODY, world.headers("POST", path, BODY, "cli_alpha")).status_code == 200


def test_each_refusal_is_logged_with_its_keyid_code_method_and_path(world, client, caplog) -> None:  # type: ignore[no-untyped-def]
    headers = world.headers("POST", "/payments", BODY, "cli_alpha")
    with caplog.at_level(logging.WARNING, logger="finlife.kit.httpsig"):
        post(client, "/payments", b"{}", headers)
    records = [r for r in caplog.records if hasattr(r, "signature")]
    assert [r.signature for r in records] == [  # type: ignore[attr-defined]
        {"code": "content_digest_mismatch", "keyid": "cli_alpha", "method": "POST", "path": "/payments"}
    ]
    assert (
        "code=content_digest_mismatch keyid='cli_alpha' method=POST path='/payments'"
        in records[0].getMessage()
    )


def test_the_contract_documents_every_refusal_of_a_signed_route(world) -> None:  # type: ignore[no-untyped-def]
    responses = world.app.openapi()["paths"]["/payments"]["post"]["responses"]
    assert responses["401"]["description"] == (
        "Unauthorized. Codes: signature_expired, signature_invalid, signature_missing,"
        " signature_replayed, signature_unknown_key."
    )
    assert responses["400"]["description"] == (
        "Bad Request. Codes: content_digest_mismatch, content_digest_missing, malformed_body,"
        " signature_malformed."
    )
    parameters = world.app.openapi()["paths"]["/payments"]["post"]["parameters"]
    assert {(p["in"], p["name"]) for p in parameters} == {
        ("header", "Signature-Input"),
        ("header", "Signature"),
        ("header", "Content-Digest"),
    }
    # A finlife route calling ``signed.require_keyid(…)`` reaches the method by its name.
    assert problems_of(VerifiedCall.require_keyid) == {Raised(401, "signature_keyid_mismatch")}
