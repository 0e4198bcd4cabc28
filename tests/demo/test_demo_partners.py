"""The demo's partners: registered by one admin and approved by another, with Ed25519 keys, redirect
URIs and scopes; customers' consents within the rules (their own account, at most 90 days), one
revoked and one expired; weeks of calls in the call log; webhook deliveries, one delivered after
retries and one failing; and the first partner's console sign-in as `finlife demo` prints it."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from fastapi.testclient import TestClient
from sqlalchemy import select

from finlife.accounts.models import DepositAccount
from finlife.demo import partners as demo_partners
from finlife.demo import world
from finlife.kit.db import Database
from finlife.partners.consents.service import status_of
from finlife.partners.models import Consent, Partner
from finlife.partners.registry.credentials import authenticate_client
from finlife.partners.registry.models import PartnerCall
from finlife.partners.webhooks.models import WebhookDelivery, WebhookEndpoint
from finlife.settings import Settings
from tests.partners.registry.test_partner_pages import console, console_sign_in


@pytest.fixture
def small_world(db: Database, settings: Settings) -> dict[str, int]:
    return world.seed_demo_world(db, settings, customers_count=6, merchants_count=1, days=4)


def test_partners_are_registered_by_one_admin_and_approved_by_another(
    db: Database, small_world: dict[str, int]
) -> None:
    assert small_world["partners"] == 3
    with db.unit_of_work() as session:
        partners = session.execute(select(Partner).order_by(Partner.id)).scalars().all()
        assert [p.name for p in partners] == ["好邻居商城", "小账本记账", "滨江置业"]
        assert [p.kind for p in partners] == ["ecommerce", "information", "other"]
        for partner in partners:
            assert partner.status == "active" and partner.api_level == "A2"
            assert partner.approved_by and partner.approved_by != partner.created_by
            assert partner.public_key is not None
            assert isinstance(load_pem_public_key(partner.public_key.encode()), Ed25519PublicKey)
            assert len(partner.redirect_uris) == 1 and partner.scopes
        assert "accounts:open" in partners[2].scopes


def test_consents_follow_the_rules_and_one_is_revoked_one_expired(
    db: Database, small_world: dict[str, int]
) -> None:
    with db.unit_of_work() as session:
        consents = session.execute(select(Consent)).scalars().all()
        assert len(consents) == small_world["consents"] == 9  # three customers for each partner
        statuses = Counter(status_of(consent).value for consent in consents)
        assert statuses == {"authorised": 7, "revoked": 1, "expired": 1}
        for consent in consents:
            assert consent.authorised_at is not None
            assert consent.expires_at - consent.authorised_at <= timedelta(days=90)
            owners = session.execute(
                select(DepositAccount.customer_id).where(DepositAccount.public_id.in_(consent.account_ids))
            ).scalars()
            assert set(owners) == {consent.customer_id}


def test_calls_and_webhook_deliveries_have_a_history(db: Database, small_world: dict[str, int]) -> None:
    with db.unit_of_work() as session:
        calls = session.execute(select(PartnerCall)).scalars().all()
        assert len(calls) == small_world["partner_calls"] > 0
        assert {call.method for call in calls} == {"GET"}
        assert 200 in {call.status for call in calls}
        assert all(3 <= call.latency_ms <= 2_000 for call in calls)
        assert any(call.consent_id for call in calls) and any(not call.consent_id for call in calls)
        assert len({call.at.date() for call in calls}) > 2  # spread over the days
        consents = {c.public_id: c for c in session.execute(select(Consent)).scalars()}
        for call in calls:  # under a consent only while it was in force
            if call.consent_id is not None:
                consent = consents[call.consent_id]
                assert consent.authorised_at is not None
                assert consent.authorised_at <= call.at < (consent.revoked_at or consent.expires_at)
        endpoints = session.execute(select(WebhookEndpoint)).scalars().all()
        assert len(endpoints) == 2 and {e.status for e in endpoints} == {"active"}
        deliveries = session.execute(select(WebhookDelivery)).scalars().all()
        assert len(deliveries) == small_world["webhook_deliveries"]
        outcomes = Counter((d.status, d.attempts, d.last_status_code) for d in deliveries)
        assert outcomes[("delivered", 3, 200)] == 2  # one per endpoint: failed, then delivered
        assert outcomes[("pending", 2, 503)] == 2  # one per endpoint: failing, retried next
        assert outcomes[("delivered", 1, 200)] == len(deliveries) - 4


def test_the_demo_partner_signs_in_to_its_console(
    client: TestClient, db: Database, settings: Settings, small_world: dict[str, int]
) -> None:
    client_id = demo_partners.demo_partner_client_id(db)
    assert client_id is not None
    with db.unit_of_work() as session:
        assert authenticate_client(session, settings, client_id, demo_partners.DEMO_PARTNER_SECRET)
    visitor = console_sign_in(console(client), client_id, demo_partners.DEMO_PARTNER_SECRET)
    calls = visitor.get("/partner/calls")
    assert calls.status_code == 200 and "/v1/accounts/" in calls.text
