"""POST /oauth/token beyond the code: client credentials, client authentication, refresh rotation
and the detection of a reused refresh token."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.partners.models import Consent, Partner, PartnerToken
from finlife.partners.tokens import find_token, issue_tokens
from finlife.settings import Settings
from tests.accounts.support import Bank
from tests.partners.factories import make_consent, make_partner
from tests.partners.oauth.support import Authorization, basic, bearer, consent_tokens, customer_with_accounts


def _token(api: TestClient, auth: tuple[str, str], **form: str) -> Any:
    return api.post("/oauth/token", data=form, auth=auth)


def test_client_credentials_carry_partner_self_and_partner_level_scopes(
    api: TestClient, db: Database, settings: Settings
) -> None:
    partner = make_partner(db, settings)
    plain = _token(api, basic(partner), grant_type="client_credentials")
    assert plain.status_code == 200, plain.text
    assert plain.json()["scope"] == "partner:self" and "refresh_token" not in plain.json()
    opening = _token(api, basic(partner), grant_type="client_credentials", scope="accounts:open")
    assert opening.json()["scope"] == "accounts:open partner:self"
    assert opening.json()["access_token"].startswith("pat_")


@pytest.mark.parametrize("scope", ["accounts:read", "payments:write accounts:open", "no:such"])
def test_client_credentials_refuse_customer_and_unknown_scopes(
    api: TestClient, db: Database, settings: Settings, scope: str
) -> None:
    partner = make_partner(db, settings)
    answer = _token(api, basic(partner), grant_type="client_credentials", scope=scope)
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_scope"


def test_a_partner_not_allowed_accounts_open_does_not_get_it(
    api: TestClient, db: Database, settings: Settings
) -> None:
    partner = make_partner(db, settings, scopes=["accounts:read"])
    answer = _token(api, basic(partner), grant_type="client_credentials", scope="accounts:open")
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_scope"


@pytest.mark.parametrize("case", ["wrong_secret", "unknown_client", "suspended", "pending"])
def test_client_authentication_failures_are_401_with_basic_challenge(
    api: TestClient, db: Database, settings: Settings, case: str
) -> None:
    partner = make_partner(
        db, settings, status={"suspended": "suspended", "pending": "pending_approval"}.get(case, "active")
    )
    auth = basic(partner, "sec_wrong") if case == "wrong_secret" else basic(partner)
    if case == "unknown_client":
        auth = ("cli_nobody", partner.client_secret)
    answer = _token(api, auth, grant_type="client_credentials")
    assert answer.status_code == 401
    assert answer.json()["error"] == "invalid_client"
    assert answer.headers["www-authenticate"].startswith("Basic ")


def test_no_client_authentication_is_401(api: TestClient, db: Database, settings: Settings) -> None:
    answer = api.post("/oauth/token", data={"grant_type": "client_credentials"})
    assert answer.status_code == 401 and answer.json()["error"] == "invalid_client"


def test_an_unknown_grant_type_and_plain_http_are_refused(
    app: Any, api: TestClient, db: Database, settings: Settings
) -> None:
    partner = make_partner(db, settings)
    assert _token(api, basic(partner), grant_type="password").json()["error"] == "unsupported_grant_type"
    with TestClient(app, base_url="http://bank.example") as insecure:
        answer = insecure.post("/oauth/token", data={"grant_type": "client_credentials"}, auth=basic(partner))
    assert answer.status_code == 400 and answer.json()["error"] == "insecure_transport"


def test_an_a1_partner_gets_no_customer_grant(api: TestClient, db: Database, settings: Settings) -> None:
    partner = make_partner(db, settings)
    with db.unit_of_work() as session:
        session.execute(update(Partner).where(Partner.id == partner.pk).values(api_level="A1"))
    answer = _token(api, basic(partner), grant_type="refresh_token", refresh_token="prt_x")
    assert answer.status_code == 400 and answer.json()["error"] == "unauthorized_client"


def test_refresh_tokens_rotate_and_a_reused_one_revokes_the_family(
    app: Any, api: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    partner = make_partner(db, settings)
    person, first, _ = customer_with_accounts(bank)
    tokens = consent_tokens(app, api, person, Authorization(partner), [first])
    rotated = _token(api, basic(partner), grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert rotated.status_code == 200, rotated.text
    fresh = rotated.json()
    assert fresh["refresh_token"] != tokens["refresh_token"] and fresh["consent_id"] == tokens["consent_id"]
    assert fresh["scope"] == tokens["scope"]
    assert api.get(f"/v1/accounts/{first}", headers=bearer(fresh["access_token"])).status_code == 200

    reused = _token(api, basic(partner), grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"
    # The leak is assumed: the whole chain stops, the newest tokens included.
    after = _token(api, basic(partner), grant_type="refresh_token", refresh_token=fresh["refresh_token"])
    assert after.json()["error"] == "invalid_grant"
    assert api.get(f"/v1/accounts/{first}", headers=bearer(fresh["access_token"])).status_code == 401


def test_a_refresh_may_narrow_the_scope_never_widen_it(
    app: Any, api: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    partner = make_partner(db, settings)
    person, first, _ = customer_with_accounts(bank)
    tokens = consent_tokens(app, api, person, Authorization(partner, scope="accounts:read"), [first])
    wider = _token(
        api,
        basic(partner),
        grant_type="refresh_token",
        refresh_token=tokens["refresh_token"],
        scope="accounts:read payments:write",
    )
    assert wider.status_code == 400 and wider.json()["error"] == "invalid_scope"


def test_another_partner_cannot_use_a_refresh_token(
    app: Any, api: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    partner, thief = make_partner(db, settings), make_partner(db, settings)
    person, first, _ = customer_with_accounts(bank)
    tokens = consent_tokens(app, api, person, Authorization(partner), [first])
    stolen = _token(api, basic(thief), grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert stolen.status_code == 400 and stolen.json()["error"] == "invalid_grant"


def test_an_expired_consent_stops_its_tokens_and_its_refresh(
    api: TestClient, db: Database, settings: Settings
) -> None:
    partner = make_partner(db, settings)
    consent = make_consent(
        db, partner, customer_id="cus_x", account_ids=["acc_x"], scopes=["accounts:read"], days=1
    )
    with db.unit_of_work() as session:
        row = session.execute(select(Consent).where(Consent.public_id == consent)).scalar_one()
        issued = issue_tokens(
            session,
            partner=session.get(Partner, partner.pk),
            scopes=["accounts:read"],
            access_ttl_seconds=3 * 86_400,
            consent=row,
            refresh_ttl_seconds=3 * 86_400,
        )
    clock.advance(timedelta(days=1, seconds=1))
    assert api.get("/v1/accounts/acc_x", headers=bearer(issued.access_token)).status_code == 401
    refreshed = _token(
        api, basic(partner), grant_type="refresh_token", refresh_token=str(issued.refresh_token)
    )
    assert refreshed.status_code == 400 and refreshed.json()["error"] == "invalid_grant"


def test_a_refresh_token_never_outlives_its_consent(
    app: Any, api: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    partner = make_partner(db, settings)
    person, first, _ = customer_with_accounts(bank)
    authorization = Authorization(partner, extra={"expires_in_days": "2"})
    tokens = consent_tokens(app, api, person, authorization, [first])
    with db.unit_of_work() as session:
        refresh = find_token(session, tokens["refresh_token"], "refresh")
        consent = session.execute(
            select(Consent).where(Consent.public_id == tokens["consent_id"])
        ).scalar_one()
        assert refresh is not None and isinstance(refresh, PartnerToken)
        assert refresh.expires_at <= consent.expires_at
        assert consent.expires_at - consent.authorised_at == timedelta(days=2)


def test_a_body_that_is_not_a_form_is_a_problem(api: TestClient, db: Database, settings: Settings) -> None:
    partner = make_partner(db, settings)
    answer = api.post("/oauth/token", json={"grant_type": "client_credentials"}, auth=basic(partner))
    assert answer.status_code == 400 and answer.json()["code"] == "malformed_body"
    assert answer.headers["content-type"] == "application/problem+json"
