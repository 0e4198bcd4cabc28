"""Each refusal of the authorization-code flow: PKCE (wrong verifier, plain, none), the code (reused,
too old, another redirect URI), the redirect URI at the authorization endpoint, the accounts chosen."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.accounts.support import Bank
from tests.partners.factories import make_partner
from tests.partners.oauth.support import (
    Authorization,
    answer_consent,
    bearer,
    customer_with_accounts,
    exchange,
    redirect_query,
    signed_in_browser,
    verifier,
)


def _code(app: Any, bank: Bank, authorization: Authorization) -> tuple[str, str]:
    person, first, _ = customer_with_accounts(bank)
    visitor = signed_in_browser(app, person)
    return redirect_query(answer_consent(visitor, authorization, accounts=[first]))["code"], first


def test_a_wrong_pkce_verifier_is_refused(
    app: Any, api: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    authorization = Authorization(make_partner(db, settings))
    code, _ = _code(app, bank, authorization)
    answer = exchange(api, authorization, code, code_verifier=verifier())
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.json()["error"] == "invalid_grant"
    # The code was spent by that attempt: the right verifier comes too late.
    assert exchange(api, authorization, code).json()["error"] == "invalid_grant"


def test_a_missing_verifier_is_refused(
    app: Any, api: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    authorization = Authorization(make_partner(db, settings))
    code, _ = _code(app, bank, authorization)
    answer = api.post(
        "/oauth/token",
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": authorization.redirect_uri},
        auth=(authorization.partner.client_id, authorization.partner.client_secret),
    )
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_request"


@pytest.mark.parametrize("method", ["plain", None])
def test_pkce_must_be_s256(
    app: Any, bank: Bank, db: Database, settings: Settings, method: str | None
) -> None:
    person, _, _ = customer_with_accounts(bank)
    visitor = signed_in_browser(app, person)
    answer = visitor.get(Authorization(make_partner(db, settings), method=method).url())
    query = redirect_query(answer)
    assert query["error"] == "invalid_request" and query["state"] == "st-123"
    assert "S256" in query["error_description"]


def test_a_code_works_once_and_its_reuse_revokes_what_it_gave(
    app: Any, api: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    authorization = Authorization(make_partner(db, settings))
    code, first = _code(app, bank, authorization)
    tokens = exchange(api, authorization, code).json()
    assert api.get(f"/v1/accounts/{first}", headers=bearer(tokens["access_token"])).status_code == 200
    again = exchange(api, authorization, code)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    assert api.get(f"/v1/accounts/{first}", headers=bearer(tokens["access_token"])).status_code == 401
    refreshed = api.post(
        "/oauth/token",
        data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
        auth=(authorization.partner.client_id, authorization.partner.client_secret),
    )
    assert refreshed.json()["error"] == "invalid_grant"


def test_a_code_older_than_a_minute_is_refused(
    app: Any, api: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    authorization = Authorization(make_partner(db, settings))
    code, _ = _code(app, bank, authorization)
    clock.advance(timedelta(seconds=settings.oauth_code_ttl_seconds + 1))
    answer = exchange(api, authorization, code)
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"


def test_a_code_is_bound_to_its_redirect_uri_and_client(
    app: Any, api: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    other = "https://partner.example/other"
    partner = make_partner(db, settings, redirect_uris=["https://partner.example/callback", other])
    authorization = Authorization(partner)
    code, _ = _code(app, bank, authorization)
    answer = exchange(api, authorization, code, redirect_uri=other)
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"
    # Another partner presenting the code learns nothing either.
    thief = make_partner(db, settings)
    code, _ = _code(app, bank, authorization)
    stolen = api.post(
        "/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": authorization.redirect_uri,
            "code_verifier": authorization.code_verifier,
        },
        auth=(thief.client_id, thief.client_secret),
    )
    assert stolen.status_code == 400 and stolen.json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    "redirect_uri", ["https://partner.example/callback/x", "https://evil.example/callback"]
)
def test_an_unregistered_redirect_uri_is_shown_never_followed(
    app: Any, bank: Bank, db: Database, settings: Settings, redirect_uri: str
) -> None:
    person, _, _ = customer_with_accounts(bank)
    visitor = signed_in_browser(app, person, lang="en")
    answer = visitor.get(Authorization(make_partner(db, settings), redirect_uri=redirect_uri).url())
    assert answer.status_code == 400
    assert "location" not in answer.headers
    assert "This authorization request cannot be handled" in answer.text


def test_an_unknown_or_suspended_client_is_shown_never_followed(
    app: Any, bank: Bank, db: Database, settings: Settings
) -> None:
    person, _, _ = customer_with_accounts(bank)
    visitor = signed_in_browser(app, person)
    suspended = make_partner(db, settings, status="suspended")
    answer = visitor.get(Authorization(suspended).url())
    assert answer.status_code == 400 and "location" not in answer.headers


def test_a_period_beyond_90_days_is_refused(app: Any, bank: Bank, db: Database, settings: Settings) -> None:
    person, _, _ = customer_with_accounts(bank)
    visitor = signed_in_browser(app, person)
    authorization = Authorization(make_partner(db, settings), extra={"expires_in_days": "91"})
    query = redirect_query(visitor.get(authorization.url()))
    assert query["error"] == "invalid_request" and "expires_in_days" in query["error_description"]


def test_a_scope_the_partner_may_not_hold_is_refused(
    app: Any, bank: Bank, db: Database, settings: Settings
) -> None:
    person, _, _ = customer_with_accounts(bank)
    visitor = signed_in_browser(app, person)
    partner = make_partner(db, settings, scopes=["accounts:read"])
    query = redirect_query(visitor.get(Authorization(partner, scope="payments:write").url()))
    assert query["error"] == "invalid_scope"


def test_approving_needs_own_accounts(app: Any, bank: Bank, db: Database, settings: Settings) -> None:
    person, _, _ = customer_with_accounts(bank)
    _, strangers, _ = customer_with_accounts(bank)
    visitor = signed_in_browser(app, person, lang="en")
    authorization = Authorization(make_partner(db, settings))
    none_chosen = answer_consent(visitor, authorization, accounts=[])
    assert none_chosen.status_code == 422 and "Choose at least one account" in none_chosen.text
    not_theirs = answer_consent(visitor, authorization, accounts=[strangers])
    assert not_theirs.status_code == 422 and "Only your own active accounts" in not_theirs.text
