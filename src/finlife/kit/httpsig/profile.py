"""The one signature profile finlife accepts, read from a request's headers before any key is used.

    Signature-Input: sig1=("@method" "@target-uri" "content-digest")
                     ;created=<unix>;nonce="…";keyid="…";alg="ed25519"     (one line)
    Signature: sig1=:<base64>:
    Content-Digest: sha-256=:<base64>:

The fields are parsed as RFC 8941 structured fields (``http_sf``); what they say is checked here, so
that each way of getting it wrong has its own refusal. The cryptography is ``verify``'s.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import http_sf

from finlife.kit.httpsig.errors import (
    ContentDigestMismatch,
    ContentDigestMissing,
    SignatureExpired,
    SignatureMalformed,
    SignatureMissing,
)

COMPONENTS = ("@method", "@target-uri", "content-digest")
ALGORITHM = "ed25519"
LABEL = "sig1"
DIGEST_ALGORITHM = "sha-256"
PARAMETERS = frozenset({"created", "nonce", "keyid", "alg"})
# Bounds on what a client may make the server store and log (the nonces table's columns).
MAX_NONCE_LENGTH = 64
MAX_KEYID_LENGTH = 128


@dataclass(frozen=True, slots=True)
class SignatureInput:
    """The signed metadata of the request's one signature (not yet verified)."""

    created: int
    nonce: str
    keyid: str


def read_signature_input(signature_input: str | None, signature: str | None) -> SignatureInput:
    """The request's signature metadata, or the refusal that says what is wrong with it.

    Exactly one signature, labelled ``sig1`` in both fields, covering exactly the three components
    (in any order, without parameters), with ``created``, ``nonce``, ``keyid`` and ``alg="ed25519"``
    and nothing else."""
    if not signature_input or not signature:
        raise SignatureMissing()
    inputs = _dictionary(signature_input)
    signatures = _dictionary(signature)
    if list(inputs) != [LABEL] or list(signatures) != [LABEL]:
        raise SignatureMalformed()
    components, params = inputs[LABEL]
    signature_value, _ = signatures[LABEL]
    if not isinstance(components, list) or not isinstance(signature_value, bytes):
        raise SignatureMalformed()
    if sorted(_component_names(components)) != sorted(COMPONENTS) or set(params) != PARAMETERS:
        raise SignatureMalformed()
    created, nonce, keyid = params["created"], params["nonce"], params["keyid"]
    if params["alg"] != ALGORITHM or type(created) is not int:
        raise SignatureMalformed()
    if not _bounded_string(nonce, MAX_NONCE_LENGTH) or not _bounded_string(keyid, MAX_KEYID_LENGTH):
        raise SignatureMalformed()
    return SignatureInput(created=created, nonce=nonce, keyid=keyid)


def check_freshness(created: int, *, now: datetime, max_age: timedelta, skew: timedelta) -> None:
    """Refuse a signature created more than ``max_age`` ago or more than ``skew`` ahead of ``now``."""
    age = now.timestamp() - created
    if age > max_age.total_seconds() or -age > skew.total_seconds():
        raise SignatureExpired()


def check_content_digest(header: str | None, body: bytes) -> None:
    """The body must hash to the ``sha-256`` member of Content-Digest (RFC 9530); other members
    (``sha-512``) are ignored: the profile signs the field, and only sha-256 is required of clients."""
    if not header:
        raise ContentDigestMissing()
    try:  # a member given twice (two field lines) names no one digest: none is usable
        members = http_sf.parse(header.encode("latin-1"), tltype="dictionary", on_duplicate_key=_refuse_twice)
    except (ValueError, UnicodeEncodeError) as error:
        raise ContentDigestMissing() from error
    member = members.get(DIGEST_ALGORITHM) if isinstance(members, dict) else None
    digest = member[0] if isinstance(member, tuple) else None  # (value, parameters)
    if not isinstance(digest, bytes):
        raise ContentDigestMissing()
    if not hmac.compare_digest(digest, hashlib.sha256(body).digest()):
        raise ContentDigestMismatch()


def _refuse_twice(key: str, context: str) -> None:
    if context == "dictionary":  # a member given twice: which one was meant is anyone's guess
        raise ValueError(f"duplicate member {key}")


def _dictionary(value: str) -> dict[str, Any]:
    try:
        parsed = http_sf.parse(value.encode("latin-1"), tltype="dictionary", on_duplicate_key=_refuse_twice)
    except (ValueError, UnicodeEncodeError) as error:
        raise SignatureMalformed() from error
    if not isinstance(parsed, dict):
        raise SignatureMalformed()
    return parsed


def _component_names(components: list[Any]) -> list[str]:
    names = []
    for name, params in components:
        if not isinstance(name, str) or params:
            raise SignatureMalformed()
        names.append(name)
    if len(set(names)) != len(names):
        raise SignatureMalformed()
    return names


def _bounded_string(value: Any, limit: int) -> bool:
    return isinstance(value, str) and 0 < len(value) <= limit
