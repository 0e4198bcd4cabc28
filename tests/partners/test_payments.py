"""A partner pays from an account in the customer's consent through the transfer service; above
1,000.00 CNY or the consent's daily total the customer confirms in /app first."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.ledger import service as ledger
from finlife.partners.models import Consent
from finlife.settings import Settings
from tests.accounts.support import Bank, Person
from tests.banksim.support import ALICE, ALICE_FUNDS, CODE, balance
from tests.factories import headers
from tests.interbank.flows import settled
from tests.interbank.support import OtherBank
from tests.partners.factories import make_consent, partner_token
from tests.partners.support import KeyedPartner, encoded, keyed_partner, signed_headers, signed_post


@dataclass(frozen=True)
class Setup:
    payer: Person
    account: str
    payee: Person
    payee_account: str
    payee_number: str
    consent: str
    token: str
    signer: KeyedPartner  # the consent's partner, with its registered key


def setup(bank: Bank, db: Database, settings: Settings, *, daily_limit: int | None = None) -> Setup:
    payer, payee = bank.customer(), bank.customer()
    account = bank.funded(payer, 500_000)
    payee_account = bank.open(payee)
    signer = keyed_partner(db, settings)
    partner = signer.made
    consent = make_consent(
        db, partner, customer_id=payer.customer_id, account_ids=[account], scopes=["payments:write"]
    )
    if daily_limit is not None:
        with db.unit_of_work() as session:
            session.execute(
                update(Consent).where(Consent.public_id == consent).values(daily_payment_limit=daily_limit)
            )
    token = partner_token(db, partner, scopes=["payments:write"], consent_id=consent, ttl=3600)
    return Setup(payer, account, payee, payee_account["id"], payee_account["number"], consent, token, signer)


def pay(
    client: TestClient, s: Setup, amount: int, *, key: str | None = None, account: str | None = None
) -> httpx.Response:
    body = {
        "from_account": account or s.account,
        "payee": {"name": s.payee.name, "account_number": s.payee_number},
        "amount": amount,
        "currency": "CNY",
        "reference": "订单 42",
    }
    return signed_post(
        client,
        s.signer,
        s.token,
        "/v1/partner/payments",
        body,
        **{"Idempotency-Key": key or str(uuid.uuid4())},
    )


def balanced(db: Database) -> bool:
    with db.unit_of_work() as session:
        return ledger.trial_balance(session).total == 0


def test_a_small_payment_moves_at_once(
    client: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    s = setup(bank, db, settings)
    paid = pay(client, s, 50_000)
    assert paid.status_code == 201, paid.text
    assert paid.json()["status"] == "completed" and paid.json()["transfer_id"].startswith("trf_")
    assert (bank.balance(s.account), bank.balance(s.payee_account)) == (450_000, 50_000)
    assert balanced(db)


def test_a_large_payment_waits_for_the_customer(
    client: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    s = setup(bank, db, settings)
    waiting = pay(client, s, 150_000)
    assert waiting.status_code == 202, waiting.text
    payment = waiting.json()
    assert payment["status"] == "awaiting_confirmation" and payment["transfer_id"] is None
    assert bank.balance(s.account) == 500_000
    mine = client.get("/v1/me/partner-payments", headers=headers(s.payer.token))
    assert [p["id"] for p in mine.json() if p["status"] == "awaiting_confirmation"] == [payment["id"]]
    confirmed = client.post(
        f"/v1/me/partner-payments/{payment['id']}/confirm", headers=headers(s.payer.token)
    )
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "completed"
    assert (bank.balance(s.account), bank.balance(s.payee_account)) == (350_000, 150_000)
    assert balanced(db)
    again = client.post(f"/v1/me/partner-payments/{payment['id']}/confirm", headers=headers(s.payer.token))
    assert (again.status_code, again.json()["code"]) == (409, "partner_payment_not_awaiting")
    assert bank.balance(s.account) == 350_000


def test_a_declined_payment_moves_nothing(
    client: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    s = setup(bank, db, settings)
    payment = pay(client, s, 200_000).json()
    declined = client.post(f"/v1/me/partner-payments/{payment['id']}/decline", headers=headers(s.payer.token))
    assert declined.status_code == 200
    assert (declined.json()["status"], declined.json()["decline_reason"]) == ("declined", "customer")
    assert bank.balance(s.account) == 500_000
    seen = client.get(f"/v1/partner/payments/{payment['id']}", headers=headers(s.token))
    assert seen.json()["status"] == "declined"
    stranger = bank.customer()
    other = client.post(f"/v1/me/partner-payments/{payment['id']}/confirm", headers=headers(stranger.token))
    assert other.status_code == 404


def test_an_unconfirmed_payment_is_declined_after_fifteen_minutes(
    client: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    s = setup(bank, db, settings)
    payment = pay(client, s, 120_000).json()
    clock.advance(timedelta(minutes=15, seconds=1))
    seen = client.get(f"/v1/partner/payments/{payment['id']}", headers=headers(s.token))
    assert (seen.json()["status"], seen.json()["decline_reason"]) == ("declined", "expired")
    clock.reset()  # back to the time the test's logins were issued in
    assert bank.balance(s.account) == 500_000


def test_the_consents_daily_total_needs_confirmation_beyond_it(
    client: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    s = setup(bank, db, settings, daily_limit=80_000)
    assert pay(client, s, 50_000).status_code == 201
    beyond = pay(client, s, 40_000)
    assert (beyond.status_code, beyond.json()["status"]) == (202, "awaiting_confirmation")
    assert pay(client, s, 30_000).status_code == 201  # exactly the daily total
    assert bank.balance(s.account) == 420_000


def test_an_account_outside_the_consent_is_not_found(
    client: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    s = setup(bank, db, settings)
    refused = pay(client, s, 1_000, account=s.payee_account)
    assert refused.status_code == 404
    assert bank.balance(s.payee_account) == 0


def test_a_revoked_consent_stops_the_token(
    client: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    s = setup(bank, db, settings)
    with db.unit_of_work() as session:
        session.execute(update(Consent).where(Consent.public_id == s.consent).values(status="revoked"))
    assert pay(client, s, 1_000).status_code == 401
    assert bank.balance(s.account) == 500_000


def test_a_retry_with_the_same_key_returns_the_same_payment(
    client: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    s = setup(bank, db, settings)
    first = pay(client, s, 10_000, key="pay-once")
    retry = pay(client, s, 10_000, key="pay-once")
    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json()["id"] == first.json()["id"] and retry.headers["Idempotent-Replayed"] == "true"
    assert bank.balance(s.account) == 490_000
    waiting = pay(client, s, 300_000, key="pay-big")
    assert pay(client, s, 300_000, key="pay-big").json()["id"] == waiting.json()["id"]
    reused = pay(client, s, 20_000, key="pay-once")
    assert (reused.status_code, reused.json()["code"]) == (422, "idempotency_key_reused")


def test_the_payee_must_be_the_account_holder(
    client: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    s = setup(bank, db, settings)
    body: dict[str, Any] = {
        "from_account": s.account,
        "payee": {"name": "别人", "account_number": s.payee_number},
        "amount": 1_000,
        "currency": "CNY",
    }
    refused = signed_post(
        client, s.signer, s.token, "/v1/partner/payments", body, **{"Idempotency-Key": "k-name"}
    )
    assert (refused.status_code, refused.json()["code"]) == (422, "payee_name_mismatch")


@pytest.mark.parametrize("missing", ["signature", "key", "scope", "consent"])
def test_each_requirement_of_the_call(
    client: TestClient, bank: Bank, db: Database, settings: Settings, missing: str
) -> None:
    s = setup(bank, db, settings)
    body = {
        "from_account": s.account,
        "payee": {"name": s.payee.name, "account_number": s.payee_number},
        "amount": 1_000,
        "currency": "CNY",
    }
    signer, token = s.signer, s.token
    if missing == "consent":  # a client-credentials token pays for nobody
        token = partner_token(db, signer.made, scopes=["payments:write"])
    elif missing == "scope":
        signer = keyed_partner(db, settings)
        consent = make_consent(
            db,
            signer.made,
            customer_id=s.payer.customer_id,
            account_ids=[s.account],
            scopes=["accounts:read"],
        )
        token = partner_token(db, signer.made, scopes=["accounts:read"], consent_id=consent)
    raw = encoded(body)
    sent = signed_headers(signer, token, "/v1/partner/payments", raw, **{"Idempotency-Key": "k"})
    if missing == "signature":
        del sent["Signature-Input"]
    elif missing == "key":
        del sent["Idempotency-Key"]
    answer = client.post("/v1/partner/payments", content=raw, headers=sent)
    expected = {
        "signature": (401, "signature_missing"),
        "key": (400, "idempotency_key_missing"),
        "scope": (403, "insufficient_scope"),
        "consent": (403, "consent_required"),
    }
    assert (answer.status_code, answer.json()["code"]) == expected[missing]
    assert bank.balance(s.account) == 500_000


def test_a_payment_to_another_bank_goes_through_the_interbank_sender(
    client: TestClient, bank: Bank, db: Database, settings: Settings, other_bank: OtherBank
) -> None:
    s = setup(bank, db, settings)
    body = {
        "from_account": s.account,
        "payee": {"name": ALICE["name"], "bank_code": CODE, "account_number": ALICE["account_number"]},
        "amount": 20_000,
        "currency": "CNY",
        "reference": "外卖",
    }
    sent = signed_post(
        client, s.signer, s.token, "/v1/partner/payments", body, **{"Idempotency-Key": "k-ibt"}
    )
    assert sent.status_code == 201, sent.text
    payment = sent.json()
    assert payment["status"] == "sent" and payment["transfer_id"].startswith("ibt_")
    done = settled(bank, s.payer, payment["transfer_id"])
    assert done["status"] == "completed"
    assert bank.balance(s.account) == 480_000
    assert balance(other_bank.simulator, ALICE["account_number"]) == ALICE_FUNDS + 20_000
    assert balanced(db)


def test_the_accounts_class_limits_apply(
    client: TestClient, bank: Bank, db: Database, settings: Settings
) -> None:
    """A Class III account pays out at most 2,000.00 CNY a day, whoever asks for the payment."""
    payer, payee = bank.customer(), bank.customer()
    class_i = bank.funded(payer, 500_000)
    class_iii = bank.open(payer, "III", token=payer.token, channel="mobile", bound={"account_id": class_i})[
        "id"
    ]
    assert (
        bank.transfer(payer.token, class_i, class_iii, 200_000).status_code == 201
    )  # from its bound account
    payee_account = bank.open(payee)
    signer = keyed_partner(db, settings)
    consent = make_consent(
        db, signer.made, customer_id=payer.customer_id, account_ids=[class_iii], scopes=["payments:write"]
    )
    token = partner_token(db, signer.made, scopes=["payments:write"], consent_id=consent)
    s = Setup(payer, class_iii, payee, payee_account["id"], payee_account["number"], consent, token, signer)
    assert pay(client, s, 100_000).status_code == 201
    assert pay(client, s, 90_000).status_code == 201
    refused = pay(client, s, 20_000)
    assert (refused.status_code, refused.json()["code"]) == (422, "limit_exceeded")
    assert refused.json()["limit_name"] == "III.out.daily"
    assert bank.balance(class_iii) == 10_000
