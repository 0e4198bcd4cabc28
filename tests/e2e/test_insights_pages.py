"""Insights in Chromium, both languages: the customer switches personalised marketing off in /app;
the teller's customer page shows the 360 view and the timeline of every channel, filtered by kind;
marketing reads its segments with their member counts and refreshes one."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from finlife.insights import service as insights
from finlife.kit.auth import Role
from tests.accounts.support import Bank
from tests.e2e.conftest import PHONE_WIDTH, LiveServer
from tests.e2e.support import sign_in
from tests.e2e.test_accessibility import axe_source, report, violations
from tests.factories import PASSWORD, headers, make_user
from tests.factories import sign_in as api_sign_in

pytestmark = pytest.mark.browser

Shot = Callable[[str], Path]
__all__ = ["axe_source"]  # the accessibility test's fixture

WORDS = {
    "zh-CN": {
        "me": "我的",
        "title": "我的偏好",
        "on": "已开启",
        "off": "已关闭",
        "switch_off": "关闭个性化营销",
        "saved": "已保存您的选择",
        "view": "客户全景",
        "timeline": "全渠道时间线",
        "money": "资金",
        "filter": "筛选",
        "kind": "类型",
        "new": "新客户",
        "segments": "客户分群",
        "nav": "客户分群",
        "refresh": "重新计算",
        "refreshed": "分群已重新计算",
    },
    "en": {
        "me": "Me",
        "title": "My preferences",
        "on": "On",
        "off": "Off",
        "switch_off": "Switch it off",
        "saved": "Your choice is saved",
        "view": "Customer 360",
        "timeline": "Timeline, every channel",
        "money": "Money",
        "filter": "Filter",
        "kind": "Kind",
        "new": "New",
        "segments": "Customer segments",
        "nav": "Segments",
        "refresh": "Refresh",
        "refreshed": "The segment was refreshed",
    },
}


def _language(page: Page, live_server: LiveServer, lang: str) -> None:
    page.context.add_cookies([{"name": "lang", "value": lang, "url": live_server.url}])
    page.reload()


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_customer_switches_personalised_marketing_off(
    page: Page, live_server: LiveServer, api: TestClient, shot: Shot, axe_source: str, lang: str
) -> None:
    words = WORDS[lang]
    bank = Bank(api, live_server.db, live_server.settings)
    person = bank.customer()
    page.set_viewport_size(PHONE_WIDTH)
    sign_in(page, "app", person.phone, PASSWORD)
    _language(page, live_server, lang)
    page.get_by_role("navigation").get_by_role("link", name=words["me"], exact=True).click()
    page.get_by_role("link", name=re.compile(words["title"])).click()
    expect(page).to_have_url(re.compile(r"/app/preferences$"))
    expect(page.locator("[data-personalised]")).to_have_text(words["on"])
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH["width"]
    found = violations(page, axe_source)
    assert not found, report(found)
    shot(f"app-preferences-{lang}")
    page.get_by_role("button", name=words["switch_off"]).click()
    expect(page.get_by_role("status").filter(has_text=words["saved"])).to_be_visible()
    expect(page.locator("[data-personalised]")).to_have_text(words["off"])
    with live_server.db.unit_of_work() as session:
        assert insights.personalised(session, person.customer_id) is False


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_tellers_customer_page_shows_the_view_and_the_timeline(
    page: Page, live_server: LiveServer, api: TestClient, shot: Shot, axe_source: str, lang: str
) -> None:
    words = WORDS[lang]
    bank = Bank(api, live_server.db, live_server.settings)
    person = bank.customer()
    account_id = bank.funded(person, 123_400)
    teller = make_user(live_server.db, live_server.settings, roles=(Role.TELLER,))
    sign_in(page, "bank", teller, PASSWORD)
    _language(page, live_server, lang)
    page.goto(f"/bank/customers/{person.customer_id}")
    view = page.locator(".customer-view")
    expect(view.get_by_role("heading", name=words["view"])).to_be_visible()
    expect(view.locator("[data-lifecycle='new']")).to_have_text(words["new"])
    timeline = page.locator(".customer-timeline")
    expect(timeline.get_by_role("heading", name=words["timeline"])).to_be_visible()
    deposit = timeline.locator("[data-kind='money']")
    expect(deposit).to_have_count(1)
    expect(deposit).to_contain_text("¥1,234.00")
    assert timeline.locator("[data-kind='interaction']").count() >= 2  # signed up, verified, opened …
    found = violations(page, axe_source)
    assert not found, report(found)
    shot(f"bank-customer-view-{lang}")
    timeline.get_by_label(words["kind"]).select_option("money")
    timeline.get_by_role("button", name=words["filter"]).click()
    expect(page).to_have_url(re.compile(r"kind=money"))
    expect(page.locator(".customer-timeline [data-kind]")).to_have_count(1)
    assert account_id


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_marketing_reads_its_segments_and_refreshes_one(
    page: Page, live_server: LiveServer, api: TestClient, shot: Shot, axe_source: str, lang: str
) -> None:
    words = WORDS[lang]
    bank = Bank(api, live_server.db, live_server.settings)
    bank.customer()
    officer = make_user(live_server.db, live_server.settings, roles=(Role.HQ_MARKETING,))
    token = api_sign_in(api, username=officer)
    rule = {"fact": "lifecycle", "op": "eq", "value": "new"}
    created = api.post("/v1/segments", json={"name": "新客户关怀", "rule": rule}, headers=headers(token))
    assert created.status_code == 201, created.text
    segment_id = created.json()["id"]
    insights.refresh_all(live_server.db)
    sign_in(page, "bank", officer, PASSWORD)
    _language(page, live_server, lang)
    page.get_by_role("link", name=words["nav"], exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/bank/segments$"))
    row = page.locator(f"[data-segment='{segment_id}']")
    expect(row).to_contain_text("新客户关怀")
    expect(row.locator("[data-members]")).to_have_text("0")
    row.get_by_role("button", name=words["refresh"]).click()
    expect(page.get_by_role("status").filter(has_text=words["refreshed"])).to_be_visible()
    members = int(
        page.locator(f"[data-segment='{segment_id}'] [data-members]").get_attribute("data-members") or 0
    )
    assert members >= 1
    found = violations(page, axe_source)
    assert not found, report(found)
    shot(f"bank-segments-{lang}")


SEGMENT_WORDS = {
    "zh-CN": {
        "new": "新建分群",
        "name": "分群名称",
        "fact": "指标",
        "op": "比较",
        "value": "取值",
        "save": "保存分群",
        "money_hint": "最多两位小数",
        "saved": "分群已保存",
        "refresh": "重新计算",
        "rule": "近 90 天消费（元） 不少于 1.00",
        "mix": "各分群的渠道结构",
        "segment": "大额消费客户",  # the live server's bank is shared: one segment per language
    },
    "en": {
        "new": "New segment",
        "name": "Segment name",
        "fact": "Fact",
        "op": "Comparison",
        "value": "Value",
        "save": "Save the segment",
        "money_hint": "at most two decimals",
        "saved": "The segment is saved",
        "refresh": "Refresh",
        "rule": "Spending in 90 days (yuan) at least 1.00",
        "mix": "Channel mix of each segment",
        "segment": "Big buyers",
    },
}


def _fits_a_phone(page: Page) -> None:
    page.set_viewport_size(PHONE_WIDTH)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"{page.url} is {overflow}px wider than a 375 px screen"
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_marketing_builds_a_segment_on_a_form_and_reads_its_members_and_channels(
    page: Page, live_server: LiveServer, api: TestClient, shot: Shot, axe_source: str, lang: str
) -> None:
    words = SEGMENT_WORDS[lang]
    bank = Bank(api, live_server.db, live_server.settings)
    bank.customer()
    officer = make_user(live_server.db, live_server.settings, roles=(Role.HQ_MARKETING,))
    insights.refresh_all(live_server.db)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "bank", officer, PASSWORD)
    page.goto(live_server.url + "/bank/segments")
    _language(page, live_server, lang)
    page.get_by_role("link", name=words["new"]).click()
    page.get_by_label(words["name"]).fill(words["segment"])
    first = page.locator("[data-row='0']")
    first.get_by_label(words["fact"]).select_option("spend_90d")
    first.get_by_label(words["op"]).select_option("gte")
    first.get_by_label(words["value"]).fill("1.005")
    page.get_by_role("button", name=words["save"]).click()
    expect(first.locator(".field__error")).to_contain_text(words["money_hint"])
    expect(first.get_by_label(words["value"])).to_have_value("1.005")
    found = violations(page, axe_source)
    assert not found, report(found)
    _fits_a_phone(page)
    shot(f"bank-segment-form-{lang}")
    first.get_by_label(words["value"]).fill("1.00")
    page.get_by_role("button", name=words["save"]).click()
    expect(page.get_by_role("status").filter(has_text=words["saved"])).to_be_visible()
    expect(page.locator("[data-rule]")).to_have_text(words["rule"])
    page.get_by_role("button", name=words["refresh"]).click()
    # Other browser tests share the server, so whoever they made may match: a count, whatever it is.
    refreshed = WORDS[lang]["refreshed"]
    expect(page.get_by_role("status").filter(has_text=refreshed)).to_be_visible()
    expect(page.locator("[data-members]")).to_have_attribute("data-members", re.compile(r"^\d+$"))
    found = violations(page, axe_source)
    assert not found, report(found)
    _fits_a_phone(page)
    shot(f"bank-segment-{lang}")
    page.goto(live_server.url + "/bank/channels")
    expect(page.get_by_role("heading", name=words["mix"])).to_be_visible()
    expect(page.locator(f"[data-mix='{words['segment']}']")).to_be_visible()
    found = violations(page, axe_source)
    assert not found, report(found)
    _fits_a_phone(page)
    shot(f"bank-channels-segments-{lang}")
