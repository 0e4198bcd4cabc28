"""The demo's open-API partners: registered by one demo admin, approved by another, each with an
Ed25519 key, redirect URIs and scopes; consents some demo customers gave them (one revoked, one
expired); weeks of calls in their call log; webhook endpoints with a history of deliveries.

Everything goes through the partners' services (registration, four-eyes approval, consents, the call
log's recorder, webhook endpoints and their queue) with the clock frozen on the day it happened. Only
the outcome of past delivery attempts is written as history, as the delivery worker would have
written it: no receiver listened in the past. Each step looks for what it makes first (a partner by
name, a consent by partner and customer, a partner's call log, an endpoint by URL), so seeding again
after an interruption makes only what is missing (see world).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.demo.common import DEMO_PASSWORD, Person, customer_actor
from finlife.demo.partner_history import Grant, record_calls, record_deliveries
from finlife.identity import service as identity
from finlife.kit.auth import Actor, Channel, PartnerGrant, Role
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.partners.consents import service as consents
from finlife.partners.models import Consent, Partner
from finlife.partners.registry import service as registry
from finlife.partners.registry.schemas import PartnerIn, PartnerKind, PartnerScope
from finlife.partners.webhooks import service as webhooks
from finlife.partners.webhooks.models import WebhookEndpoint
from finlife.partners.webhooks.schemas import EndpointIn
from finlife.settings import Settings

# The published sign-in of the first demo partner's console (/partner), like DEMO_PASSWORD's.
DEMO_PARTNER_SECRET = "finlife-demo-partner-secret-1"  # noqa: S105 - the demo's, never production
# Four eyes: one admin registers, another approves.
PARTNER_ADMINS = ("partners-admin", "partners-approver")


@dataclass(frozen=True)
class Plan:
    name: str
    kind: PartnerKind
    contact: str
    redirect_uri: str
    scopes: tuple[PartnerScope, ...]
    webhook_url: str | None  # where it listens (the example partner app's address for the first)


READ = (PartnerScope.ACCOUNTS_READ, PartnerScope.TRANSACTIONS_READ)
PLANS = (
    Plan(
        "好邻居商城",
        PartnerKind.ECOMMERCE,
        "开放平台部 open@haolinju.example",
        "http://127.0.0.1:9000/callback",
        (*READ, PartnerScope.PAYMENTS_WRITE),
        "http://127.0.0.1:9000/webhooks",
    ),
    Plan(
        "小账本记账",
        PartnerKind.INFORMATION,
        "技术支持 dev@xiaozhangben.example",
        "https://app.xiaozhangben.example/oauth/finlife",
        READ,
        "http://127.0.0.1:9001/hooks/finlife",
    ),
    Plan(
        "滨江置业",
        PartnerKind.OTHER,
        "资金监管 escrow@binjiang-property.example",
        "https://buy.binjiang-property.example/bank/callback",
        (PartnerScope.ACCOUNTS_READ, PartnerScope.ACCOUNTS_OPEN),
        None,
    ),
)


def demo_partner_client_id(database: Database) -> str | None:
    """The first demo partner's client id (its console's sign-in, with DEMO_PARTNER_SECRET)."""
    with database.unit_of_work() as session:
        return session.execute(select(Partner.client_id).where(Partner.name == PLANS[0].name)).scalar()


def _admins(session: Session, settings: Settings) -> list[Actor]:
    admins = []
    for username in PARTNER_ADMINS:
        user = identity.find_by_username(session, username) or identity.create_user(
            session, settings, username=username, password=DEMO_PASSWORD, roles=[Role.BANK_ADMIN]
        )
        admins.append(
            Actor(channel=Channel.WEB, user_id=user.id, username=username, roles=frozenset({Role.BANK_ADMIN}))
        )
    return admins


def _public_key(rng: random.Random) -> str:
    """An Ed25519 public key drawn from the demo's sequence (the same world on every run)."""
    key = Ed25519PrivateKey.from_private_bytes(rng.randbytes(32)).public_key()
    return key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode("ascii")


def _partner(session: Session, settings: Settings, rng: random.Random, plan: Plan, first: bool) -> Partner:
    public_key = _public_key(rng)
    found = session.execute(select(Partner).where(Partner.name == plan.name)).scalar_one_or_none()
    if found is not None:
        return found
    registering, approving = _admins(session, settings)
    body = PartnerIn(
        name=plan.name,
        kind=plan.kind,
        contact=plan.contact,
        redirect_uris=[plan.redirect_uri],
        scopes=list(plan.scopes),
        public_key=public_key,
    )
    made = registry.register_partner(
        session, settings, registering, body, secret=DEMO_PARTNER_SECRET if first else None
    )
    clock.advance(timedelta(hours=3))  # the second admin reads it later that day
    registry.approve_partner(session, approving, made.id)
    return registry.load_partner(session, made.id)


