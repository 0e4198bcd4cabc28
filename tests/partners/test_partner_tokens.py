"""A partner's bearer token reaches exactly what its grant allows, and stops the moment its partner is
suspended, its consent is revoked or expires, or the token itself expires."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Annotated, Any

import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import update

from finlife.kit.auth import Access, Actor
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.kit.errors import install_handlers
from finlife.partners import tokens
from finlife.partners.models import Consent, Partner
from finlife.settings import Settings
from tests.partners.factories import make_consent, make_partner, partner_token

Reader = Annotated[Actor, Depends(Access(scopes=("accounts:read",)))]
Person = Annotated[Actor, Depends(Access.signed_in())]


@pytest.fixture
def probe(db: Database) -> Iterator[TestClient]:
    """A small app with one route for partners reading accounts and one for people only."""
    app = FastAPI()
    install_handlers(app)
    app.state.partner_tokens = tokens.resolver(db)

    @app.get("/read")
    def read(actor: Reader) -> dict[str, Any]:
        assert actor.grant is not None and actor.customer_id is None
        grant = actor.grant
        return {
            "partner": grant.partner_id,
            "scopes": sorted(grant.scopes),
            "consent": grant.consent_id,
            "customer": grant.customer_id,
            "accounts": sorted(grant.account_ids),
            "channel": actor.channel.value,
        }

    @app.get("/people")
    def people(actor: Person) -> dict[str, str]:
        return {"user": str(actor.user_id)}

    with TestClient(app) as test_client:
        yield test_client


def bearer(token: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **extra}


def test_a_consent_token_reaches_its_grant_and_nothing_more(
    probe: TestClient, db: Database, settings: Settings
) -> None:
    partner = make_partner(db, settings)
    consent = make_consent(db, partner, customer_id="cus_1", account_ids=["acc_a"], scopes=["accounts:read"])
    # The token asked for more than the customer consented to: the consent's scopes bound it.
    token = partner_token(db, partner, scopes=["accounts:read", "payments:write"], consent_id=consent)
    answer = probe.get("/read", headers=bearer(token))
    assert answer.status_code == 200
    assert answer.json() == {
        "partner": partner.id,
        "scopes": ["accounts:read"],
        "consent": consent,
        "customer": "cus_1",
        "accounts": ["acc_a"],
        "channel": "partner",
    }
    refused = probe.get("/people", headers=bearer(token))
    assert refused.status_code == 401


def test_a_token_without_the_scope_is_refused_with_its_code(
    probe: TestClient, db: Database, settings: Settings
) -> None:
    partner = make_partner(db, settings)
    token = partner_token(db, partner, scopes=["payments:write"])
    answer = probe.get("/read", headers=bearer(token))
    assert answer.status_code == 403
    assert answer.json()["code"] == "insufficient_scope"


def test_the_partner_channel_is_the_tokens(probe: TestClient, db: Database, settings: Settings) -> None:
    partner = make_partner(db, settings)
    token = partner_token(db, partner, scopes=["accounts:read"])
    assert probe.get("/read", headers=bearer(token, **{"X-Channel": "partner"})).status_code == 200
    mismatch = probe.get("/read", headers=bearer(token, **{"X-Channel": "mobile"}))
    assert mismatch.status_code == 403 and mismatch.json()["code"] == "channel_mismatch"


@pytest.mark.parametrize("stop", ["suspend_partner", "revoke_consent", "consent_expires", "token_expires"])
def test_every_token_stops_at_once(probe: TestClient, db: Database, settings: Settings, stop: str) -> None:
    partner = make_partner(db, settings)
    consent = make_consent(
        db, partner, customer_id="cus_1", account_ids=["acc_a"], scopes=["accounts:read"], days=1
    )
    token = partner_token(db, partner, scopes=["accounts:read"], consent_id=consent, ttl=3600 * 48)
    assert probe.get("/read", headers=bearer(token)).status_code == 200
    with db.unit_of_work() as session:
        if stop == "suspend_partner":
            session.execute(update(Partner).where(Partner.id == partner.pk).values(status="suspended"))
        elif stop == "revoke_consent":
            session.execute(update(Consent).where(Consent.public_id == consent).values(status="revoked"))
    if stop == "consent_expires":
        clock.advance(timedelta(days=1, seconds=1))
    if stop == "token_expires":
        clock.advance(timedelta(hours=48, seconds=1))
    answer = probe.get("/read", headers=bearer(token))
    assert answer.status_code == 401


def test_an_unknown_token_is_refused(probe: TestClient, db: Database, settings: Settings) -> None:
    assert probe.get("/read", headers=bearer("pat_" + "x" * 43)).status_code == 401
