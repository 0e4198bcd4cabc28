"""RFC 7009 revocation and RFC 7662 introspection: client-authenticated, the partner's own tokens only."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from finlife.kit.db import Database
from finlife.settings import Settings
from tests.accounts.support import Bank
from tests.partners.factories import make_partner
from tests.partners.oauth.support import Authorization, basic, bearer, consent_tokens, customer_with_accounts


def _introspect(api: TestClient, auth: tuple[str, str], token: str, **hint: str) -> dict[str, Any]:
    answer = api.post("/oauth/introspect", data={"token": token, **hint}, auth=auth)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_introspection_answers_the_partners_own_tokens(
    app: Any, api: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    partner, other = make_partner(db, settings), make_partner(db, settings)
    person, first, _ = customer_with_accounts(bank)
    tokens = consent_tokens(app, api, person, Authorization(partner), [first])
    found = _introspect(api, basic(partner), tokens["access_token"])
    assert found["active"] is True and found["client_id"] == partner.client_id
    assert found["scope"] == "accounts:read transactions:read" and found["token_type"] == "Bearer"
    assert found["sub"] == person.customer_id and found["consent_id"] == tokens["consent_id"]
    assert found["exp"] - found["iat"] == settings.oauth_access_ttl_seconds
    refresh = _introspect(api, basic(partner), tokens["refresh_token"], token_type_hint="access_token")
    assert refresh["active"] is True and refresh["token_type"] == "refresh_token"
    assert _introspect(api, basic(other), tokens["access_token"]) == {"active": False}
    assert _introspect(api, basic(partner), "pat_unknown") == {"active": False}


def test_introspecting_a_client_credentials_token(api: TestClient, db: Database, settings: Settings) -> None:
    partner = make_partner(db, settings)
    token = api.post("/oauth/token", data={"grant_type": "client_credentials"}, auth=basic(partner)).json()
    found = _introspect(api, basic(partner), token["access_token"])
    assert (found["active"], found["scope"], found["sub"]) == (True, "partner:self", partner.client_id)
    assert "consent_id" not in found


def test_revoking_an_access_token_stops_it_alone(
    app: Any, api: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    partner = make_partner(db, settings)
    person, first, _ = customer_with_accounts(bank)
    tokens = consent_tokens(app, api, person, Authorization(partner), [first])
    answer = api.post("/oauth/revoke", data={"token": tokens["access_token"]}, auth=basic(partner))
    assert answer.status_code == 200 and answer.json() == {}
    assert api.get(f"/v1/accounts/{first}", headers=bearer(tokens["access_token"])).status_code == 401
    assert _introspect(api, basic(partner), tokens["access_token"]) == {"active": False}
    assert _introspect(api, basic(partner), tokens["refresh_token"])["active"] is True


def test_revoking_a_refresh_token_revokes_its_family(
    app: Any, api: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    partner = make_partner(db, settings)
    person, first, _ = customer_with_accounts(bank)
    tokens = consent_tokens(app, api, person, Authorization(partner), [first])
    answer = api.post(
        "/oauth/revoke",
        data={"token": tokens["refresh_token"], "token_type_hint": "refresh_token"},
        auth=basic(partner),
    )
    assert answer.status_code == 200
    assert api.get(f"/v1/accounts/{first}", headers=bearer(tokens["access_token"])).status_code == 401
    refreshed = api.post(
        "/oauth/token",
        data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
        auth=basic(partner),
    )
    assert refreshed.json()["error"] == "invalid_grant"
    # Revoking what is unknown or already revoked answers the same (RFC 7009 §2.2).
    again = api.post("/oauth/revoke", data={"token": tokens["refresh_token"]}, auth=basic(partner))
    assert (
        again.status_code == 200
        and api.post("/oauth/revoke", data={"token": "x"}, auth=basic(partner)).status_code == 200
    )


def test_revocation_and_introspection_refuse_bad_clients_and_requests(
    app: Any, api: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    partner, other = make_partner(db, settings), make_partner(db, settings)
    token = api.post("/oauth/token", data={"grant_type": "client_credentials"}, auth=basic(partner)).json()
    for path in ("/oauth/revoke", "/oauth/introspect"):
        wrong = api.post(path, data={"token": token["access_token"]}, auth=basic(partner, "sec_wrong"))
        assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
        assert wrong.headers["www-authenticate"].startswith("Basic ")
        missing = api.post(path, data={}, auth=basic(partner))
        assert missing.status_code == 400 and missing.json()["error"] == "invalid_request"
        bad_hint = api.post(path, data={"token": "t", "token_type_hint": "id_token"}, auth=basic(partner))
        # Authlib answers this one with 401 (its ForbiddenError); the contract documents both.
        assert bad_hint.status_code == 401 and bad_hint.json()["error"] == "unsupported_token_type"
    # Another partner cannot revoke this one's token.
    stolen = api.post("/oauth/revoke", data={"token": token["access_token"]}, auth=basic(other))
    assert stolen.status_code == 400 and stolen.json()["error"] == "invalid_grant"
    assert _introspect(api, basic(partner), token["access_token"])["active"] is True
