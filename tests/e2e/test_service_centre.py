"""The service centre in Chromium, in both languages: an agent on the call-centre line finds a caller by
phone, opens a lost-card case, freezes the card, closes the case resolved, and reads first-contact
resolution with its charts; a marketing officer reads channel planning. The pages pass axe and fit a
375 px screen. The world is set up through the API."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from finlife.kit.auth import Role
from tests.accounts.support import Bank
from tests.e2e.conftest import PHONE_WIDTH, LiveServer
from tests.e2e.support import sign_in
from tests.e2e.test_accessibility import axe_source, report, violations
from tests.factories import PASSWORD, make_user
from tests.payments.support import payer

pytestmark = pytest.mark.browser

Shot = Callable[[str], Path]
__all__ = ["axe_source"]


def _no_serious_findings(page: Page, axe_source: str) -> None:
    found = violations(page, axe_source)
    assert not found, report(found)


def _fits_a_phone(page: Page) -> None:
    page.set_viewport_size(PHONE_WIDTH)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"{page.url} is {overflow}px wider than a 375 px screen"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_agent_freezes_a_lost_card_and_reads_first_contact_resolution(
    page: Page, api: TestClient, live_server: LiveServer, shot: Shot, axe_source: str
) -> None:
    bank = Bank(api, live_server.db, live_server.settings)
    who = payer(bank, 20_000)
    agent = make_user(live_server.db, live_server.settings, roles=(Role.AGENT,))
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "bank", agent, PASSWORD)
    page.get_by_role("link", name="客服中心").first.click()
    page.get_by_label("手机号").fill(who.person.phone)
    page.get_by_role("button", name="查找").click()
    page.get_by_role("link", name=who.person.name).click()
    expect(page.get_by_role("link", name="客户页面")).to_be_visible()
    _no_serious_findings(page, axe_source)
    page.get_by_label("原因").select_option("lost_card")
    page.get_by_label("备注").fill("客户来电称银行卡丢失")
    page.get_by_role("button", name="新建工单").click()
    expect(page.get_by_role("heading", name="挂失/银行卡丢失", exact=True)).to_be_visible()
    shot("case-opened")
    page.get_by_role("button", name="冻结").click()
    expect(page.locator(".service-cards")).to_contain_text("已冻结")
    _no_serious_findings(page, axe_source)
    _fits_a_phone(page)
    page.get_by_label("结果").select_option("resolved")
    page.get_by_role("button", name="关闭工单").click()
    expect(page.locator("[data-outcome=resolved]")).to_have_text("已解决")
    shot("case-closed")

    page.goto("/bank/service/metrics")
    expect(page.locator(".service-day-chart")).to_be_visible()
    expect(page.locator(".service-rate-chart g[data-key=lost_card]")).to_have_attribute("data-rate", "100%")
    _no_serious_findings(page, axe_source)
    _fits_a_phone(page)
    page.get_by_role("link", name="EN").click()
    expect(page.get_by_role("heading", name="First-contact resolution").first).to_be_visible()
    expect(page.locator("table").first).to_contain_text("Lost card")
    shot("metrics-en")
    page.goto(page.url.split("/bank/")[0] + "/bank/service")
    expect(page.get_by_role("button", name="Find")).to_be_visible()
    _no_serious_findings(page, axe_source)


def test_marketing_reads_channel_planning_in_both_languages(
    page: Page, api: TestClient, live_server: LiveServer, shot: Shot, axe_source: str
) -> None:
    bank = Bank(api, live_server.db, live_server.settings)
    payer(bank, 10_000)  # a deposit at the branch
    officer = make_user(live_server.db, live_server.settings, roles=(Role.HQ_MARKETING,))
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "bank", officer, PASSWORD)
    page.get_by_role("link", name="渠道规划").first.click()
    expect(page.locator(".planning-hour-chart")).to_be_visible()
    expect(page.locator("[data-active=branch]")).to_contain_text("网点柜台")
    _no_serious_findings(page, axe_source)
    _fits_a_phone(page)
    shot("planning-zh")
    page.get_by_role("link", name="EN").click()
    expect(page.get_by_role("link", name="Export CSV")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("\ufeffChannel,Hour,Active customers")
    _no_serious_findings(page, axe_source)
    shot("planning-en")
