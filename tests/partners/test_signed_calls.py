"""Partners' calls that open accounts or move money are refused unless signed (RFC 9421) with the
Ed25519 key the calling partner registered: each refusal with its own code, before anything
happens (no request recorded, no text sent, no money moved)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient

from finlife.kit.db import Database
from finlife.partners.opening.models import PartnerOpening
from finlife.settings import Settings
from tests.accounts.support import Bank, count_rows
from tests.factories import headers
from tests.partners.factories import make_partner, partner_token
from tests.partners.support import (
    Caller,
    KeyedPartner,
    caller,
    encoded,
    keyed_partner,
    signed_headers,
    texts_to,
)
from tests.partners.test_opening import OPEN_SCOPES, customer_here
from tests.partners.test_payments import pay, setup

ACCOUNTS = "/v1/partner/accounts"


@pytest.fixture
def opener(db: Database, settings: Settings) -> Caller:
    return caller(db, settings, scopes=OPEN_SCOPES)


def _nothing_happened(db: Database, before: int, phone: str) -> None:
    assert count_rows(db, PartnerOpening) == before
    assert texts_to(db, phone) == []


@pytest.mark.parametrize("path", [ACCOUNTS, f"{ACCOUNTS}/pao_x/confirm", f"{ACCOUNTS}/pao_x/code"])
def test_an_unsigned_call_is_refused(
    client: TestClient, db: Database, settings: Settings, opener: Caller, path: str
) -> None:
    answer = client.post(path, json={"code": "123456"}, headers=headers(opener.token))
    assert (answer.status_code, answer.json()["code"]) == (401, "signature_missing")
    assert answer.headers["Accept-Signature"].startswith('sig1=("@method" "@target-uri" "content-digest")')


def test_a_body_changed_after_signing_is_refused(
    client: TestClient, bank: Bank, db: Database, settings: Settings, opener: Caller
) -> None:
    person, _, body = customer_here(bank, settings)
    signed = signed_headers(opener.signer, opener.token, ACCOUNTS, encoded({**body, "class": "II"}))
    before = count_rows(db, PartnerOpening)
    changed = encoded({**body, "class": "III"})
    answer = client.post(ACCOUNTS, content=changed, headers=signed)
    assert (answer.status_code, answer.json()["code"]) == (400, "content_digest_mismatch")
    _nothing_happened(db, before, person.phone)


def test_a_call_signed_with_another_partners_key_is_refused(
    client: TestClient, bank: Bank, db: Database, settings: Settings, opener: Caller
) -> None:
    """The other partner's signature verifies (its key is registered), but the token is not its."""
    person, _, body = customer_here(bank, settings)
    other = keyed_partner(db, settings, name="别家")
    raw = encoded({**body, "class": "II"})
    before = count_rows(db, PartnerOpening)
    answer = client.post(ACCOUNTS, content=raw, headers=signed_headers(other, opener.token, ACCOUNTS, raw))
    assert (answer.status_code, answer.json()["code"]) == (401, "signature_keyid_mismatch")
    _nothing_happened(db, before, person.phone)


def test_a_signature_made_with_an_unregistered_key_is_refused(
    client: TestClient, bank: Bank, db: Database, settings: Settings, opener: Caller
) -> None:
    person, _, body = customer_here(bank, settings)
    impostor = KeyedPartner(opener.signer.made, Ed25519PrivateKey.generate())  # same keyid, other key
    raw = encoded({**body, "class": "II"})
    before = count_rows(db, PartnerOpening)
    answer = client.post(ACCOUNTS, content=raw, headers=signed_headers(impostor, opener.token, ACCOUNTS, raw))
    assert (answer.status_code, answer.json()["code"]) == (401, "signature_invalid")
    _nothing_happened(db, before, person.phone)


@pytest.mark.parametrize("status", ["active", "suspended"])
def test_a_partner_without_a_usable_key_is_refused(
    client: TestClient, bank: Bank, db: Database, settings: Settings, status: str
) -> None:
    """No registered key, or the key of a partner that is not active: the keyid has no key."""
    person, _, body = customer_here(bank, settings)
    if status == "active":
        keyless = make_partner(db, settings)
        signer = KeyedPartner(keyless, Ed25519PrivateKey.generate())
        token = partner_token(db, keyless, scopes=OPEN_SCOPES)
    else:
        signer = keyed_partner(db, settings, status=status)
        token = "pat_not-needed"  # the signature is refused first
    raw = encoded({**body, "class": "II"})
    before = count_rows(db, PartnerOpening)
    answer = client.post(ACCOUNTS, content=raw, headers=signed_headers(signer, token, ACCOUNTS, raw))
    assert (answer.status_code, answer.json()["code"]) == (401, "signature_unknown_key")
    _nothing_happened(db, before, person.phone)


def test_a_replayed_call_is_refused(
    client: TestClient, bank: Bank, db: Database, settings: Settings, opener: Caller
) -> None:
    person, _, body = customer_here(bank, settings)
    raw = encoded({**body, "class": "II"})
    sent = signed_headers(opener.signer, opener.token, ACCOUNTS, raw)
    before = count_rows(db, PartnerOpening)
    first = client.post(ACCOUNTS, content=raw, headers=sent)
    assert first.status_code == 202, first.text
    again = client.post(ACCOUNTS, content=raw, headers=sent)
    assert (again.status_code, again.json()["code"]) == (401, "signature_replayed")
    assert count_rows(db, PartnerOpening) == before + 1
    assert len(texts_to(db, person.phone)) == 1


def test_a_replayed_payment_moves_the_money_once(
    client: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    s = setup(bank, db, settings)
    body: dict[str, Any] = {
        "from_account": s.account,
        "payee": {"name": s.payee.name, "account_number": s.payee_number},
        "amount": 1_000,
        "currency": "CNY",
    }
    raw = encoded(body)
    path = "/v1/partner/payments"
    sent = signed_headers(s.signer, s.token, path, raw, **{"Idempotency-Key": "k-replay"})
    assert client.post(path, content=raw, headers=sent).status_code == 201
    again = client.post(path, content=raw, headers=sent)
    assert (again.status_code, again.json()["code"]) == (401, "signature_replayed")
    assert bank.balance(s.account) == 499_000


def test_a_payment_signed_by_another_partner_is_refused(
    client: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    s = setup(bank, db, settings)
    other = keyed_partner(db, settings, name="别家")
    refused = pay(client, replace(s, signer=other), 1_000)
    assert (refused.status_code, refused.json()["code"]) == (401, "signature_keyid_mismatch")
    assert bank.balance(s.account) == 500_000
