"""What an agent does within a case: freeze and unfreeze a card, explain refused payments, resend an
unlock code, restore an expired coupon with a second approval, raise a limit review."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from finlife.identity import sms
from finlife.kit.auth import Actor, Role
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.marketing import service as marketing
from finlife.settings import Settings
from tests.accounts.support import Bank, audit_count
from tests.cashier.support import Till, open_till
from tests.factories import headers
from tests.marketing.support import Market, market
from tests.payments.support import card, order_of, payer, tender
from tests.servicecentre.support import Desk


@pytest.fixture(autouse=True)
def _mid_march() -> None:
    clock.freeze(datetime(2026, 3, 2, 2, 0, tzinfo=UTC))


@pytest.fixture
def till(client: TestClient, db: Database, settings: Settings) -> Till:
    return open_till(client, db, settings)


def _card_id(bank: Bank, account_id: str) -> str:
    cards = bank.client.get(f"/v1/accounts/{account_id}/cards", headers=headers(bank.teller)).json()
    card_id: str = cards[0]["id"] if isinstance(cards, list) else cards["data"][0]["id"]
    return card_id


def test_a_frozen_card_is_refused_and_the_refusal_is_explained(
    desk: Desk, bank: Bank, db: Database, till: Till
) -> None:
    who = payer(bank, 50_000)
    card_id = _card_id(bank, who.account_id)
    case = desk.open(who.person.customer_id, "lost_card")
    frozen = desk.post(f"/v1/cases/{case['id']}/cards/{card_id}/freeze")
    assert (frozen.status_code, frozen.json()["status"]) == (200, "frozen")
    again = desk.post(f"/v1/cases/{case['id']}/cards/{card_id}/freeze")
    assert (again.status_code, again.json()["code"]) == (409, "card_state_conflict")
    refused = tender(bank.client, till, order_of(bank.client, till, 1_000), card(who, 1_000))
    assert (refused.status_code, refused.json()["response_code"]) == (402, "57")
    assert bank.balance(who.account_id) == 50_000

    failed = desk.open(who.person.customer_id, "failed_payment")
    explained = bank.client.get(
        f"/v1/cases/{failed['id']}/refused-payments",
        headers=headers(desk.agent(), **{"Accept-Language": "en"}),
    )
    assert explained.status_code == 200, explained.text
    (refusal,) = explained.json()
    assert (refusal["code"], refusal["response_code"], refusal["reason"], refusal["amount"]) == (
        "card_declined",
        "57",
        "not_permitted",
        1_000,
    )
    assert refusal["message"].startswith("The card was declined (response code 57")
    assert "unfrozen" in refusal["advice"]
    chinese = desk.get(f"/v1/cases/{failed['id']}/refused-payments").json()[0]
    assert chinese["message"].startswith("银行卡交易被拒绝")

    unfrozen = desk.post(f"/v1/cases/{failed['id']}/cards/{card_id}/unfreeze")
    assert unfrozen.json()["status"] == "active"
    paid = tender(bank.client, till, order_of(bank.client, till, 1_000), card(who, 1_000))
    assert paid.status_code == 201, paid.text
    assert audit_count(db, "card.frozen") == 1 and audit_count(db, "card.unfrozen") == 1
    kinds = [a["kind"] for a in desk.get(f"/v1/cases/{case['id']}").json()["actions"]]
    assert kinds == ["card_frozen"]


def test_another_customers_card_is_not_touched(desk: Desk, bank: Bank) -> None:
    who, stranger = payer(bank, 1_000), bank.customer()
    case = desk.open(stranger.customer_id, "lost_card")
    refused = desk.post(f"/v1/cases/{case['id']}/cards/{_card_id(bank, who.account_id)}/freeze")
    assert (refused.status_code, refused.json()["code"]) == (422, "not_case_customer")
    listed = bank.client.get(f"/v1/accounts/{who.account_id}/cards", headers=headers(bank.teller)).json()
    assert "frozen" not in str(listed)


@pytest.fixture
def capped(app: FastAPI, settings: Settings) -> Iterator[Settings]:
    """The app with a failure cap of three (the default is a hundred), for this test only."""
    app.state.settings = settings.model_copy(update={"login_failure_cap": 3})
    try:
        yield app.state.settings
    finally:
        app.state.settings = settings


def test_a_frozen_login_gets_a_new_unlock_code_on_the_phone_on_record(
    desk: Desk, bank: Bank, db: Database, app: FastAPI, capped: Settings
) -> None:
    person = bank.customer()
    case = desk.open(person.customer_id, "other")
    nothing = desk.post(f"/v1/cases/{case['id']}/code-resends")
    assert nothing.json() == {"sent": False, "kind": "sign_in_unlock"}
    for n in range(3):  # three sources, one guess each: the account counts them
        with TestClient(app, client=(f"192.0.2.{n + 1}", 40000)) as botnet:
            guess = {"grant_type": "password", "username": person.phone, "password": "wrong-guess-1"}
            assert botnet.post("/v1/auth/token", data=guess).status_code == 401
    sent = desk.post(f"/v1/cases/{case['id']}/code-resends")
    assert sent.json() == {"sent": True, "kind": "sign_in_unlock"}
    with db.unit_of_work() as session:
        assert len(sms.messages_to(session, person.phone)) == 1


def test_an_expired_coupon_is_restored_only_with_a_second_approval(
    client: TestClient, db: Database, settings: Settings
) -> None:
    shop: Market = market(client, db, settings)
    desk = Desk(shop.bank)
    campaign_id = shop.live(valid_days=1)
    person, _ = shop.customer()
    coupon = shop.coupon(person, campaign_id)
    with db.unit_of_work() as session:
        later = clock.now() + timedelta(days=1, minutes=1)
        assert marketing.expire_coupons(session, settings, Actor.system(), now=later) == 1
    case = desk.open(person.customer_id, "coupon")
    asked = desk.post(
        f"/v1/cases/{case['id']}/coupon-restorations", {"coupon_id": coupon["id"], "note": "系统误过期"}
    )
    assert asked.status_code == 201, asked.text
    restoration = asked.json()["id"]
    own = desk.post(f"/v1/coupon-restorations/{restoration}/approve")
    assert (own.status_code, own.json()["code"]) == (403, "second_approver_required")
    teller = desk.post(f"/v1/coupon-restorations/{restoration}/approve", token=shop.bank.teller)
    assert (teller.status_code, teller.json()["code"]) == (403, "forbidden")
    approved = desk.post(f"/v1/coupon-restorations/{restoration}/approve", token=desk.agent(2))
    assert approved.json()["status"] == "approved"
    wallet = client.get("/v1/me/coupons", headers=headers(person.token)).json()
    assert {c["id"]: c["status"] for c in wallet} == {coupon["id"]: "available"}
    twice = desk.post(
        f"/v1/coupon-restorations/{restoration}/approve", token=shop.bank.staff(Role.BANK_ADMIN)
    )
    assert (twice.status_code, twice.json()["code"]) == (409, "restoration_decided")
    again = desk.post(
        f"/v1/cases/{case['id']}/coupon-restorations", {"coupon_id": coupon["id"], "note": "再次"}
    )
    second = desk.post(f"/v1/coupon-restorations/{again.json()['id']}/approve", token=desk.agent(2))
    assert (second.status_code, second.json()["code"]) == (409, "coupon_not_restorable")


def test_a_limit_review_is_a_record_for_the_back_office(desk: Desk, bank: Bank) -> None:
    who, stranger = payer(bank, 1_000), payer(bank, 1_000)
    case = desk.open(who.person.customer_id, "account_limits")
    raised = desk.post(
        f"/v1/cases/{case['id']}/limit-reviews", {"account_id": who.account_id, "note": "每日限额不够"}
    )
    assert raised.status_code == 201, raised.text
    assert (raised.json()["status"], raised.json()["account_id"]) == ("open", who.account_id)
    other = desk.post(
        f"/v1/cases/{case['id']}/limit-reviews", {"account_id": stranger.account_id, "note": "x"}
    )
    assert (other.status_code, other.json()["code"]) == (422, "not_case_customer")
    admin = bank.staff(Role.BANK_ADMIN)
    listed = desk.get("/v1/limit-reviews", token=admin).json()
    assert [r["id"] for r in listed] == [raised.json()["id"]]
