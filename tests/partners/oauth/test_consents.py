"""Consents as the customer and staff see them: listed, revoked (every token stops at once),
expired when their period ends, on /app and on the teller's customer page, in both languages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from finlife.kit.auth import Role
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.partners.models import PartnerToken
from finlife.settings import Settings
from tests.accounts.support import Bank
from tests.factories import staff_token
from tests.partners.factories import make_consent, make_partner
from tests.partners.oauth.support import (
    Authorization,
    basic,
    bearer,
    consent_tokens,
    customer_with_accounts,
    signed_in_browser,
)
from tests.web.conftest import csrf_of


def test_a_customer_lists_and_revokes_a_consent_and_its_tokens_stop_at_once(
    app: Any, api: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    partner = make_partner(db, settings, name="好邻居生活")
    person, first, _ = customer_with_accounts(bank)
    tokens = consent_tokens(app, api, person, Authorization(partner), [first])
    listed = bank.client.get("/v1/me/consents", headers=bearer(person.token))
    assert listed.status_code == 200
    [consent] = listed.json()
    assert consent["id"] == tokens["consent_id"] and consent["status"] == "authorised"
    assert consent["partner"] == {"id": partner.id, "name": "好邻居生活"} and consent["account_ids"] == [
        first
    ]

    revoked = bank.client.delete(f"/v1/me/consents/{consent['id']}", headers=bearer(person.token))
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert revoked.json()["revoked_by"] == "customer"
    assert api.get(f"/v1/accounts/{first}", headers=bearer(tokens["access_token"])).status_code == 401
    refreshed = api.post(
        "/oauth/token",
        data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
        auth=basic(partner),
    )
    assert refreshed.json()["error"] == "invalid_grant"
    with db.unit_of_work() as session:
        stamps = session.execute(select(PartnerToken.revoked_at)).scalars().all()
    assert len(stamps) == 2 and all(stamp is not None for stamp in stamps)
    # Revoking again changes nothing.
    again = bank.client.delete(f"/v1/me/consents/{consent['id']}", headers=bearer(person.token))
    assert again.status_code == 200 and again.json()["revoked_at"] == revoked.json()["revoked_at"]


def test_another_customers_consent_is_not_found(bank: Bank, db: Database, settings: Settings) -> None:
    partner = make_partner(db, settings)
    owner, stranger = bank.customer(), bank.customer()
    consent = make_consent(
        db, partner, customer_id=owner.customer_id, account_ids=[], scopes=["accounts:read"]
    )
    answer = bank.client.delete(f"/v1/me/consents/{consent}", headers=bearer(stranger.token))
    assert answer.status_code == 404
    assert bank.client.get("/v1/me/consents", headers=bearer(stranger.token)).json() == []


def test_a_rejected_consent_cannot_be_revoked(bank: Bank, db: Database, settings: Settings) -> None:
    partner = make_partner(db, settings)
    person = bank.customer()
    consent = make_consent(
        db,
        partner,
        customer_id=person.customer_id,
        account_ids=[],
        scopes=["accounts:read"],
        status="rejected",
    )
    answer = bank.client.delete(f"/v1/me/consents/{consent}", headers=bearer(person.token))
    assert answer.status_code == 409 and answer.json()["code"] == "consent_not_revocable"


def test_a_consent_past_its_period_reads_and_stays_expired(
    bank: Bank, db: Database, settings: Settings
) -> None:
    # In the past, so that signing in again a day later is not a login from the future (PyJWT).
    clock.freeze(datetime(2025, 3, 3, 1, 0, tzinfo=UTC))
    partner = make_partner(db, settings)
    person = bank.customer()
    consent = make_consent(
        db, partner, customer_id=person.customer_id, account_ids=[], scopes=["accounts:read"], days=1
    )
    token = bank.client.get("/v1/me/consents", headers=bearer(person.token))
    assert token.json()[0]["status"] == "authorised"
    clock.advance(timedelta(days=1, seconds=1))
    person = bank.signed_in_again(person)
    listed = bank.client.get("/v1/me/consents", headers=bearer(person.token))
    assert [(c["id"], c["status"]) for c in listed.json()] == [(consent, "expired")]
    refused = bank.client.delete(f"/v1/me/consents/{consent}", headers=bearer(person.token))
    assert refused.status_code == 409


def test_staff_and_partners_cannot_use_the_customers_consent_routes(
    bank: Bank, db: Database, settings: Settings, api: TestClient
) -> None:
    partner = make_partner(db, settings)
    teller = bank.teller
    assert bank.client.get("/v1/me/consents", headers=bearer(teller)).status_code == 403
    token = api.post("/oauth/token", data={"grant_type": "client_credentials"}, auth=basic(partner)).json()
    assert api.get("/v1/me/consents", headers=bearer(token["access_token"])).status_code == 401


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("zh-CN", ("授权管理", "撤销授权", "授权已撤销")),
        ("en", ("Consents", "Revoke", "The consent is revoked")),
    ],
)
def test_the_app_consents_page_lists_and_revokes(
    app: Any,
    api: TestClient,
    bank: Bank,
    db: Database,
    settings: Settings,
    lang: str,
    words: tuple[str, str, str],
) -> None:
    partner = make_partner(db, settings, name="好邻居生活")
    person, first, _ = customer_with_accounts(bank)
    tokens = consent_tokens(app, api, person, Authorization(partner), [first])
    visitor = signed_in_browser(app, person, lang=lang)
    me = visitor.get("/app/me")
    assert 'href="/app/consents"' in me.text
    page = visitor.get("/app/consents")
    title, button, toast = words
    assert (
        page.status_code == 200 and title in page.text and button in page.text and "好邻居生活" in page.text
    )
    action = f"/app/consents/{tokens['consent_id']}/revoke"
    answer = visitor.post(action, data={"csrf_token": csrf_of(page.text)})
    assert answer.status_code == 303 and answer.headers["location"] == "/app/consents"
    after = visitor.get("/app/consents")
    assert toast in after.text and f'action="{action}"' not in after.text
    assert 'data-status="revoked"' in after.text
    assert api.get(f"/v1/accounts/{first}", headers=bearer(tokens["access_token"])).status_code == 401


def test_a_revoke_without_csrf_is_refused(
    app: Any, api: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    partner = make_partner(db, settings)
    person, first, _ = customer_with_accounts(bank)
    tokens = consent_tokens(app, api, person, Authorization(partner), [first])
    visitor = signed_in_browser(app, person)
    answer = visitor.post(f"/app/consents/{tokens['consent_id']}/revoke", data={"csrf_token": "0" * 64})
    assert answer.status_code == 403
    assert api.get(f"/v1/accounts/{first}", headers=bearer(tokens["access_token"])).status_code == 200


@pytest.mark.parametrize(
    ("lang", "title", "channel"),
    [("zh-CN", "第三方授权", "手机银行"), ("en", "Consents to partners", "Mobile")],
)
def test_the_teller_sees_the_customers_consents(
    app: Any,
    client: TestClient,
    bank: Bank,
    db: Database,
    settings: Settings,
    lang: str,
    title: str,
    channel: str,
) -> None:
    partner = make_partner(db, settings, name="好邻居生活")
    person, first, _ = customer_with_accounts(bank)
    consent = make_consent(
        db, partner, customer_id=person.customer_id, account_ids=[first], scopes=["accounts:read"]
    )
    teller = staff_token(client, db, settings, Role.TELLER, channel="branch")
    console = TestClient(app)
    console.cookies.set("finlife_token", teller)
    console.cookies.set("lang", lang)
    page = console.get(f"/bank/customers/{person.customer_id}")
    assert page.status_code == 200, page.text
    assert title in page.text and f'data-consent="{consent}"' in page.text and "好邻居生活" in page.text
    # The account as staff know it (its masked number), and the channel in words, not codes.
    listed = client.get(f"/v1/customers/{person.customer_id}/accounts", headers=bearer(teller))
    number = next(a["number"] for a in listed.json()["data"] if a["id"] == first)
    row = page.text.split(f'data-consent="{consent}"', 1)[1].split("</tr>", 1)[0]
    assert number in row and f">{first}<" not in row
    assert f"{channel}</small>" in row
