"""The refusals of a signed call, each with its own stable code (answered as problem+json).

A refusal that a new signature can cure (missing, expired, replayed, invalid, unknown key) is a 401
and names the profile the server accepts in ``Accept-Signature`` (RFC 9421 §5.1); a request the
client built wrongly (malformed input, a body that does not match its digest) is a 400.
"""

from __future__ import annotations

from finlife.kit.errors import BadRequest, FinlifeError, Unauthenticated

# The signature the server asks for: its covered components and algorithm (RFC 9421 §5.1).
ACCEPT_SIGNATURE = 'sig1=("@method" "@target-uri" "content-digest");alg="ed25519"'


class SignatureRefused(Unauthenticated):
    """A 401 whose answer says which signature would be accepted."""

    def __init__(self) -> None:
        super().__init__()
        self.headers = {"Accept-Signature": ACCEPT_SIGNATURE}


class SignatureMissing(SignatureRefused):
    code = "signature_missing"


class SignatureExpired(SignatureRefused):
    code = "signature_expired"


class SignatureReplayed(SignatureRefused):
    code = "signature_replayed"


class SignatureInvalid(SignatureRefused):
    code = "signature_invalid"


class SignatureUnknownKey(SignatureRefused):
    code = "signature_unknown_key"


class SignatureKeyMismatch(SignatureRefused):
    """A valid signature, but made with another client's key than the one calling."""

    code = "signature_keyid_mismatch"


class SignatureMalformed(BadRequest):
    code = "signature_malformed"


class ContentDigestMissing(BadRequest):
    code = "content_digest_missing"


class ContentDigestMismatch(BadRequest):
    code = "content_digest_mismatch"


class PublicKeyInvalid(FinlifeError, ValueError):
    """A registered key that is not an Ed25519 public key in PEM or raw base64 (32 bytes).

    Also a ValueError, so that a Pydantic validator raising it gives a validation error."""

    code = "public_key_invalid"
    status = 422


class PrivateKeyInvalid(ValueError):
    """A signing key that is not an Ed25519 private key (a client-side mistake, never an answer)."""
