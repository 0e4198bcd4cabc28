"""The authorization-code flow end to end: the consent screen in both languages, the code, the
tokens, and what they reach on the existing account routes."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from finlife.kit.db import Database
from finlife.partners.models import Consent
from finlife.settings import Settings
from tests.accounts.support import Bank
from tests.factories import PASSWORD
from tests.partners.factories import make_partner
from tests.partners.oauth.support import (
    CONSENT_ID,
    Authorization,
    answer_consent,
    bearer,
    consent_tokens,
    customer_with_accounts,
    exchange,
    redirect_query,
    signed_in_browser,
)
from tests.web.conftest import csrf_of

WORDS = {
    "zh-CN": ("授权确认", "查看所选账户的账号（部分隐藏）和余额", "同意授权", "90天"),
    "en": (
        "Give a partner access",
        "See the chosen accounts, their numbers (partly hidden) and balances",
        "Allow",
        "90 days",
    ),
}


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_consent_screen_names_partner_permissions_accounts_and_expiry(
    app: Any, api: TestClient, bank: Bank, db: Database, settings: Settings, lang: str
) -> None:
    partner = make_partner(db, settings, name="好邻居生活")
    person, first, second = customer_with_accounts(bank)
    visitor = signed_in_browser(app, person, lang=lang)
    authorization = Authorization(partner, scope="accounts:read transactions:read")
    screen = visitor.get(authorization.url())
    assert screen.status_code == 200
    title, permission, approve, days = WORDS[lang]
    for words in (title, "好邻居生活", permission, approve, days):
        assert words in screen.text
    assert f'value="{first}"' in screen.text and f'value="{second}"' in screen.text
    assert 'data-scope="transactions:read"' in screen.text
    assert CONSENT_ID.search(screen.text) is not None

    answer = answer_consent(visitor, authorization, accounts=[first])
    query = redirect_query(answer)
    assert query["state"] == "st-123" and len(query["code"]) >= 40
    tokens = exchange(api, authorization, query["code"])
    assert tokens.status_code == 200, tokens.text
    body = tokens.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == settings.oauth_access_ttl_seconds
    assert body["scope"] == "accounts:read transactions:read"
    assert body["access_token"].startswith("pat_") and body["refresh_token"].startswith("prt_")
    assert tokens.headers["cache-control"] == "no-store"
    with db.unit_of_work() as session:
        consent = session.execute(select(Consent).where(Consent.public_id == body["consent_id"])).scalar_one()
        assert (consent.status, consent.account_ids, consent.customer_id) == (
            "authorised",
            [first],
            person.customer_id,
        )
        assert consent.channel == "mobile" and consent.scopes == ["accounts:read", "transactions:read"]


def test_a_visitor_signs_in_on_app_and_comes_back_to_the_consent_screen(
    app: Any, api: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    partner = make_partner(db, settings)
    person, _, _ = customer_with_accounts(bank)
    authorization = Authorization(partner)
    visitor = api
    answer = visitor.get(authorization.url())
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/app/login?next=%2Foauth%2Fauthorize%3F")

    form = visitor.get(answer.headers["location"])
    signed_in = visitor.post(
        "/app/login",
        data={
            "username": person.phone,
            "password": PASSWORD,
            "next": authorization.url(),
            "csrf_token": csrf_of(form.text),
        },
    )
    assert signed_in.status_code == 303, signed_in.text
    assert signed_in.headers["location"] == authorization.url()
    screen = visitor.get(signed_in.headers["location"])
    assert screen.status_code == 200 and CONSENT_ID.search(screen.text)


def test_the_token_reads_the_consented_accounts_masked_and_nothing_else(
    app: Any, api: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    partner = make_partner(db, settings)
    person, first, second = customer_with_accounts(bank)
    stranger, strangers, _ = customer_with_accounts(bank)
    tokens = consent_tokens(app, api, person, Authorization(partner), [first])
    token = tokens["access_token"]

    one = api.get(f"/v1/accounts/{first}", headers=bearer(token))
    assert one.status_code == 200, one.text
    assert one.json()["masked"] is True and "*" in one.json()["number"]
    assert one.json()["balance"]["available"] == 50_000
    listed = api.get(f"/v1/customers/{person.customer_id}/accounts", headers=bearer(token))
    assert [a["id"] for a in listed.json()["data"]] == [first]
    # An account of the same customer outside the consent, another customer's account and list.
    for path in (
        f"/v1/accounts/{second}",
        f"/v1/accounts/{strangers}",
        f"/v1/accounts/{second}/transactions",
    ):
        refused = api.get(path, headers=bearer(token))
        assert refused.status_code == 404 and refused.json()["code"] == "not_found", path
    other_list = api.get(f"/v1/customers/{stranger.customer_id}/accounts", headers=bearer(token))
    assert other_list.status_code == 404
    # A route no scope opens to partners (moving money) refuses the token outright.
    assert api.get(f"/v1/accounts/{first}/cards", headers=bearer(token)).status_code in (401, 404)


def test_a_missing_scope_is_refused_with_insufficient_scope(
    app: Any, api: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    partner = make_partner(db, settings)
    person, first, _ = customer_with_accounts(bank)
    tokens = consent_tokens(app, api, person, Authorization(partner, scope="accounts:read"), [first])
    answer = api.get(f"/v1/accounts/{first}/transactions", headers=bearer(tokens["access_token"]))
    assert answer.status_code == 403 and answer.json()["code"] == "insufficient_scope"


def test_statements_start_at_the_consents_authorisation(
    app: Any, api: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    partner = make_partner(db, settings)
    person, first, _ = customer_with_accounts(bank, amount=10_000)
    tokens = consent_tokens(app, api, person, Authorization(partner), [first])
    assert bank.deposit(first, 2_500).status_code == 201
    lines = api.get(f"/v1/accounts/{first}/transactions", headers=bearer(tokens["access_token"]))
    assert lines.status_code == 200
    assert [line["amount"] for line in lines.json()["data"]] == [2_500]
    # The customer sees the whole statement.
    own = bank.client.get(f"/v1/accounts/{first}/transactions", headers=bearer(person.token))
    assert [line["amount"] for line in own.json()["data"]] == [2_500, 10_000]


def test_denying_rejects_the_consent_and_tells_the_partner(
    app: Any, db: Database, settings: Settings, bank: Bank
) -> None:
    partner = make_partner(db, settings)
    person, _, _ = customer_with_accounts(bank)
    visitor = signed_in_browser(app, person)
    answer = answer_consent(visitor, Authorization(partner), decision="deny", accounts=[])
    query = redirect_query(answer)
    assert (query["error"], query["state"], "code" in query) == ("access_denied", "st-123", False)
    with db.unit_of_work() as session:
        statuses = (
            session.execute(select(Consent.status).where(Consent.partner_pk == partner.pk)).scalars().all()
        )
    assert statuses == ["rejected"]
