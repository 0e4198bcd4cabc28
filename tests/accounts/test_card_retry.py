"""A client that retries the card request after a lost answer gets the same card, not a second one;
the full number and the PIN stay out of the idempotency record."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlalchemy import text

from finlife.kit.db import Database
from finlife.settings import Settings
from tests.factories import applicant, headers


def _cards(client: TestClient, token: str, account_id: str) -> list[str]:
    listed = client.get(f"/v1/accounts/{account_id}/cards", headers=headers(token))
    assert listed.status_code == 200, listed.text
    return [card["id"] for card in listed.json()]


def test_a_retried_card_request_issues_one_card(client: TestClient, db: Database, settings: Settings) -> None:
    person = applicant(client, db, settings)
    path = f"/v1/accounts/{person.account_id}/cards"
    sent = headers(person.token, **{"Idempotency-Key": "card-1"})
    first = client.post(path, json={"pin": "135790"}, headers=sent)
    assert first.status_code == 201, first.text
    issued = first.json()
    assert len(issued["pan"]) == 19 and issued["expiry"] is not None
    assert "Idempotent-Replayed" not in first.headers
    retry = client.post(path, json={"pin": "135790"}, headers=sent)
    assert retry.status_code == 201, retry.text
    assert retry.headers["Idempotent-Replayed"] == "true"
    # The same card; its number and expiry were answered once and are not kept to answer again.
    assert retry.json() == issued | {"pan": None, "expiry": None}
    assert _cards(client, person.token, person.account_id) == [issued["id"]]
    with db.engine.connect() as conn:
        stored = conn.execute(text("SELECT fingerprint, response_body FROM idempotency_keys")).one()
    kept = json.dumps(stored[1]) if not isinstance(stored[1], str) else stored[1]
    assert issued["pan"] not in kept and issued["pan"][-4:] in kept  # masked only
    assert "135790" not in kept


def test_another_pin_under_the_same_key_is_refused(
    client: TestClient, db: Database, settings: Settings
) -> None:
    person = applicant(client, db, settings)
    path = f"/v1/accounts/{person.account_id}/cards"
    sent = headers(person.token, **{"Idempotency-Key": "card-2"})
    assert client.post(path, json={"pin": "135790"}, headers=sent).status_code == 201
    other = client.post(path, json={"pin": "246802"}, headers=sent)
    assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")
    assert len(_cards(client, person.token, person.account_id)) == 1


def test_without_a_key_each_request_issues_a_card(
    client: TestClient, db: Database, settings: Settings
) -> None:
    person = applicant(client, db, settings)
    path = f"/v1/accounts/{person.account_id}/cards"
    for _ in range(2):
        answer = client.post(path, json={"pin": "135790"}, headers=headers(person.token))
        assert answer.status_code == 201 and answer.json()["pan"] is not None
    assert len(_cards(client, person.token, person.account_id)) == 2
