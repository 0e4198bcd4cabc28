"""The mortgage's journey across channels: the developer's app starts it under the buyer's consent, the
customer continues in the app, a teller checks the ID at the branch, an officer approves, the customer
signs, the loan is paid to the developer's escrow; every step says where and by whom, and the
developer's webhook receiver hears of every state."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from finlife.events.consumers import Registry
from finlife.events.relay import EmbeddedSink, Relay
from finlife.kit.db import Database
from finlife.partners.webhooks.catalogue import LOAN_EVENTS
from finlife.partners.webhooks.fanout import ensure_subscribed
from finlife.settings import Settings
from tests.factories import headers
from tests.lending.support import Lender
from tests.partners.factories import make_consent, make_partner, partner_token
from tests.partners.webhooks.helpers import BASE, bearer, self_token, worker
from tests.partners.webhooks.receiver import receiver


def relay(db: Database) -> None:
    subscribers = Registry()
    ensure_subscribed(subscribers)
    Relay(db, EmbeddedSink(db, subscribers)).drain()


def journey(client: TestClient, token: str, journey_id: str) -> Any:
    return client.get(f"/v1/journeys/{journey_id}", headers=headers(token))


def test_a_mortgage_from_the_developers_app_to_its_escrow(
    client: TestClient, db: Database, settings: Settings
) -> None:
    bank = Lender(client, db, settings)
    developer = make_partner(db, settings, name="滨江置业")
    escrow = bank.borrower()
    client.post(
        "/v1/loan-developer-escrows",
        json={"partner_id": developer.id, "account_id": escrow.account_id},
        headers=headers(bank.admin),
    )
    product = bank.product("mortgage")
    buyer = bank.borrower()
    consent = make_consent(
        db, developer, customer_id=buyer.customer_id, account_ids=[buyer.account_id], scopes=["loans:apply"]
    )
    app_token = partner_token(db, developer, scopes=["loans:apply"], consent_id=consent)
    with receiver() as hook:
        created = client.post(
            BASE,
            json={"url": hook.url, "events": list(LOAN_EVENTS)},
            headers=bearer(self_token(db, developer)),
        )
        assert created.status_code == 201, created.text
        home = {
            "price": 3_000_000_00,
            "address": "杭州市滨江区江南大道88号3幢1201",
            "developer_partner_id": developer.id,
        }
        applied = bank.apply(
            app_token,
            product,
            buyer.account_id,
            amount=2_000_000_00,
            term_months=360,
            property=home,
            monthly_income=60_000_00,
        )
        assert applied.status_code == 201, applied.text
        loan_id, journey_id = applied.json()["id"], applied.json()["journey_id"]
        # The customer continues in the app: the documents.
        assert (
            bank.act(buyer.token, loan_id, "documents", {"documents": ["购房合同", "收入证明"]}).status_code
            == 200
        )
        teller = bank.teller
        assert bank.act(teller, loan_id, "identity-verification", channel="branch").status_code == 200
        officer = bank.officer()
        assert bank.act(officer, loan_id, "approve").json()["status"] == "approved"
        assert bank.act(buyer.token, loan_id, "sign").json()["status"] == "signed"
        paid = bank.act(teller, loan_id, "disburse").json()
        assert paid["disbursed_to"] == escrow.account_id and bank.balance(escrow.account_id) == 2_000_000_00
        relay(db)
        assert worker(db, settings).drain() == 5
    heard = sorted(json.loads(request.body)["type"] for request in hook.received)
    assert heard == sorted(
        ["loan.application_submitted", "loan.under_review", "loan.approved", "loan.signed", "loan.disbursed"]
    )
    seen = journey(client, buyer.token, journey_id)
    assert seen.status_code == 200
    steps = {s["name"]: s for s in seen.json()["steps"]}
    assert [s["name"] for s in seen.json()["steps"]] == [
        "apply",
        "documents",
        "identity_verified",
        "approve",
        "sign",
        "disburse",
    ]
    assert all(s["status"] == "done" for s in steps.values())
    assert (steps["apply"]["channel"], steps["apply"]["by"]) == ("partner", developer.id)
    assert steps["documents"]["channel"] == "mobile"
    assert steps["identity_verified"]["channel"] == "branch"
    assert steps["sign"]["channel"] == "mobile"
    # The serving staff and the partner that started it see the same journey; nobody else does.
    assert journey(client, teller, journey_id).json() == seen.json()
    assert journey(client, app_token, journey_id).json() == seen.json()
    assert journey(client, bank.borrower().token, journey_id).status_code == 404
    other = make_partner(db, settings)
    other_consent = make_consent(
        db, other, customer_id=buyer.customer_id, account_ids=[], scopes=["loans:apply"]
    )
    assert (
        journey(
            client, partner_token(db, other, scopes=["loans:apply"], consent_id=other_consent), journey_id
        ).status_code
        == 404
    )
    # The developer follows the loan itself too.
    assert client.get(f"/v1/loans/{loan_id}", headers=headers(app_token)).json()["status"] == "disbursed"


def test_a_partner_applies_only_under_consent_and_for_its_accounts(
    client: TestClient, db: Database, settings: Settings
) -> None:
    bank = Lender(client, db, settings)
    partner = make_partner(db, settings)
    product = bank.product()
    buyer = bank.borrower()
    reader = make_consent(
        db, partner, customer_id=buyer.customer_id, account_ids=[buyer.account_id], scopes=["accounts:read"]
    )
    no_scope = partner_token(db, partner, scopes=["accounts:read"], consent_id=reader)
    refused = bank.apply(no_scope, product, buyer.account_id)
    assert refused.status_code == 403 and refused.json()["code"] == "insufficient_scope"
    no_accounts = make_consent(
        db, partner, customer_id=buyer.customer_id, account_ids=[], scopes=["loans:apply"]
    )
    outside = bank.apply(
        partner_token(db, partner, scopes=["loans:apply"], consent_id=no_accounts), product, buyer.account_id
    )
    assert outside.json()["code"] == "loan_repayment_account_invalid"  # the account is not in the consent
    consent = make_consent(
        db, partner, customer_id=buyer.customer_id, account_ids=[buyer.account_id], scopes=["loans:apply"]
    )
    token = partner_token(db, partner, scopes=["loans:apply"], consent_id=consent)
    applied = bank.apply(token, product, buyer.account_id)
    assert applied.status_code == 201
    # The partner may not decide it.
    assert bank.act(token, applied.json()["id"], "approve").status_code == 401
