"""Partners' tokens: minted opaque, stored hashed, and resolved to a grant on every call.

The resolver is what ``kit.auth.Access`` calls for a ``pat_…`` bearer token: it answers the partner,
the scopes and, under a consent, the customer and the accounts, reading the partner's and the
consent's status each time, so a suspension or a revoked or expired consent stops every token at once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from finlife.kit.auth import PARTNER_TOKEN_PREFIX, Actor, Channel, PartnerGrant, PartnerTokenResolver
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.kit.errors import Unauthenticated
from finlife.kit.ids import new_id
from finlife.partners.models import Consent, Partner, PartnerToken

REFRESH_TOKEN_PREFIX = "prt_"  # noqa: S105 - a token prefix
ACTIVE = "active"
AUTHORISED = "authorised"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class IssuedTokens:
    access_token: str
    expires_in: int
    refresh_token: str | None
    scopes: tuple[str, ...]


def issue_tokens(
    session: Session,
    *,
    partner: Partner,
    scopes: list[str],
    access_ttl_seconds: int,
    consent: Consent | None = None,
    refresh_ttl_seconds: int | None = None,
    family: str | None = None,
) -> IssuedTokens:
    """Mint an access token (and a refresh token when ``refresh_ttl_seconds`` is given) and store
    their hashes; the answer is the only place the tokens appear in clear."""
    now = clock.now()
    family = family or new_id("tkf")
    access = PARTNER_TOKEN_PREFIX + secrets.token_urlsafe(32)
    rows = [_row(access, "access", family, partner, consent, scopes, now, access_ttl_seconds)]
    refresh = None
    if refresh_ttl_seconds is not None:
        refresh = REFRESH_TOKEN_PREFIX + secrets.token_urlsafe(32)
        rows.append(_row(refresh, "refresh", family, partner, consent, scopes, now, refresh_ttl_seconds))
    session.add_all(rows)
    session.flush()
    return IssuedTokens(access, access_ttl_seconds, refresh, tuple(sorted(scopes)))


def _row(
    token: str,
    kind: str,
    family: str,
    partner: Partner,
    consent: Consent | None,
    scopes: list[str],
    issued: datetime,
    ttl: int,
) -> PartnerToken:
    return PartnerToken(
        token_hash=token_hash(token),
        kind=kind,
        family=family,
        partner_pk=partner.id,
        consent_pk=consent.id if consent is not None else None,
        scopes=sorted(scopes),
        issued_at=issued,
        expires_at=issued + timedelta(seconds=ttl),
        revoked_at=None,
    )


def find_token(session: Session, token: str, kind: str) -> PartnerToken | None:
    return session.execute(
        select(PartnerToken).where(PartnerToken.token_hash == token_hash(token), PartnerToken.kind == kind)
    ).scalar_one_or_none()


def revoke_family(session: Session, family: str) -> None:
    """Revoke every token of a refresh chain (a revoked token, or a refresh token used twice)."""
    session.execute(
        update(PartnerToken)
        .where(PartnerToken.family == family, PartnerToken.revoked_at.is_(None))
        .values(revoked_at=clock.now())
    )


def grant_of(session: Session, token: str) -> PartnerGrant:
    """The grant a live access token carries; ``Unauthenticated`` (401) for anything else: unknown,
    expired or revoked token, a partner no longer active, a consent no longer authorised or past its
    expiry."""
    now = clock.now()
    row = session.execute(
        select(PartnerToken, Partner)
        .join(Partner, Partner.id == PartnerToken.partner_pk)
        .where(PartnerToken.token_hash == token_hash(token), PartnerToken.kind == "access")
    ).one_or_none()
    if row is None:
        raise Unauthenticated()
    stored, partner = row
    if stored.revoked_at is not None or stored.expires_at <= now or partner.status != ACTIVE:
        raise Unauthenticated()
    if stored.consent_pk is None:
        return PartnerGrant(partner.public_id, partner.client_id, frozenset(stored.scopes))
    consent = session.get(Consent, stored.consent_pk)
    if consent is None or consent.status != AUTHORISED or consent.expires_at <= now:
        raise Unauthenticated()
    return PartnerGrant(
        partner.public_id,
        partner.client_id,
        frozenset(stored.scopes) & frozenset(consent.scopes),
        consent_id=consent.public_id,
        customer_id=consent.customer_id,
        account_ids=frozenset(consent.account_ids),
        valid_from=consent.authorised_at,
    )


def resolver(database: Database) -> PartnerTokenResolver:
    """The function ``kit.auth.Access`` calls for a partner's bearer token (``app.state.partner_tokens``)."""

    def resolve(token: str) -> Actor:
        with database.unit_of_work() as session:
            grant = grant_of(session, token)
        return Actor(channel=Channel.PARTNER, user_id=grant.partner_id, username=grant.client_id, grant=grant)

    return resolve
