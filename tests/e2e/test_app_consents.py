"""A customer's consents to partners in /app, in Chromium and both languages: from "me" to the list,
which names the partner, the permissions in plain words and the account as the customer knows it
(its class and masked number, not an id); revoking it there stops the partner's token at once, and
the page then shows it revoked, with no button left to press."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from tests.accounts.support import Bank
from tests.e2e.conftest import PHONE_WIDTH, LiveServer
from tests.e2e.support import sign_in
from tests.e2e.test_accessibility import axe_source, report, violations
from tests.factories import PASSWORD
from tests.partners.factories import make_consent, make_partner, partner_token

pytestmark = pytest.mark.browser

Shot = Callable[[str], Path]
__all__ = ["axe_source"]  # the accessibility test's fixture

WORDS = {
    "zh-CN": {
        "me": "我的",
        "title": "授权管理",
        "authorised": "已授权",
        "permission": "查看所选账户的账号（部分隐藏）和余额",
        "class": "Ⅰ类账户",
        "revoke": "撤销授权",
        "revoked_flash": "授权已撤销",
        "revoked": "已撤销",
        "revoked_at": "撤销时间",
    },
    "en": {
        "me": "Me",
        "title": "Consents",
        "authorised": "Authorised",
        "permission": "See the chosen accounts, their numbers (partly hidden) and balances",
        "class": "Class I",
        "revoke": "Revoke",
        "revoked_flash": "The consent is revoked",
        "revoked": "Revoked",
        "revoked_at": "Revoked",
    },
}


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_customer_reads_and_revokes_a_consent_in_the_app(
    page: Page, live_server: LiveServer, api: TestClient, shot: Shot, axe_source: str, lang: str
) -> None:
    words = WORDS[lang]
    bank = Bank(api, live_server.db, live_server.settings)
    person = bank.customer()
    account = bank.funded(person, 20_000)
    partner = make_partner(live_server.db, live_server.settings, name="好邻居生活")
    consent = make_consent(
        live_server.db,
        partner,
        customer_id=person.customer_id,
        account_ids=[account],
        scopes=["accounts:read", "transactions:read"],
    )
    token = partner_token(live_server.db, partner, scopes=["accounts:read"], consent_id=consent)
    partner_side = {"Authorization": f"Bearer {token}"}
    assert api.get(f"/v1/accounts/{account}", headers=partner_side).status_code == 200
    number = api.get(f"/v1/accounts/{account}", headers=partner_side).json()["number"]

    page.set_viewport_size(PHONE_WIDTH)
    sign_in(page, "app", person.phone, PASSWORD)
    page.context.add_cookies([{"name": "lang", "value": lang, "url": live_server.url}])
    page.reload()
    page.get_by_role("navigation").get_by_role("link", name=words["me"], exact=True).click()
    page.get_by_role("link", name=re.compile(words["title"])).click()
    expect(page).to_have_url(re.compile(r"/app/consents$"))

    card = page.locator(f"[data-consent='{consent}']")
    expect(page.get_by_role("heading", name="好邻居生活")).to_be_visible()
    expect(card.locator("[data-status='authorised']")).to_have_text(words["authorised"])
    expect(card.get_by_text(words["permission"])).to_be_visible()
    shown = card.locator(f"[data-account='{account}']")
    expect(shown).to_contain_text(words["class"])
    expect(shown).to_contain_text(number)
    expect(card).not_to_contain_text(account)  # the account's id is no word for a customer
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH["width"]
    found = violations(page, axe_source)
    assert not found, report(found)
    shot(f"app-consents-{lang}")

    card.get_by_role("button", name=words["revoke"]).click()
    expect(page).to_have_url(re.compile(r"/app/consents$"))
    expect(page.get_by_role("status").filter(has_text=words["revoked_flash"])).to_be_visible()
    expect(card.locator("[data-status='revoked']")).to_have_text(words["revoked"])
    expect(card.get_by_role("term").filter(has_text=words["revoked_at"])).to_be_visible()
    expect(card.get_by_role("button", name=words["revoke"])).to_have_count(0)
    found = violations(page, axe_source)
    assert not found, report(found)
    shot(f"app-consent-revoked-{lang}")

    assert api.get(f"/v1/accounts/{account}", headers=partner_side).status_code == 401
