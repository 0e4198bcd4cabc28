"""Registering partners, the second admin's approval, their secrets, keys and suspension.

Every change is written to the audit trail in its own transaction. A secret is shown once, in the
answer that creates it, and kept as an argon2 hash; after a rotation the previous one keeps working
for ``partner_secret_grace_hours`` so that a partner's servers can move over without an outage.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.audit import service as audit
from finlife.identity.service import hash_secret
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.errors import Conflict, Forbidden, NotFound
from finlife.kit.ids import new_id
from finlife.kit.pagination import Page, PageParams, paginate
from finlife.partners.models import Partner
from finlife.partners.registry import checks
from finlife.partners.registry.schemas import (
    ApiLevel,
    PartnerIn,
    PartnerKind,
    PartnerOut,
    PartnerScope,
    PartnerSecretOut,
    PartnerStatus,
    PublicKeyIn,
    RegisteredPartnerOut,
)
from finlife.settings import Settings


class PartnerWrongStatus(Conflict):
    code = "partner_wrong_status"

    def __init__(self, status: str) -> None:
        super().__init__(params={"partner_status": status})


class ApproverIsCreator(Forbidden):
    """Four eyes: the admin who registered a partner is not the one who approves or rejects it."""

    code = "partner_approver_is_creator"

    def __init__(self) -> None:
        super().__init__()


def partner_out(partner: Partner) -> PartnerOut:
    now = clock.now()
    grace = partner.previous_secret_until
    return PartnerOut(
        id=partner.public_id,
        client_id=partner.client_id,
        name=partner.name,
        kind=PartnerKind(partner.kind),
        contact=partner.contact,
        redirect_uris=list(partner.redirect_uris),
        scopes=[PartnerScope(scope) for scope in partner.scopes],
        api_level=ApiLevel(partner.api_level),
        public_key=partner.public_key,
        public_key_fingerprint=checks.fingerprint(partner.public_key),
        status=PartnerStatus(partner.status),
        created_by=partner.created_by,
        approved_by=partner.approved_by,
        created_at=partner.created_at,
        approved_at=partner.approved_at,
        suspended_at=partner.suspended_at,
        previous_secret_valid_until=grace if grace is not None and grace > now else None,
    )


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def register_partner(
    session: Session, settings: Settings, actor: Actor, body: PartnerIn, *, secret: str | None = None
) -> RegisteredPartnerOut:
    """A partner waiting for another admin's approval, and its secret (in this answer only).

    ``secret`` is for the demo world alone, whose sign-ins are published (``finlife demo``); every
    real registration draws a new one."""
    redirect_uris = checks.check_redirect_uris(body.redirect_uris)
    scopes = sorted(set(body.scopes))
    level = checks.api_level(body.api_level, scopes)
    public_key = checks.key_pem(checks.ed25519_key(body.public_key)) if body.public_key else None
    secret = secret or new_secret()
    partner = Partner(
        public_id=new_id("ptn"),
        client_id=new_id("cli"),
        name=body.name.strip(),
        kind=body.kind.value,
        contact=body.contact.strip(),
        redirect_uris=redirect_uris,
        scopes=[scope.value for scope in scopes],
        api_level=level.value,
        public_key=public_key,
        secret_hash=hash_secret(secret, settings),
        status=PartnerStatus.PENDING_APPROVAL.value,
        created_by=actor.user_id or "",
        created_at=clock.now(),
    )
    session.add(partner)
    session.flush()
    facts: dict[str, Any] = {
        "name": partner.name,
        "kind": partner.kind,
        "scopes": partner.scopes,
        "api_level": level.value,
    }
    _record(session, actor, "partner.registered", partner, facts)
    return RegisteredPartnerOut(**partner_out(partner).model_dump(), client_secret=secret)


def list_partners(
    session: Session, params: PageParams, *, status: PartnerStatus | None = None
) -> Page[PartnerOut]:
    """Newest first, optionally those with one status (those waiting for approval, say)."""
    stmt = select(Partner)
    if status is not None:
        stmt = stmt.where(Partner.status == status.value)
    rows, has_more = paginate(
        session, stmt, id_column=Partner.id, public_id_column=Partner.public_id, params=params
    )
    return Page(data=[partner_out(p) for p in rows], has_more=has_more)


def load_partner(session: Session, partner_id: str, *, lock: bool = False) -> Partner:
    stmt = select(Partner).where(Partner.public_id == partner_id)
    partner = session.execute(stmt.with_for_update() if lock else stmt).scalar_one_or_none()
    if partner is None:
        raise NotFound("partner")
    return partner


def get_partner(session: Session, partner_id: str) -> PartnerOut:
    return partner_out(load_partner(session, partner_id))


def approve_partner(session: Session, actor: Actor, partner_id: str) -> PartnerOut:
    """Another admin than the one who registered it lets the partner in: its secret works from now."""
    partner = _decide(session, actor, partner_id)
    partner.status = PartnerStatus.ACTIVE.value
    partner.approved_by = actor.user_id
    partner.approved_at = clock.now()
    session.flush()
    _record(session, actor, "partner.approved", partner)
    return partner_out(partner)


def reject_partner(session: Session, actor: Actor, partner_id: str) -> PartnerOut:
    """Another admin than the one who registered it turns the partner down, for good."""
    partner = _decide(session, actor, partner_id)
    partner.status = PartnerStatus.REJECTED.value
    session.flush()
    _record(session, actor, "partner.rejected", partner)
    return partner_out(partner)


def _decide(session: Session, actor: Actor, partner_id: str) -> Partner:
    partner = load_partner(session, partner_id, lock=True)
    if partner.status != PartnerStatus.PENDING_APPROVAL:
        raise PartnerWrongStatus(partner.status)
    if partner.created_by == actor.user_id:
        raise ApproverIsCreator()
    return partner


def rotate_secret(session: Session, settings: Settings, actor: Actor, partner_id: str) -> PartnerSecretOut:
    """A new secret (in this answer only); the one it replaces works until the grace period ends.

    A second rotation within the grace period ends the oldest secret at once: two secrets at most.
    """
    partner = load_partner(session, partner_id, lock=True)
    if partner.status == PartnerStatus.REJECTED:
        raise PartnerWrongStatus(partner.status)
    secret = new_secret()
    until = clock.now() + timedelta(hours=settings.partner_secret_grace_hours)
    partner.previous_secret_hash = partner.secret_hash
    partner.previous_secret_until = until
    partner.secret_hash = hash_secret(secret, settings)
    session.flush()
    _record(session, actor, "partner.secret_rotated", partner, {"previous_valid_until": until.isoformat()})
    grace = until if settings.partner_secret_grace_hours > 0 else None
    return PartnerSecretOut(
        client_id=partner.client_id, client_secret=secret, previous_secret_valid_until=grace
    )


def suspend_partner(session: Session, actor: Actor, partner_id: str) -> PartnerOut:
    """Stop the partner: every token it holds is refused from the next call on (``partners.tokens``)."""
    partner = _switch(session, partner_id, PartnerStatus.ACTIVE, PartnerStatus.SUSPENDED)
    partner.suspended_at = clock.now()
    session.flush()
    _record(session, actor, "partner.suspended", partner)
    return partner_out(partner)


def reactivate_partner(session: Session, actor: Actor, partner_id: str) -> PartnerOut:
    partner = _switch(session, partner_id, PartnerStatus.SUSPENDED, PartnerStatus.ACTIVE)
    partner.suspended_at = None
    session.flush()
    _record(session, actor, "partner.reactivated", partner)
    return partner_out(partner)


def _switch(session: Session, partner_id: str, current: PartnerStatus, to: PartnerStatus) -> Partner:
    partner = load_partner(session, partner_id, lock=True)
    if partner.status != current:
        raise PartnerWrongStatus(partner.status)
    partner.status = to.value
    return partner


def set_public_key(session: Session, actor: Actor, partner_id: str, body: PublicKeyIn) -> PartnerOut:
    """Register or replace the Ed25519 key the partner signs its calls with."""
    pem = checks.key_pem(checks.ed25519_key(body.public_key))
    partner = load_partner(session, partner_id, lock=True)
    if partner.status == PartnerStatus.REJECTED:
        raise PartnerWrongStatus(partner.status)
    partner.public_key = pem
    session.flush()
    _record(session, actor, "partner.public_key_set", partner, {"fingerprint": checks.fingerprint(pem)})
    return partner_out(partner)


def _record(
    session: Session, actor: Actor, action: str, partner: Partner, details: dict[str, Any] | None = None
) -> None:
    audit.record(
        session, actor, action, subject_type="partner", subject_id=partner.public_id, details=details
    )
