"""The OAuth consent screen in Chromium, in both languages: a partner sends the customer's browser to
/oauth/authorize, the customer signs in on /app, sees the partner, the permissions and the accounts,
approves, and the browser lands on the partner's callback with a code the partner exchanges."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from finlife.app import create_app
from tests.accounts.support import Bank
from tests.e2e.conftest import PHONE_WIDTH, LiveServer
from tests.factories import PASSWORD
from tests.partners.factories import make_partner
from tests.partners.oauth.support import CALLBACK, Authorization, basic

pytestmark = pytest.mark.browser

Shot = Callable[[str], Path]
WORDS = {
    "zh-CN": ("授权确认", "查看所选账户的账号（部分隐藏）和余额", "同意授权"),
    "en": (
        "Give a partner access",
        "See the chosen accounts, their numbers (partly hidden) and balances",
        "Allow",
    ),
}


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_customer_approves_a_partner_on_the_consent_screen(
    page: Page, live_server: LiveServer, api: TestClient, shot: Shot, lang: str
) -> None:
    bank = Bank(api, live_server.db, live_server.settings)
    person = bank.customer()
    account = bank.funded(person, 10_000)
    partner = make_partner(live_server.db, live_server.settings, name="好邻居生活")
    authorization = Authorization(partner)
    # The partner's site is not reachable from here: its callback answers from the test itself.
    page.route(f"{CALLBACK}**", lambda route: route.fulfill(status=200, body="partner callback"))
    page.set_viewport_size(PHONE_WIDTH)

    page.goto(authorization.url())
    expect(page).to_have_url(re.compile(r"/app/login\?next="))
    page.get_by_label("手机号").fill(person.phone)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/oauth/authorize\?"))
    if lang == "en":
        page.context.add_cookies([{"name": "lang", "value": "en", "url": live_server.url}])
        page.reload()
    title, permission, approve = WORDS[lang]
    expect(page.get_by_role("heading", name=title).first).to_be_visible()
    expect(page.get_by_text("好邻居生活")).to_be_visible()
    expect(page.get_by_text(permission)).to_be_visible()
    page.locator(f"#a-{account}").check()
    shot(f"consent-screen-{lang}")

    with page.expect_request(re.compile(re.escape(CALLBACK) + r"\?")) as callback:
        page.get_by_role("button", name=approve).click()
    query = {key: values[0] for key, values in parse_qs(urlsplit(callback.value.url).query).items()}
    assert query["state"] == authorization.state

    with TestClient(
        create_app(live_server.settings, check_schema=False), base_url="https://testserver"
    ) as partner_side:
        tokens = partner_side.post(
            "/oauth/token",
            data={
                "grant_type": "authorization_code",
                "code": query["code"],
                "redirect_uri": CALLBACK,
                "code_verifier": authorization.code_verifier,
            },
            auth=basic(partner),
        )
        assert tokens.status_code == 200, tokens.text
        read = partner_side.get(
            f"/v1/accounts/{account}", headers={"Authorization": f"Bearer {tokens.json()['access_token']}"}
        )
    assert read.status_code == 200 and read.json()["masked"] is True
