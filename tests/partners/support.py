"""What partners' opening and payment tests share: partners holding an Ed25519 key, their calls
signed as RFC 9421 asks (``kit.httpsig.sign_request``), and the codes people receive by text."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient

from finlife.identity.sms import messages_to
from finlife.kit.db import Database
from finlife.kit.httpsig import public_key_pem, sign_request
from finlife.settings import Settings
from tests.partners.factories import MadePartner, make_partner, partner_token

CODE = re.compile(r"(?<![0-9])([0-9]{6})(?![0-9])")
BASE = "http://testserver"  # where the TestClient sends: the @target-uri the server rebuilds


@dataclass(frozen=True)
class KeyedPartner:
    """A partner with the private half of the key it registered."""

    made: MadePartner
    key: Ed25519PrivateKey

    @property
    def client_id(self) -> str:
        return self.made.client_id


def keyed_partner(db: Database, settings: Settings, **options: Any) -> KeyedPartner:
    """An active partner (``make_partner``'s options) that registered a fresh Ed25519 key, as PEM."""
    key = Ed25519PrivateKey.generate()
    made = make_partner(db, settings, public_key=public_key_pem(key.public_key()), **options)
    return KeyedPartner(made, key)


def encoded(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode()


def signed_headers(
    signer: KeyedPartner, token: str, path: str, body: bytes = b"", method: str = "POST", **extra: str
) -> dict[str, str]:
    """The headers of a call to ``path`` carrying ``body``, signed with ``signer``'s key."""
    signature = sign_request(method, BASE + path, body, signer.key, signer.client_id)
    sent = {"Authorization": f"Bearer {token}", **signature, **extra}
    if body:
        sent.setdefault("Content-Type", "application/json")
    return sent


def signed_post(
    client: TestClient, signer: KeyedPartner, token: str, path: str, payload: Any, **extra: str
) -> httpx.Response:
    """POST ``payload`` as JSON, signed: the exact bytes the signature's Content-Digest covers."""
    body = encoded(payload)
    return client.post(path, content=body, headers=signed_headers(signer, token, path, body, **extra))


@dataclass(frozen=True)
class Caller:
    """A partner's token together with the key its calls are signed with."""

    signer: KeyedPartner
    token: str

    def post(self, client: TestClient, path: str, payload: Any = None, **extra: str) -> httpx.Response:
        """A signed POST; without ``payload`` the body is empty (its digest is the empty body's)."""
        if payload is None:
            return client.post(path, headers=signed_headers(self.signer, self.token, path, **extra))
        return signed_post(client, self.signer, self.token, path, payload, **extra)


def caller(db: Database, settings: Settings, *, scopes: list[str], **options: Any) -> Caller:
    """A new keyed partner's client-credentials token holding ``scopes``."""
    signer = keyed_partner(db, settings, **options)
    return Caller(signer, partner_token(db, signer.made, scopes=scopes))


def texts_to(db: Database, phone: str) -> list[str]:
    with db.unit_of_work() as session:
        return messages_to(session, phone)


def last_code(db: Database, phone: str) -> str:
    """The one-time code in the latest text message sent to ``phone`` (which must carry one)."""
    texts = texts_to(db, phone)
    assert texts, phone
    found = CODE.search(texts[-1])
    assert found, texts[-1]
    return found.group(1)