def _consent(session: Session, partner: Partner, person: Person, scopes: list[str], days: int) -> Consent:
    """The customer authorises the partner on the consent screen (as oauth.pages does) for ``days``,
    sharing their own Class I account; the one they gave before if this customer answered already."""
    answered = session.execute(
        select(Consent).where(Consent.partner_pk == partner.id, Consent.customer_id == person.customer_id)
    ).scalar_one_or_none()
    if answered is not None:
        return answered
    opened = consents.open_consent(
        session,
        partner_pk=partner.id,
        customer_id=person.customer_id,
        scopes=scopes,
        channel=Channel.MOBILE.value,
        days=days,
        daily_payment_limit=50_000_00 if "payments:write" in scopes else None,
    )
    consents.authorise(session, customer_actor(person), opened, account_ids=[person.class_i], days=days)
    return opened


@dataclass
class PartnerCounts:
    partners: int = 0
    consents: int = 0
    calls: int = 0
    deliveries: int = 0


def _endpoint(session: Session, settings: Settings, partner: Partner, url: str) -> WebhookEndpoint:
    found = session.execute(
        select(WebhookEndpoint).where(WebhookEndpoint.partner_pk == partner.id, WebhookEndpoint.url == url)
    ).scalar_one_or_none()
    if found is not None:
        return found
    grant = PartnerGrant(partner_id=partner.public_id, client_id=partner.client_id, scopes=frozenset())
    actor = Actor(channel=Channel.PARTNER, grant=grant)
    # The demo's receivers listen on this machine (the example partner app): allowed while seeding.
    local = settings.model_copy(update={"webhooks_allow_private": True})
    events = ["account.payment", "transfer.completed", "account.cash_deposit"]
    made = webhooks.create_endpoint(session, local, actor, EndpointIn(url=url, events=events))
    return session.execute(select(WebhookEndpoint).where(WebhookEndpoint.public_id == made.id)).scalar_one()


def seed_partners(
    database: Database, settings: Settings, rng: random.Random, people: list[Person], *, days: int
) -> PartnerCounts:
    """The partners, their consents, calls and webhooks over the ``days`` before now (clock frozen
    meanwhile by the caller, and moved here)."""
    today = clock.now()
    start = today - timedelta(days=max(days, 2))
    app_users = [person for person in people if person.user_id is not None]
    counts = PartnerCounts()
    for index, plan in enumerate(PLANS):
        clock.freeze(start - timedelta(days=3 - index, hours=-rng.randrange(1, 6)))
        with database.unit_of_work() as session:
            partner = _partner(session, settings, rng, plan, first=index == 0)
            public_id, scopes = partner.public_id, list(partner.scopes)
        counts.partners += 1
        customer_scopes = [scope for scope in scopes if scope in consents.ACCOUNT_SCOPES]
        granted = _consents(database, rng, public_id, customer_scopes, app_users, start, today, index)
        counts.consents += len(granted)
        # The last four weeks of calls at most: a row (and a commit) each, as the recorder writes them.
        since = max(start, today - timedelta(days=28))
        counts.calls += record_calls(database, settings, rng, public_id, granted, since, today)
        if plan.webhook_url is not None:
            clock.freeze(start + timedelta(hours=1))
            with database.unit_of_work() as session:
                endpoint_pk = _endpoint(
                    session, settings, session.get_one(Partner, partner.id), plan.webhook_url
                ).id
            counts.deliveries += record_deliveries(database, rng, endpoint_pk, granted, today)
    clock.freeze(today)
    return counts


def _consents(
    database: Database,
    rng: random.Random,
    partner_id: str,
    scopes: list[str],
    app_users: list[Person],
    start: datetime,
    today: datetime,
    index: int,
) -> list[Grant]:
    """The consents customers gave this partner, with when each was in force; the second partner's
    include one its customer revoked and one that ran out."""
    chosen = app_users[index : index + 3] if scopes else []
    span = (today - start).days
    granted: list[Grant] = []
    for number, person in enumerate(chosen):
        expired = index == 1 and number == 2
        # The expired one was given at the start and ended yesterday (1 ≤ its period ≤ 90 days); the
        # others within the last month, for 90 days: still running.
        base = start if expired else max(start, today - timedelta(days=30))
        authorised_at = base + timedelta(hours=rng.randrange(2, 20))
        period = min(span - 1, 90) if expired else 90
        clock.freeze(authorised_at)
        with database.unit_of_work() as session:
            partner = registry.load_partner(session, partner_id)
            consent_id = _consent(session, partner, person, scopes, period).public_id
        ends = authorised_at + timedelta(days=period)
        if index == 1 and number == 1:  # changed their mind a few days later (again: nothing changes)
            ends = authorised_at + timedelta(days=min(5, span - 1), hours=2)
            clock.freeze(ends)
            with database.unit_of_work() as session:
                consents.revoke_mine(session, customer_actor(person), consent_id)
        granted.append(Grant(consent_id, person, authorised_at, ends))
    return granted
