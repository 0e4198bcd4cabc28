"""A consent's life: opened (awaiting authorisation) when a partner asks, authorised or rejected by
the customer on the consent screen, then revoked (by the customer) or expired (when its period ends).

Expiry is both computed and recorded: a consent past ``expires_at`` is expired whatever its row says
(the token resolver checks the date too), and reading a customer's consents records it.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from finlife.audit import service as audit
from finlife.kit import outbox
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.errors import Conflict, Forbidden, NotFound
from finlife.kit.ids import new_id
from finlife.kit.permissions import Capability, may
from finlife.kit.timeline import TimelineLine
from finlife.partners.consents.schemas import ConsentOut, ConsentPartnerOut, ConsentStatus
from finlife.partners.models import Consent, Partner, PartnerToken

# The scopes that read or act on accounts: a consent with one of them names the accounts it shares.
ACCOUNT_SCOPES = frozenset({"accounts:read", "transactions:read", "payments:write"})


def open_consent(
    session: Session,
    *,
    partner_pk: int,
    customer_id: str,
    scopes: list[str],
    channel: str,
    days: int,
    daily_payment_limit: int | None,
) -> Consent:
    """A consent awaiting the customer's answer; its period is counted again from authorisation."""
    now = clock.now()
    consent = Consent(
        public_id=new_id("cns"),
        partner_pk=partner_pk,
        customer_id=customer_id,
        status=ConsentStatus.AWAITING_AUTHORISATION.value,
        scopes=sorted(scopes),
        account_ids=[],
        channel=channel,
        daily_payment_limit=daily_payment_limit,
        created_at=now,
        authorised_at=None,
        expires_at=now + timedelta(days=days),
    )
    session.add(consent)
    session.flush()
    return consent


def awaiting(session: Session, consent_id: str, *, customer_id: str, partner_pk: int) -> Consent:
    """The customer's consent for this partner still waiting for an answer; 404 otherwise."""
    consent = session.execute(
        select(Consent).where(
            Consent.public_id == consent_id,
            Consent.customer_id == customer_id,
            Consent.partner_pk == partner_pk,
            Consent.status == ConsentStatus.AWAITING_AUTHORISATION.value,
        )
    ).scalar_one_or_none()
    if consent is None:
        raise NotFound("consent")
    return consent


def authorise(session: Session, actor: Actor, consent: Consent, *, account_ids: list[str], days: int) -> None:
    now = clock.now()
    consent.status = ConsentStatus.AUTHORISED.value
    consent.account_ids = sorted(account_ids)
    consent.channel = actor.channel.value
    consent.authorised_at = now
    consent.expires_at = now + timedelta(days=days)
    _record(session, actor, consent, "consent.authorised")


def reject(session: Session, actor: Actor, consent: Consent) -> None:
    consent.status = ConsentStatus.REJECTED.value
    consent.channel = actor.channel.value
    _record(session, actor, consent, "consent.rejected")


def usable(session: Session, consent_pk: int) -> Consent | None:
    """The consent if tokens may still be issued under it (authorised, within its period)."""
    consent = session.get(Consent, consent_pk)
    if consent is None or status_of(consent) is not ConsentStatus.AUTHORISED:
        return None
    return consent


def status_of(consent: Consent) -> ConsentStatus:
    status = ConsentStatus(consent.status)
    if status is ConsentStatus.AUTHORISED and consent.expires_at <= clock.now():
        return ConsentStatus.EXPIRED
    return status


def expire_due(session: Session, customer_id: str | None = None) -> None:
    """Record as expired every authorised consent past its period (one customer's, or all)."""
    stmt = update(Consent).where(
        Consent.status == ConsentStatus.AUTHORISED.value, Consent.expires_at <= clock.now()
    )
    if customer_id is not None:
        stmt = stmt.where(Consent.customer_id == customer_id)
    session.execute(stmt.values(status=ConsentStatus.EXPIRED.value))


def my_consents(session: Session, actor: Actor) -> list[ConsentOut]:
    """The signed-in customer's answered consents, newest first."""
    if actor.customer_id is None:
        raise Forbidden()
    return _answered(session, actor.customer_id)


