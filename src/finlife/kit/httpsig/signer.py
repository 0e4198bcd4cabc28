"""The client's side: the headers that sign a request in finlife's profile (for partners' apps,
the tests and the bench). ``http_message_signatures`` builds the signature base and the fields."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from http_message_signatures import HTTPMessageSigner, HTTPSignatureKeyResolver, algorithms

from finlife.kit.clock import clock
from finlife.kit.httpsig.profile import COMPONENTS, LABEL

NONCE_BYTES = 16


@dataclass
class _Outgoing:
    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)  # what the library writes


class _OwnKey(HTTPSignatureKeyResolver):
    def __init__(self, key: Ed25519PrivateKey) -> None:
        self.key = key

    def resolve_private_key(self, key_id: str) -> Ed25519PrivateKey:
        return self.key

    def resolve_public_key(self, key_id: str) -> Any:
        return self.key.public_key()


def sign_request(
    method: str,
    url: str,
    body: bytes,
    private_key: Ed25519PrivateKey,
    keyid: str,
    created: int | None = None,
    nonce: str | None = None,
) -> dict[str, str]:
    """``Content-Digest``, ``Signature-Input`` and ``Signature`` for the request.

    ``url`` is the absolute URL the request is sent to, percent-encoded as sent (its query string is
    signed too); ``body`` the exact bytes sent (``b""`` when there is none). ``created`` (Unix
    seconds) defaults to now, ``nonce`` to 16 random bytes in URL-safe base64."""
    message = _Outgoing(method.upper(), url)
    signer = HTTPMessageSigner(signature_algorithm=algorithms.ED25519, key_resolver=_OwnKey(private_key))
    at = clock.now() if created is None else datetime.fromtimestamp(created, UTC)
    signer.sign(
        message,
        key_id=keyid,
        created=at,
        nonce=nonce if nonce is not None else secrets.token_urlsafe(NONCE_BYTES),
        label=LABEL,
        covered_component_ids=COMPONENTS,
        body=body,
    )
    return dict(message.headers)
