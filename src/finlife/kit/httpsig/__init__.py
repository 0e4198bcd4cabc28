"""Signed calls: RFC 9421 HTTP Message Signatures (Ed25519) over RFC 9530 Content-Digest.

The server side is ``SignedCall`` (a FastAPI dependency) with ``load_public_key`` for registered
keys; the client side is ``sign_request``. The kit knows no domain: who owns a keyid is the
``key_lookup`` a module hands to ``SignedCall``.
"""

from finlife.kit.httpsig.dependency import KeyLookup, SignedCall, VerifiedCall
from finlife.kit.httpsig.errors import (
    ContentDigestMismatch,
    ContentDigestMissing,
    PrivateKeyInvalid,
    PublicKeyInvalid,
    SignatureExpired,
    SignatureInvalid,
    SignatureKeyMismatch,
    SignatureMalformed,
    SignatureMissing,
    SignatureReplayed,
    SignatureUnknownKey,
)
from finlife.kit.httpsig.keys import load_private_key, load_public_key, public_key_pem, public_key_text
from finlife.kit.httpsig.signer import sign_request

__all__ = [
    "ContentDigestMismatch",
    "ContentDigestMissing",
    "KeyLookup",
    "PrivateKeyInvalid",
    "PublicKeyInvalid",
    "SignatureExpired",
    "SignatureInvalid",
    "SignatureKeyMismatch",
    "SignatureMalformed",
    "SignatureMissing",
    "SignatureReplayed",
    "SignatureUnknownKey",
    "SignedCall",
    "VerifiedCall",
    "load_private_key",
    "load_public_key",
    "public_key_pem",
    "public_key_text",
    "sign_request",
]
