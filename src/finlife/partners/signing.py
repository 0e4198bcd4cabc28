"""The signature a partner's call must carry when it moves money or opens accounts (RFC 9421,
verified by ``finlife.kit.httpsig``): made with the Ed25519 key the partner registered.

A route takes it as one parameter, ``signed: PartnerSigned``, declared before the request's
``DbSession`` (on SQLite the verifier's own unit of work takes the writer lock), and calls
``signed.require_keyid(actor.grant.client_id)``: the key must be the calling partner's own, not
another partner's whose signature happens to verify.
"""

from __future__ import annotations

from typing import Annotated

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi import Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.kit.httpsig import PublicKeyInvalid, SignedCall, VerifiedCall, load_public_key
from finlife.partners.models import Partner

ACTIVE = "active"


def partner_public_key(session: Session, keyid: str) -> Ed25519PublicKey | None:
    """The registered key of the active partner whose client id is ``keyid``; None when there is no
    such partner, it is not active (pending, rejected, suspended), or it registered no key."""
    text = session.execute(
        select(Partner.public_key).where(Partner.client_id == keyid, Partner.status == ACTIVE)
    ).scalar_one_or_none()
    if not text:
        return None
    try:
        return load_public_key(text)
    except PublicKeyInvalid:  # the registry keeps only valid keys: a damaged row verifies nothing
        return None


signed_by_partner = SignedCall(partner_public_key)
PartnerSigned = Annotated[VerifiedCall, Depends(signed_by_partner)]
