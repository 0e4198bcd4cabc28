"""The open API's partner pages in Chromium, in both languages, walked as the people who use them.

A bank admin registers a partner in /bank/partners and reads its secret, once; the admin's own
registration offers no approval, and a second admin approves it. The partner's developer signs in to
the partner console (/partner) with the client id and secret, reads the overview, rotates the secret
(the new one shown once), adds a webhook endpoint (a receiver on 127.0.0.1), sends it a test event and
sees it delivered, then reads the call log and the API docs. axe checks every page on the way.
"""

from __future__ import annotations

import base64
import json
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from standardwebhooks.webhooks import Webhook

from finlife.kit.auth import Role
from tests.e2e.conftest import ADMIN_PASSWORD, LiveServer
from tests.e2e.support import sign_in
from tests.e2e.test_accessibility import axe_source, report, violations
from tests.factories import PASSWORD, make_user
from tests.partners.webhooks.receiver import receiver

pytestmark = pytest.mark.browser

Shot = Callable[[str], Path]
DESKTOP = {"width": 1280, "height": 900}
__all__ = ["axe_source"]  # the accessibility test's fixture

# The words each step looks for, as the pages say them.
WORDS: dict[str, dict[str, str]] = {
    "zh-CN": {
        "name": "邻里优选科技",
        "nav_partners": "合作方",
        "register": "登记合作方",
        "field_name": "名称",
        "field_kind": "类型",
        "field_contact": "联系人",
        "field_redirect": "回调地址",
        "kind": "电商平台",
        "pending": "待审批",
        "active": "已启用",
        "waits": "您登记了该合作方，须由另一位管理员审批",
        "approve": "批准",
        "reject": "拒绝",
        "approved": "已批准该合作方",
        "sign_in": "登录",
        "console": "合作方控制台",
        "overview": "概览",
        "credentials": "凭证",
        "rotate": "更换密钥",
        "calls": "调用记录",
        "docs": "接口文档",
        "webhooks": "Webhooks",
        "webhook_url": "接收地址",
        "add": "添加",
        "ping": "发送测试事件",
        "pinged": "测试事件已排队发送",
        "delivered": "已送达",
    },
    "en": {
        "name": "Neighbourly Apps Ltd",
        "nav_partners": "Partners",
        "register": "Register a partner",
        "field_name": "Name",
        "field_kind": "Kind",
        "field_contact": "Contact",
        "field_redirect": "Redirect URIs",
        "kind": "E-commerce",
        "pending": "Awaiting approval",
        "active": "Active",
        "waits": "You registered this partner: another admin decides on it",
        "approve": "Approve",
        "reject": "Reject",
        "approved": "The partner is approved",
        "sign_in": "Sign in",
        "console": "Partner console",
        "overview": "Overview",
        "credentials": "Credentials",
        "rotate": "Rotate the secret",
        "calls": "Call log",
        "docs": "API docs",
        "webhooks": "Webhooks",
        "webhook_url": "URL",
        "add": "Add",
        "ping": "Send a test event",
        "pinged": "The test event is on its way",
        "delivered": "Delivered",
    },
}


def speak(page: Page, live_server: LiveServer, lang: str) -> None:
    """The language a person picked: the cookie the language switch sets, the page read again."""
    page.context.add_cookies([{"name": "lang", "value": lang, "url": live_server.url}])
    page.reload()


def accessible(page: Page, axe_source: str) -> None:
    found = violations(page, axe_source)
    assert not found, f"axe on {page.url}:\n{report(found)}"


def reload_until(page: Page, arrived: Callable[[], bool], what: str, seconds: float = 20) -> None:
    """Read the page again until what a background worker does shows on it."""
    deadline = time.monotonic() + seconds
    while True:
        page.reload()
        if arrived():
            return
        assert time.monotonic() < deadline, f"{what} did not show on {page.url} within {seconds} s"
        page.wait_for_timeout(250)


def basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_admins_register_and_approve_a_partner_whose_developer_uses_the_console(
    page: Page, live_server: LiveServer, shot: Shot, axe_source: str, lang: str
) -> None:
    words = WORDS[lang]
    second_admin = make_user(live_server.db, live_server.settings, roles=(Role.BANK_ADMIN,))
    page.set_viewport_size(DESKTOP)

    # The first admin registers the partner and is shown its secret, once.
    sign_in(page, "bank", "admin", ADMIN_PASSWORD)
    speak(page, live_server, lang)
    page.get_by_role("navigation").get_by_role("link", name=words["nav_partners"]).click()
    expect(page).to_have_url(re.compile(r"/bank/partners$"))
    accessible(page, axe_source)
    page.get_by_role("link", name=words["register"]).click()
    expect(page).to_have_url(re.compile(r"/bank/partners/new$"))
    page.get_by_label(words["field_name"], exact=True).fill(words["name"])
    page.get_by_label(words["field_kind"]).select_option(label=words["kind"])
    page.get_by_label(words["field_contact"]).fill("dev@neighbourly.example")
    page.get_by_label(words["field_redirect"]).fill("https://neighbourly.example/callback")
    page.locator("input[name=scopes][value='accounts:read']").check()
    page.locator("input[name=scopes][value='transactions:read']").check()
    accessible(page, axe_source)
    shot("bank-partner-form")
    page.get_by_role("button", name=words["register"]).click()

    shown = page.locator("[data-secret-once]")
    expect(shown).to_be_visible()
    client_id = shown.locator("dd.mono").first.inner_text().strip()
    secret = shown.locator("[data-secret]").inner_text().strip()
    assert re.fullmatch(r"cli_\w+", client_id) and len(secret) >= 40, (client_id, secret)
    expect(page.get_by_role("heading", name=words["name"], level=1)).to_be_visible()
    expect(page.locator(".entity-head").get_by_text(words["pending"])).to_be_visible()
    expect(page.get_by_text(words["waits"])).to_be_visible()
    expect(page.get_by_role("button", name=words["approve"], exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name=words["reject"], exact=True)).to_have_count(0)
    accessible(page, axe_source)
    shot("bank-partner-registered")

    # Opened again from the list, the page no longer holds the secret, and still offers no approval.
    page.get_by_role("link", name=words["nav_partners"]).first.click()
    page.get_by_role("link", name=words["name"]).click()
    expect(page.get_by_role("heading", name=words["name"], level=1)).to_be_visible()
    expect(page.locator("[data-secret-once]")).to_have_count(0)
    assert secret not in page.content()
    expect(page.get_by_role("button", name=words["approve"], exact=True)).to_have_count(0)

    # A second admin approves it.
    page.context.clear_cookies()
    sign_in(page, "bank", second_admin, PASSWORD)
    speak(page, live_server, lang)
    page.goto("/bank/partners?status=pending_approval")
    page.get_by_role("link", name=words["name"]).click()
    page.get_by_role("button", name=words["approve"], exact=True).click()
    expect(page.get_by_role("status").filter(has_text=words["approved"])).to_be_visible()
    expect(page.locator(".entity-head").get_by_text(words["active"], exact=True)).to_be_visible()
    expect(page.get_by_role("button", name=words["approve"], exact=True)).to_have_count(0)
    accessible(page, axe_source)
    shot("bank-partner-approved")

    # The partner's developer signs in to the console with the client credentials.
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "lang", "value": lang, "url": live_server.url}])
    page.goto("/partner/login")
    expect(page.get_by_role("heading", name=words["console"])).to_be_visible()
    accessible(page, axe_source)
    page.get_by_label("client_id").fill(client_id)
    page.get_by_label("client_secret").fill(secret)
    page.get_by_role("button", name=words["sign_in"]).click()
    expect(page).to_have_url(re.compile(r"/partner$"))
    nav = page.get_by_role("navigation").filter(has=page.get_by_role("link", name=words["docs"]))
    expect(page.get_by_text(client_id).first).to_be_visible()
    expect(page.get_by_text("accounts:read").first).to_be_visible()
    accessible(page, axe_source)
    shot("partner-overview")

    # Credentials: rotating shows the new secret once; the old one keeps working for the grace period.
    nav.get_by_role("link", name=words["credentials"]).click()
    expect(page).to_have_url(re.compile(r"/partner/credentials$"))
    assert secret not in page.content()
    page.get_by_role("button", name=words["rotate"]).click()
    fresh = page.locator("[data-secret-once] [data-secret]")
    expect(fresh).to_be_visible()
    new_secret = fresh.inner_text().strip()
    assert new_secret and new_secret != secret
    accessible(page, axe_source)
    shot("partner-secret-rotated")

    # The partner's server takes a token with the new secret and calls the API: the call log shows it.
    issued = page.request.post(
        "/oauth/token",
        form={"grant_type": "client_credentials"},
        headers={"Authorization": basic(client_id, new_secret)},
    )
    assert issued.status == 200, issued.text()
    token = issued.json()["access_token"]
    listed = page.request.get("/v1/partner/webhooks", headers={"Authorization": f"Bearer {token}"})
    assert listed.status == 200, listed.text()

    # Webhooks: a receiver of the partner's, a test event sent to it and seen delivered.
    with receiver() as inbox:
        nav.get_by_role("link", name=words["webhooks"]).click()
        expect(page).to_have_url(re.compile(r"/partner/webhooks$"))
        accessible(page, axe_source)
        page.get_by_label(words["webhook_url"]).fill(inbox.url)
        page.locator("input[name=events][value='account.opened']").check()
        page.get_by_role("button", name=words["add"], exact=True).click()
        created = page.locator("[data-secret-for] [data-secret]")
        expect(created).to_be_visible()
        signing_secret = created.inner_text().strip()
        assert signing_secret.startswith("whsec_")
        shot("partner-webhook-added")
        page.get_by_role("link", name=inbox.url).click()
        expect(page).to_have_url(re.compile(r"/partner/webhooks/\w+$"))
        page.get_by_role("button", name=words["ping"]).click()
        expect(page.get_by_role("status").filter(has_text=words["pinged"])).to_be_visible()
        rows = page.locator("tr[data-delivery]")
        reload_until(
            page,
            lambda: rows.count() == 1 and words["delivered"] in rows.first.inner_text(),
            "the test event delivered",
        )
        expect(rows.first).to_contain_text("webhook.ping")
        accessible(page, axe_source)
        shot("partner-webhook-delivered")
        assert len(inbox.received) == 1
        sent = inbox.received[0]
        verified = Webhook(signing_secret).verify(sent.body, sent.headers)
        assert verified["type"] == "webhook.ping", json.dumps(verified)

    # The call log lists the call the partner's server made; the docs list the routes for partners.
    nav.get_by_role("link", name=words["calls"]).click()
    expect(page).to_have_url(re.compile(r"/partner/calls$"))
    calls = page.locator("tr[data-call]")
    reload_until(
        page, lambda: "/v1/partner/webhooks" in " ".join(calls.all_inner_texts()), "the partner's API call"
    )
    listing = calls.filter(has_text="/v1/partner/webhooks").first
    expect(listing).to_contain_text("GET")
    expect(listing).to_contain_text("200")
    accessible(page, axe_source)
    shot("partner-calls")

    nav.get_by_role("link", name=words["docs"]).click()
    expect(page).to_have_url(re.compile(r"/partner/docs$"))
    expect(page.locator("tr[data-route='POST /v1/partner/webhooks']")).to_contain_text("partner:self")
    expect(page.locator("tr[data-route='GET /v1/accounts/{account_id}']")).to_contain_text("accounts:read")
    accessible(page, axe_source)
    shot("partner-docs")
