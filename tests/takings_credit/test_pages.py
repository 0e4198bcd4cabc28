"""The owner's credit page in /merchant: the rule, the offer or the reason there is none, accepting."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.factories import PASSWORD
from tests.takings_credit.support import Shopkeeper, publish_operating_loan, settled
from tests.wealth.test_pages import _token
from tests.web.conftest import sign_in_page


def _visitor(app: FastAPI, username: str) -> TestClient:
    visitor = TestClient(app, follow_redirects=False)
    sign_in_page(visitor, "merchant", username, PASSWORD)
    return visitor


def test_the_owner_reads_the_rule_and_why_there_is_no_offer(app: FastAPI, shop: Shopkeeper) -> None:
    publish_operating_loan(shop.client, shop.db, shop.settings)
    visitor = _visitor(app, shop.merchant.owner_username)
    page = visitor.get("/merchant/credit")
    assert page.status_code == 200, page.text
    assert "收入贷" in page.text and "近 90 天没有已结算的营业收入" in page.text
    assert "近 90 天（不含今天）已结算收入的 30%" in page.text
    assert 'action="/merchant/credit/accept"' not in page.text
    visitor.cookies.set("lang", "en")
    english = visitor.get("/merchant/credit").text
    assert "No takings were settled in the last 90 days" in english and "30% of the takings" in english


def test_the_owner_accepts_the_offer_on_the_page_once(app: FastAPI, shop: Shopkeeper) -> None:
    publish_operating_loan(shop.client, shop.db, shop.settings)
    settled(shop.db, shop.merchant, list(range(1, 41)), 10_000_00)
    visitor = _visitor(app, shop.merchant.owner_username)
    page = visitor.get("/merchant/credit").text
    assert "¥120,000.00" in page and "4.60%" in page and "12 个月，等额本息" in page
    before = shop.balance()
    form = {
        "amount": "50000",
        "idempotency_key": "page-1",
        "csrf_token": _token(page, "/merchant/credit/accept"),
    }
    sent = visitor.post("/merchant/credit/accept", data=form)
    assert sent.status_code == 303, sent.text
    again = visitor.post("/merchant/credit/accept", data=form)  # a second click replays the first
    assert again.status_code == 303, again.text
    assert shop.balance() == before + 50_000_00
    after = visitor.get("/merchant/credit").text
    assert "您的收入贷正在还款中" in after


def test_a_refused_amount_shows_beside_the_field(app: FastAPI, shop: Shopkeeper) -> None:
    publish_operating_loan(shop.client, shop.db, shop.settings)
    settled(shop.db, shop.merchant, list(range(1, 41)), 10_000_00)
    visitor = _visitor(app, shop.merchant.owner_username)
    page = visitor.get("/merchant/credit").text
    form = {
        "amount": "200000",
        "idempotency_key": "page-2",
        "csrf_token": _token(page, "/merchant/credit/accept"),
    }
    refused = visitor.post("/merchant/credit/accept", data=form)
    assert refused.status_code == 422
    assert "借款金额须在 ¥10,000.00 至 ¥120,000.00 之间" in refused.text


def test_the_owners_menu_leads_to_the_credit_page(app: FastAPI, shop: Shopkeeper) -> None:
    owner_menu = _visitor(app, shop.merchant.owner_username).get("/merchant").text
    assert 'href="/merchant/credit"' in owner_menu
