"""Issue 18's journey in Chromium: a developer's sales app starts a mortgage for a buyer (the partner
API under the buyer's consent), the buyer continues in /app (documents), a teller checks the ID face
to face in /bank, another officer approves, the buyer reviews the schedule and signs in /app, the
teller pays the loan into the developer's escrow, and the developer's webhook receiver hears of every
state. Screenshots of each step (the loan page and the review queue in both languages); axe checks
every page on the way."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from finlife.kit.auth import Role
from finlife.partners.webhooks.catalogue import LOAN_EVENTS
from tests.e2e.conftest import PHONE_WIDTH, LiveServer
from tests.e2e.support import sign_in
from tests.e2e.test_accessibility import axe_source, report, violations
from tests.factories import PASSWORD, make_user
from tests.lending.support import Lender
from tests.partners.factories import make_consent, make_partner, partner_token
from tests.partners.webhooks.helpers import BASE, bearer, self_token
from tests.partners.webhooks.receiver import receiver

pytestmark = pytest.mark.browser

Shot = Callable[[str], Path]
DESKTOP = {"width": 1280, "height": 900}
__all__ = ["axe_source"]  # the accessibility test's fixture


def accessible(page: Page, axe: str) -> None:
    found = violations(page, axe)
    assert not found, f"axe on {page.url}:\n{report(found)}"


def in_language(page: Page, live_server: LiveServer, lang: str) -> None:
    page.context.add_cookies([{"name": "lang", "value": lang, "url": live_server.url}])
    page.reload()


def heard_of(received: list[Any], loan_id: str) -> list[str]:
    bodies = [json.loads(r.body) for r in list(received)]
    return sorted(b["type"] for b in bodies if b.get("data", {}).get("loan_id") == loan_id)


def as_person(page: Page, app: str, username: str, size: dict[str, int]) -> None:
    page.context.clear_cookies()
    page.set_viewport_size(size)
    sign_in(page, app, username, PASSWORD)


def test_a_mortgage_from_the_developers_app_to_its_escrow_across_channels(
    page: Page, api: TestClient, live_server: LiveServer, shot: Shot, axe_source: str
) -> None:
    db, settings = live_server.db, live_server.settings
    bank = Lender(api, db, settings)
    developer = make_partner(db, settings, name="滨江置业")
    escrow = bank.borrower()
    registered = api.post(
        "/v1/loan-developer-escrows",
        json={"partner_id": developer.id, "account_id": escrow.account_id},
        headers=bearer(bank.admin),
    )
    assert registered.status_code == 201, registered.text
    product = bank.product("mortgage", name="安居按揭贷")
    buyer = bank.borrower()
    consent = make_consent(
        db, developer, customer_id=buyer.customer_id, account_ids=[buyer.account_id], scopes=["loans:apply"]
    )
    sales_app = partner_token(db, developer, scopes=["loans:apply"], consent_id=consent)
    teller = make_user(db, settings, roles=(Role.TELLER,))
    officer = make_user(db, settings, roles=(Role.TELLER,))

    with receiver() as hook:
        endpoint = api.post(
            BASE,
            json={"url": hook.url, "events": list(LOAN_EVENTS)},
            headers=bearer(self_token(db, developer)),
        )
        assert endpoint.status_code == 201, endpoint.text
        # The developer's sales site, after the buyer picked a flat.
        home = {
            "price": 3_000_000_00,
            "address": "杭州市滨江区江南大道88号3幢1201",
            "developer_partner_id": developer.id,
        }
        applied = bank.apply(
            sales_app,
            product,
            buyer.account_id,
            amount=2_000_000_00,
            term_months=360,
            property=home,
            monthly_income=60_000_00,
        )
        assert applied.status_code == 201, applied.text
        loan_id = applied.json()["id"]

        # The buyer continues in the app: "continue", then the documents.
        as_person(page, "app", buyer.person.phone, PHONE_WIDTH)
        page.get_by_role("link", name="贷款").first.click()
        card = page.locator(f'[data-continue="{loan_id}"]')
        expect(card.locator('[data-next-step="documents"]')).to_be_visible()
        expect(card).to_contain_text("您现在可以提交材料")
        accessible(page, axe_source)
        shot("app-my-loans-continue")
        card.get_by_role("link", name="继续办理").click()
        expect(page).to_have_url(re.compile(rf"/app/loans/{loan_id}$"))
        page.get_by_label("材料名称").fill("购房合同，收入证明")
        accessible(page, axe_source)
        shot("app-documents")
        page.get_by_role("button", name="提交材料").click()
        expect(page.get_by_role("status").filter(has_text="材料已提交")).to_be_visible()
        expect(page.locator('[data-next-step="identity_verified"]').first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH["width"]

        # A teller at the branch: the review queue, then the face-to-face check.
        as_person(page, "bank", teller, DESKTOP)
        page.get_by_role("navigation").get_by_role("link", name="贷款", exact=True).click()
        row = page.locator(f'tr[data-application="{loan_id}"]')
        expect(row.locator('[data-rule="ltv"][data-passed="true"]')).to_be_visible()
        expect(row.locator('[data-rule="kyc_in_person"][data-passed="false"]')).to_be_visible()
        accessible(page, axe_source)
        shot("bank-review-queue-zh")
        in_language(page, live_server, "en")
        expect(page.get_by_role("heading", name="Applications to review")).to_be_visible()
        accessible(page, axe_source)
        shot("bank-review-queue-en")
        in_language(page, live_server, "zh-CN")
        row.get_by_role("link").first.click()
        page.get_by_role("button", name="面签核身完成").click()
        expect(page.get_by_role("status").filter(has_text="面签核身已记录")).to_be_visible()
        expect(page.locator('[data-rule="kyc_in_person"][data-passed="true"]')).to_be_visible()
        shot("bank-identity-checked")

        # Another officer approves (the queue shows the check done); a rejection would need a reason.
        as_person(page, "bank", officer, DESKTOP)
        page.goto(f"/bank/loans/{loan_id}")
        page.get_by_role("button", name="拒绝申请").click()
        expect(page.get_by_text("请填写拒绝原因")).to_be_visible()
        page.get_by_role("button", name="批准", exact=True).click()
        expect(page.get_by_role("status").filter(has_text="已批准")).to_be_visible()
        accessible(page, axe_source)
        shot("bank-approved")

        # The buyer reviews the schedule (the one booked) and signs in the app.
        as_person(page, "app", buyer.person.phone, PHONE_WIDTH)
        page.goto(f"/app/loans/{loan_id}")
        expect(page.locator('[data-preview="360"]')).to_be_attached()
        expect(page.locator('[data-preview="1"]')).to_contain_text("¥")
        shown = page.locator("tr[data-preview]").all_inner_texts()
        accessible(page, axe_source)
        shot("app-review-and-sign")
        page.get_by_role("button", name="确认签约").click()
        expect(page.get_by_role("status").filter(has_text="已签约")).to_be_visible()

        # The teller pays it out: into the developer's escrow.
        as_person(page, "bank", teller, DESKTOP)
        page.goto(f"/bank/loans/{loan_id}")
        page.get_by_role("button", name="放款").click()
        expect(page.get_by_role("status").filter(has_text="已放款")).to_be_visible()
        expect(page.locator('[data-step="disburse"][data-step-status="done"]')).to_be_visible()
        accessible(page, axe_source)
        shot("bank-loan-paid-out")
        assert bank.balance(escrow.account_id) == 2_000_000_00
        # The server relays the events and delivers them itself.
        every_state = sorted(
            [
                "loan.application_submitted",
                "loan.under_review",
                "loan.approved",
                "loan.signed",
                "loan.disbursed",
            ]
        )
        deadline = time.monotonic() + 30
        while heard_of(hook.received, loan_id) != every_state and time.monotonic() < deadline:
            time.sleep(0.2)
        assert heard_of(hook.received, loan_id) == every_state

    # The buyer's loan page, in both languages: the booked schedule is the one shown before signing.
    as_person(page, "app", buyer.person.phone, PHONE_WIDTH)
    page.goto(f"/app/loans/{loan_id}")
    booked = bank.loan(loan_id)["schedule"]
    assert len(booked) == 360 == len(shown)
    for line, text in zip(booked, shown, strict=True):
        assert f"¥{line['principal'] / 100:,.2f}" in text and f"¥{line['interest'] / 100:,.2f}" in text
    expect(page.locator("[data-classification]").first).to_have_text("正常")
    expect(page.locator('[data-instalment="360"]')).to_be_attached()
    accessible(page, axe_source)
    shot("app-loan-zh")
    in_language(page, live_server, "en")
    expect(page.locator("[data-classification]").first).to_have_text("Normal (正常)")
    expect(page.get_by_role("heading", name="Repayment schedule")).to_be_visible()
    accessible(page, axe_source)
    shot("app-loan-en")
