"""Checks on what a bank admin registers: redirect URIs, the Ed25519 key, and the API level.

The key is parsed by ``cryptography`` (no key handling by hand) and kept as PEM whichever form it
came in, so that whoever verifies signatures reads one format.
"""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
)

from finlife.kit import httpsig
from finlife.kit.errors import RuleViolation
from finlife.partners.registry.schemas import ApiLevel, PartnerScope

# A partner's test app runs on the developer's own machine: plain http is allowed only there.
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]", "::1"})
MAX_URI_LENGTH = 500


class RedirectUriInvalid(RuleViolation):
    code = "partner_redirect_uri_invalid"

    def __init__(self, index: int, uri: str) -> None:
        super().__init__(params={"uri": uri[:80]}, field=f"redirect_uris.{index}")


class PublicKeyInvalid(RuleViolation):
    code = "partner_public_key_invalid"

    def __init__(self) -> None:
        super().__init__(field="public_key")


class LevelForbidsScopes(RuleViolation):
    """A1 partners read product data only: no scope reaches a customer's data or funds."""

    code = "partner_level_forbids_scopes"

    def __init__(self, scopes: list[PartnerScope]) -> None:
        super().__init__(params={"scopes": " ".join(sorted(scopes))}, field="scopes")


def check_redirect_uris(uris: list[str]) -> list[str]:
    """Absolute https URIs without a fragment (RFC 6749 §3.1.2); http only to a loopback host."""
    checked: list[str] = []
    for index, raw in enumerate(uris):
        uri = raw.strip()
        parts = urlsplit(uri)
        host = (parts.hostname or "").lower()
        secure = parts.scheme == "https" or (parts.scheme == "http" and host in LOOPBACK_HOSTS)
        if not secure or not host or parts.fragment or len(uri) > MAX_URI_LENGTH or " " in uri:
            raise RedirectUriInvalid(index, raw)
        if uri not in checked:
            checked.append(uri)
    return checked


def ed25519_key(text: str) -> Ed25519PublicKey:
    """The key in ``text`` as signed calls read it (``kit.httpsig``): PEM, or base64 of the raw bytes."""
    try:
        return httpsig.load_public_key(text)
    except httpsig.PublicKeyInvalid as exc:
        raise PublicKeyInvalid() from exc


def key_pem(key: Ed25519PublicKey) -> str:
    return httpsig.public_key_pem(key)


def fingerprint(pem: str | None) -> str | None:
    """``SHA256:<base64>`` of the key's raw bytes, as SSH shows a key, for people to compare."""
    if pem is None:
        return None
    raw = ed25519_key(pem).public_bytes(Encoding.Raw, PublicFormat.Raw)
    return "SHA256:" + base64.b64encode(hashlib.sha256(raw).digest()).decode().rstrip("=")


CUSTOMER_SCOPES = frozenset(PartnerScope)  # every scope reaches a customer's data, funds or identity


def api_level(requested: ApiLevel | None, scopes: list[PartnerScope]) -> ApiLevel:
    """The level asked for, or by default A2 when a customer scope is asked and A1 otherwise."""
    reaching = [scope for scope in scopes if scope in CUSTOMER_SCOPES]
    if requested is ApiLevel.A1 and reaching:
        raise LevelForbidsScopes(reaching)
    if requested is not None:
        return requested
    return ApiLevel.A2 if reaching else ApiLevel.A1
