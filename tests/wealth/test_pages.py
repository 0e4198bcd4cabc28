"""The wealth pages through TestClient: holdings, income, the yield chart, the forms, both languages."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from finlife.kit.auth import Actor
from finlife.wealth import service as wealth_service
from tests.accounts.support import Bank
from tests.factories import approved_merchant
from tests.wealth.support import Wealth, units
from tests.wealth.test_income import FRIDAY
from tests.web.conftest import sign_in_page


def _token(html: str, action: str) -> str:
    """The CSRF token of the first form posting to ``action`` (tokens are bound to their form's action)."""
    match = re.search(rf'action="{re.escape(action)}".*?name="csrf_token" value="([0-9a-f]+)"', html, re.S)
    assert match, f"no form posts to {action}"
    return match.group(1)


def _visitor(app: FastAPI, username: str, shell: str = "app") -> TestClient:
    visitor = TestClient(app, follow_redirects=False)
    sign_in_page(visitor, shell, username, "correct-horse-9")
    return visitor


def test_the_app_shows_holdings_income_and_the_yield_chart(app: FastAPI, wealth: Wealth, bank: Bank) -> None:
    fund_id = wealth.fund("MMF1", "好收益货币基金")
    wealth.publish(fund_id, "2026-12-03", "0.5012", "1.7010")
    wealth.publish(fund_id, "2026-12-04", "0.5234", "1.7420")
    person = bank.customer()
    account = bank.funded(person, 2_000_000)
    wealth.subscribe(person, fund_id, account, 1_000_000)
    wealth_service.distribute(bank.db, Actor.system(), FRIDAY)  # 1,000,000 × 0.5234 / 10^4 = 52 fen
    visitor = _visitor(app, person.phone)
    page = visitor.get("/app/wealth")
    assert page.status_code == 200, page.text
    assert "¥10,000.52" in page.text and "¥0.52" in page.text
    assert "<polyline" in page.text and "从 1.7010% 到 1.7420%" in page.text
    visitor.cookies.set("lang", "en")
    english = visitor.get("/app/wealth").text
    assert "My holdings" in english and "from 1.7010% to 1.7420%" in english

    form = visitor.post(
        "/app/wealth/subscribe",
        data={
            "fund_id": fund_id,
            "account_id": account,
            "amount": "100.50",
            "idempotency_key": "k-1",
            "csrf_token": _token(english, "/app/wealth/subscribe"),
        },
    )
    assert form.status_code == 303, form.text
    assert units(bank.db, account) == 1_000_052 + 10_050
    refused = visitor.post(
        "/app/wealth/redeem",
        data={
            "fund_id": fund_id,
            "account_id": account,
            "amount": "10000.01",
            "speed": "fast",
            "idempotency_key": "k-2",
            "csrf_token": _token(visitor.get("/app/wealth").text, "/app/wealth/redeem"),
        },
    )
    assert refused.status_code == 422
    assert "Fast (T+0) redemption is at most ¥10,000.00" in refused.text
    switched = visitor.post(
        "/app/wealth/sweep",
        data={
            "fund_id": fund_id,
            "account_id": account,
            "keep": "500",
            "csrf_token": _token(visitor.get("/app/wealth").text, "/app/wealth/sweep"),
        },
    )
    assert switched.status_code == 303
    after = visitor.get("/app/wealth").text
    assert "On: keeps ¥500.00, the rest goes into 好收益货币基金" in after


def test_a_merchants_owner_sweeps_the_settlement_account(
    app: FastAPI, wealth: Wealth, bank: Bank, client: TestClient
) -> None:
    fund_id = wealth.fund("MMF1", "好收益货币基金")
    merchant = approved_merchant(client, bank.db, bank.settings)
    visitor = _visitor(app, merchant.owner_username, "merchant")
    page = visitor.get("/merchant/wealth")
    assert page.status_code == 200, page.text
    assert "余额自动理财" in page.text and "未开启" in page.text
    switched = visitor.post(
        "/merchant/wealth/sweep",
        data={
            "fund_id": fund_id,
            "account_id": merchant.settlement_account_id,
            "keep": "1,000",
            "csrf_token": _token(page.text, "/merchant/wealth/sweep"),
        },
    )
    assert switched.status_code == 303, switched.text
    assert "已开启：保留 ¥1,000.00，其余买入 好收益货币基金" in visitor.get("/merchant/wealth").text
