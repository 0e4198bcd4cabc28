"""Verifying finlife's own bearer tokens: compact JWS, HS256, signed by ``kit.auth.issue_token``.

PyJWT still issues them; this only reads them back. PyJWT's ``decode`` checks each base64url
segment one character at a time in Python, which took half of its ~120 µs per token, and every
token is decoded once per worker process (``kit.auth`` caches the result): under a flash claim
every customer's first claim on each worker paid it.

What a token must be to pass, no less strict than ``jwt.decode(..., algorithms=["HS256"])`` for
the tokens finlife issues: three unpadded base64url segments; an HMAC-SHA256 of the first two under
the key equal to the third (compared in constant time) before anything else is read; a header that
is a JSON object naming ``HS256`` and no ``crit`` extension; a payload that is a JSON object.
Anything else is ``InvalidToken``. Only a holder of the key can make a token that passes, and
finlife issues no other kind, so the claims are then the ones ``issue_token`` wrote.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
from typing import Any

_COMPACT = re.compile(r"([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)")


class InvalidToken(Exception):
    """Not a token finlife issued under this key (forged, altered, malformed, another algorithm)."""


def verify(token: str, key: str) -> dict[str, Any]:
    """The claims of an HS256 compact JWS signed with ``key``; ``InvalidToken`` otherwise.
    Expiry and the claims' meaning are the caller's (``kit.auth``)."""
    parts = _COMPACT.fullmatch(token)
    if parts is None:
        raise InvalidToken()
    header, payload, signature = parts.groups()
    expected = hmac.new(key.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    if not hmac.compare_digest(expected, _decoded(signature)):
        raise InvalidToken()
    head = _json_object(header)
    if head.get("alg") != "HS256" or "crit" in head:
        raise InvalidToken()
    return _json_object(payload)


def _decoded(segment: str) -> bytes:
    if len(segment) % 4 == 1:  # no base64 text has this length
        raise InvalidToken()
    try:
        return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError) as error:
        raise InvalidToken() from error


def _json_object(segment: str) -> dict[str, Any]:
    try:
        value = json.loads(_decoded(segment))
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidToken() from error
    if not isinstance(value, dict):
        raise InvalidToken()
    return value
