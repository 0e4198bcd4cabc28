"""``SignedCall``: the FastAPI dependency a route declares to accept only signed calls.

    verify_partner_call = SignedCall(partner_public_key)   # (session, keyid) -> Ed25519PublicKey | None
    Signed = Annotated[VerifiedCall, Depends(verify_partner_call)]

    @router.post("/v1/partner/transfers")
    def create(body: …, signed: Signed, actor: …, session: DbSession):
        signed.require_keyid(actor.client_id)   # the key must be the calling partner's own

Checks, in order, each with its own refusal: the headers are there (``signature_missing``) and follow
the profile (``signature_malformed``), the signature is fresh (``signature_expired``), the body
matches its Content-Digest (``content_digest_missing``, ``content_digest_mismatch``), the keyid has a
key (``signature_unknown_key``), the signature verifies (``signature_invalid``), and its nonce is new
(``signature_replayed``). Only a verified signature's nonce is stored, so unsigned junk cannot fill
the table or spend a partner's nonces.

The key lookup and the nonce run in a unit of work of their own, committed before the route runs:
a nonce stays spent even when the route then fails (a refused transfer cannot be replayed once the
balance allows it). On SQLite that unit of work needs the writer lock, so declare the dependency
before any dependency that uses the request's ``DbSession`` (the route's own body runs after it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi import Header, Request
from sqlalchemy.orm import Session

from finlife.kit.clock import clock
from finlife.kit.deps import in_unit_of_work
from finlife.kit.errors import FinlifeError
from finlife.kit.httpsig.errors import SignatureKeyMismatch, SignatureReplayed, SignatureUnknownKey
from finlife.kit.httpsig.nonces import PruneSchedule, first_use, prune
from finlife.kit.httpsig.profile import (
    SignatureInput,
    check_content_digest,
    check_freshness,
    read_signature_input,
)
from finlife.kit.httpsig.verify import SignedMessage, target_uri, verify_signature
from finlife.settings import Settings

log = logging.getLogger(__name__)

INPUT_WORDS = (
    'RFC 9421: sig1=("@method" "@target-uri" "content-digest");created=<unix>;nonce="<random>"'
    ';keyid="<client_id>";alg="ed25519"'
)
SIGNATURE_WORDS = "RFC 9421: sig1=:<base64 of the Ed25519 signature>:"
DIGEST_WORDS = "RFC 9530: sha-256=:<base64 of the body's SHA-256>: (of the empty body when there is none)"

# The domain's lookup of a keyid's registered public key, in the dependency's own session.
KeyLookup = Callable[[Session, str], Ed25519PublicKey | None]


@dataclass(frozen=True, slots=True)
class VerifiedCall:
    """A request whose signature verified: ``keyid`` is the client whose key signed it."""

    keyid: str
    method: str
    path: str

    def require_keyid(self, expected: str) -> None:
        """Refuse (401 ``signature_keyid_mismatch``) a call signed with another client's key than
        the caller's (``expected``: the client id the caller's token was issued to)."""
        if self.keyid != expected:
            refusal = SignatureKeyMismatch()
            log_refusal(refusal, self.keyid, self.method, self.path)
            raise refusal


class SignedCall:
    """A dependency answering the request's verified RFC 9421 signature (its keyid)."""

    def __init__(self, key_lookup: KeyLookup) -> None:
        self.key_lookup = key_lookup
        self.prune_schedule = PruneSchedule()

    async def __call__(
        self,
        request: Request,
        # Declared so that the OpenAPI document names the fields a signed route needs; each is read
        # below with all its field lines, as the signature base covers them.
        signature_input: Annotated[
            str | None, Header(alias="Signature-Input", description=INPUT_WORDS)
        ] = None,
        signature: Annotated[str | None, Header(alias="Signature", description=SIGNATURE_WORDS)] = None,
        content_digest: Annotated[
            str | None, Header(alias="Content-Digest", description=DIGEST_WORDS)
        ] = None,
    ) -> VerifiedCall:
        keyid: str | None = None
        try:
            body = await request.body()
            signed = read_signature_input(_field(request, "signature-input"), _field(request, "signature"))
            keyid = signed.keyid
            settings: Settings = request.app.state.settings
            max_age = timedelta(seconds=settings.signature_max_age_seconds)
            skew = timedelta(seconds=settings.signature_clock_skew_seconds)
            check_freshness(signed.created, now=clock.now(), max_age=max_age, skew=skew)
            check_content_digest(_field(request, "content-digest"), body)
            message = SignedMessage(request.method, target_uri(request.scope), request.headers)
            window = max_age + skew
            await in_unit_of_work(
                request, lambda session: self._verify_once(signed, message, window, session)
            )
        except FinlifeError as refusal:
            log_refusal(refusal, keyid, request.method, request.url.path)
            raise
        return VerifiedCall(signed.keyid, request.method, request.url.path)

    def _verify_once(
        self, signed: SignatureInput, message: SignedMessage, window: timedelta, session: Session
    ) -> None:
        key = self.key_lookup(session, signed.keyid)
        if key is None:
            raise SignatureUnknownKey()
        verify_signature(message, key)
        now = clock.now()
        if not first_use(session, signed.keyid, signed.nonce, now=now, window=window):
            raise SignatureReplayed()
        if self.prune_schedule.due(now):
            prune(session, before=now - window)


def _field(request: Request, name: str) -> str | None:
    """A field's value with all its lines combined (RFC 9110 §5.3), or None when it is absent."""
    lines = request.headers.getlist(name)
    return ", ".join(lines) if lines else None


def log_refusal(refusal: FinlifeError, keyid: str | None, method: str, path: str) -> None:
    """One structured line per refused call; the fields also ride on the record (``signature``)."""
    fields = {"code": refusal.code, "keyid": keyid, "method": method, "path": path}
    log.warning(
        "signed call refused: code=%s keyid=%r method=%s path=%r",
        refusal.code,
        keyid,
        method,
        path,
        extra={"signature": fields},
    )
