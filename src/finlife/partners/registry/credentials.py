"""A partner's client authentication (``client_secret_basic`` at the token endpoint, and the partner
console's sign-in): the current secret, or the previous one while its grace period lasts."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.identity.service import verify_secret
from finlife.kit.clock import clock
from finlife.partners.models import Partner
from finlife.partners.registry.schemas import PartnerStatus
from finlife.settings import Settings


def authenticate_client(
    session: Session, settings: Settings, client_id: str, client_secret: str
) -> Partner | None:
    """The partner these credentials name, if it is active and the secret is right; else None.

    A partner waiting for approval, rejected or suspended authenticates as nobody: the caller
    answers as for a wrong secret, telling a guesser nothing.
    """
    if not client_id or not client_secret:
        return None
    partner = session.execute(select(Partner).where(Partner.client_id == client_id)).scalar_one_or_none()
    if partner is None or partner.status != PartnerStatus.ACTIVE:
        return None
    if verify_secret(partner.secret_hash, client_secret, settings):
        return partner
    until = partner.previous_secret_until
    if (
        partner.previous_secret_hash is not None
        and until is not None
        and until > clock.now()
        and verify_secret(partner.previous_secret_hash, client_secret, settings)
    ):
        return partner
    return None
