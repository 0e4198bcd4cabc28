"""Partners, consents and tokens written straight to the database, for tests of what builds on them
(the registration API has its own tests)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from finlife.identity.service import hash_secret
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.kit.ids import new_id
from finlife.partners.models import Consent, Partner
from finlife.partners.tokens import issue_tokens
from finlife.settings import Settings

ALL_SCOPES = ["accounts:read", "transactions:read", "payments:write", "accounts:open", "loans:apply"]


@dataclass(frozen=True)
class MadePartner:
    pk: int
    id: str
    client_id: str
    client_secret: str


def make_partner(
    db: Database,
    settings: Settings,
    *,
    status: str = "active",
    scopes: list[str] | None = None,
    name: str = "好邻居生活",
    public_key: str | None = None,
    redirect_uris: list[str] | None = None,
) -> MadePartner:
    secret = new_id("sec")
    with db.unit_of_work() as session:
        partner = Partner(
            public_id=new_id("ptn"),
            client_id=new_id("cli"),
            name=name,
            kind="ecommerce",
            contact="dev@partner.example",
            redirect_uris=redirect_uris or ["https://partner.example/callback"],
            scopes=scopes if scopes is not None else ALL_SCOPES,
            api_level="A2",
            public_key=public_key,
            secret_hash=hash_secret(secret, settings),
            status=status,
            created_by="usr_admin",
            approved_by="usr_admin2" if status == "active" else None,
            created_at=clock.now(),
            approved_at=clock.now() if status == "active" else None,
        )
        session.add(partner)
        session.flush()
        return MadePartner(partner.id, partner.public_id, partner.client_id, secret)


def make_consent(
    db: Database,
    partner: MadePartner,
    *,
    customer_id: str,
    account_ids: list[str],
    scopes: list[str],
    status: str = "authorised",
    days: int = 90,
) -> str:
    now = clock.now()
    with db.unit_of_work() as session:
        consent = Consent(
            public_id=new_id("cns"),
            partner_pk=partner.pk,
            customer_id=customer_id,
            status=status,
            scopes=scopes,
            account_ids=account_ids,
            channel="mobile",
            created_at=now,
            authorised_at=now if status == "authorised" else None,
            expires_at=now + timedelta(days=days),
        )
        session.add(consent)
        session.flush()
        return consent.public_id


def partner_token(
    db: Database, partner: MadePartner, *, scopes: list[str], consent_id: str | None = None, ttl: int = 600
) -> str:
    """An access token as the token endpoint would issue it (client credentials, or under a consent)."""
    from sqlalchemy import select

    with db.unit_of_work() as session:
        stored = session.get(Partner, partner.pk)
        assert stored is not None
        consent = None
        if consent_id is not None:
            consent = session.execute(select(Consent).where(Consent.public_id == consent_id)).scalar_one()
        return issue_tokens(
            session, partner=stored, scopes=scopes, access_ttl_seconds=ttl, consent=consent
        ).access_token
