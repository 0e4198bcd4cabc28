"""Ed25519 keys as partners hand them over: PEM (SubjectPublicKeyInfo / PKCS#8) or the raw key's
32 bytes in base64. Anything else is refused with a clear error, never half-accepted."""

from __future__ import annotations

import base64
import binascii

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from finlife.kit.httpsig.errors import PrivateKeyInvalid, PublicKeyInvalid

RAW_KEY_BYTES = 32
PEM_START = "-----BEGIN "


def load_public_key(text: str) -> Ed25519PublicKey:
    """The Ed25519 public key in ``text``: PEM, or base64 (standard or URL-safe) of the raw 32 bytes.

    Raises ``PublicKeyInvalid`` (422 ``public_key_invalid``, also a ValueError) on anything else."""
    text = text.strip()
    if text.startswith(PEM_START):
        try:
            key = serialization.load_pem_public_key(text.encode("ascii"))
        except (ValueError, UnicodeEncodeError, UnsupportedAlgorithm) as error:
            raise PublicKeyInvalid() from error
        if not isinstance(key, Ed25519PublicKey):
            raise PublicKeyInvalid()
        return key
    raw = _raw_bytes(text)
    if raw is None:
        raise PublicKeyInvalid()
    return Ed25519PublicKey.from_public_bytes(raw)


def load_private_key(text: str) -> Ed25519PrivateKey:
    """The Ed25519 private key in ``text``: unencrypted PKCS#8 PEM, or base64 of the 32-byte seed."""
    text = text.strip()
    if text.startswith(PEM_START):
        try:
            key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
        except (ValueError, TypeError, UnicodeEncodeError, UnsupportedAlgorithm) as error:
            raise PrivateKeyInvalid("not an unencrypted PEM private key") from error
        if not isinstance(key, Ed25519PrivateKey):
            raise PrivateKeyInvalid("the PEM key is not an Ed25519 key")
        return key
    raw = _raw_bytes(text)
    if raw is None:
        raise PrivateKeyInvalid(f"neither PEM nor base64 of a {RAW_KEY_BYTES}-byte seed")
    return Ed25519PrivateKey.from_private_bytes(raw)


def public_key_text(key: Ed25519PublicKey) -> str:
    """The raw-base64 form a partner registers (what ``load_public_key`` reads back)."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def public_key_pem(key: Ed25519PublicKey) -> str:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def _raw_bytes(text: str) -> bytes | None:
    """The 32 bytes ``text`` encodes in base64, or None. Both alphabets; padding may be left off,
    as it often is in URL-safe keys."""
    padded = text + "=" * (-len(text) % 4)
    alphabet = padded.replace("-", "+").replace("_", "/")
    try:
        raw = base64.b64decode(alphabet.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        return None
    return raw if len(raw) == RAW_KEY_BYTES else None