def customer_consents(session: Session, actor: Actor, customer_id: str) -> list[ConsentOut]:
    """A customer's consents for staff who serve customers."""
    if not may(actor, Capability.CUSTOMER_RECORDS):
        raise Forbidden()
    return _answered(session, customer_id)


def revoke_mine(session: Session, actor: Actor, consent_id: str) -> ConsentOut:
    """The customer withdraws a consent: it and every token issued under it stop at once.
    Revoking a revoked consent changes nothing; a rejected or expired one cannot be revoked."""
    if actor.customer_id is None:
        raise Forbidden()
    row = session.execute(
        select(Consent, Partner)
        .join(Partner, Partner.id == Consent.partner_pk)
        .where(Consent.public_id == consent_id, Consent.customer_id == actor.customer_id)
    ).one_or_none()
    if row is None:
        raise NotFound("consent")
    consent, partner = row
    status = status_of(consent)
    if status is ConsentStatus.AUTHORISED:
        now = clock.now()
        consent.status = ConsentStatus.REVOKED.value
        consent.revoked_at = now
        consent.revoked_by = "customer"
        session.execute(
            update(PartnerToken)
            .where(PartnerToken.consent_pk == consent.id, PartnerToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        _record(session, actor, consent, "consent.revoked")
    elif status is not ConsentStatus.REVOKED:
        raise Conflict("consent_not_revocable", params={"consent_status": status.value})
    return _out(consent, partner)


def answered_consents(session: Session, customer_id: str) -> list[ConsentOut]:
    """The customer's answered consents, newest first, for a reader another module has admitted."""
    return _answered(session, customer_id)


def _answered(session: Session, customer_id: str) -> list[ConsentOut]:
    expire_due(session, customer_id)
    rows = session.execute(
        select(Consent, Partner)
        .join(Partner, Partner.id == Consent.partner_pk)
        .where(
            Consent.customer_id == customer_id,
            Consent.status != ConsentStatus.AWAITING_AUTHORISATION.value,
        )
        .order_by(Consent.id.desc())
    ).all()
    return [_out(consent, partner) for consent, partner in rows]


def _out(consent: Consent, partner: Partner) -> ConsentOut:
    return ConsentOut(
        id=consent.public_id,
        partner=ConsentPartnerOut(id=partner.public_id, name=partner.name),
        status=status_of(consent),
        scopes=list(consent.scopes),
        account_ids=list(consent.account_ids),
        channel=consent.channel,
        daily_payment_limit=consent.daily_payment_limit,
        created_at=consent.created_at,
        authorised_at=consent.authorised_at,
        expires_at=consent.expires_at,
        revoked_at=consent.revoked_at,
        revoked_by=consent.revoked_by,
    )


def _record(session: Session, actor: Actor, consent: Consent, event: str) -> None:
    facts = {"scopes": list(consent.scopes), "status": consent.status}
    audit.record(session, actor, event, subject_type="consent", subject_id=consent.public_id, details=facts)
    outbox.publish(
        session,
        event,
        {"consent_id": consent.public_id, "customer_id": consent.customer_id, "status": consent.status},
        channel=actor.channel.value,
    )


def consent_lines(
    session: Session, customer_id: str, *, before: int | None, limit: int, channel: str | None = None
) -> list[TimelineLine]:
    """The customer's answered consents older than row ``before``, newest first (the 360 view's
    timeline): when and where each was given, and its state now."""
    stmt = (
        select(Consent, Partner.name)
        .join(Partner, Partner.id == Consent.partner_pk)
        .where(Consent.customer_id == customer_id, Consent.authorised_at.is_not(None))
    )
    if before is not None:
        stmt = stmt.where(Consent.id < before)
    if channel is not None:
        stmt = stmt.where(Consent.channel == channel)
    rows = session.execute(stmt.order_by(Consent.id.desc()).limit(limit)).all()
    return [
        TimelineLine(
            source="consents",
            key=consent.id,
            at=consent.authorised_at or consent.created_at,
            kind="consent",
            channel=consent.channel,
            action="consent_authorised",
            ref=consent.public_id,
            details={"partner": partner_name, "status": consent.status, "scopes": list(consent.scopes)},
        )
        for consent, partner_name in rows
    ]
