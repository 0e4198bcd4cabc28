"""The signature's cryptography, done by ``http_message_signatures`` (RFC 9421): it rebuilds the
signature base (§2.5) from the request and checks the Ed25519 signature with ``cryptography``.

The library is told nothing about time: freshness is judged by ``profile.check_freshness`` against
the kit's clock, before this runs, so that each refusal keeps its own code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from http_message_signatures import (
    HTTPMessageSignaturesException,
    HTTPMessageVerifier,
    HTTPSignatureKeyResolver,
    InvalidSignature,
    algorithms,
)
from starlette.types import Scope

from finlife.kit.httpsig.errors import SignatureInvalid


class Headers(Protocol):
    """Every field line in order, as Starlette's ``Headers`` gives them."""

    def items(self) -> Iterable[tuple[str, str]]: ...


@dataclass(frozen=True, slots=True)
class SignedMessage:
    """A request as the signature covers it: its method, its absolute target URI, its fields."""

    method: str
    url: str
    headers: Headers


def target_uri(scope: Scope) -> str:
    """The request's ``@target-uri`` (RFC 9421 §2.2.2): scheme, authority, path and query as sent.

    The path is the one on the wire (``raw_path``), not the percent-decoded one routes see; the
    scheme and host are those the server knows (behind a TLS proxy, run the server with its
    forwarded headers trusted so that the scheme is the client's ``https``)."""
    headers = dict(scope["headers"])
    host = headers.get(b"host", b"").decode("latin-1")
    raw_path = scope.get("raw_path")
    path = raw_path.decode("latin-1") if raw_path else quote(scope.get("root_path", "") + scope["path"])
    query = scope.get("query_string", b"").decode("latin-1")
    return f"{scope['scheme']}://{host}{path}" + (f"?{query}" if query else "")


class _OneKey(HTTPSignatureKeyResolver):
    """The key already looked up for the signature's keyid (the lookup is the caller's)."""

    def __init__(self, key: Ed25519PublicKey) -> None:
        self.key = key

    def resolve_public_key(self, key_id: str) -> Ed25519PublicKey:
        return self.key

    def resolve_private_key(self, key_id: str) -> Any:
        raise HTTPMessageSignaturesException("a verifier holds no private key")


class _TimelessVerifier(HTTPMessageVerifier):
    def validate_created_and_expires(self, sig_input: Any, max_age: Any = None) -> None:
        """Freshness was checked already, against the kit's clock (which tests move)."""


def verify_signature(message: SignedMessage, key: Ed25519PublicKey) -> None:
    """Refuse (401 ``signature_invalid``) unless the message's one signature verifies with ``key``."""
    verifier = _TimelessVerifier(signature_algorithm=algorithms.ED25519, key_resolver=_OneKey(key))
    try:
        verifier.verify(message, max_age=None)
    except (InvalidSignature, HTTPMessageSignaturesException) as error:
        raise SignatureInvalid() from error
