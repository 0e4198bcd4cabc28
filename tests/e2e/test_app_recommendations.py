"""A customer's recommendations in /app, in Chromium and both languages: from the Life page to "for
you", where the café they keep going back to is marked a favourite and the other café of 静安区 that
its customers also pay at comes with its reason in the customer's words; the live coupon of their
café is there with the store it is for. Phone width, no serious accessibility finding."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from finlife.recommend import service as recommend
from tests.accounts.support import Bank
from tests.e2e.conftest import PHONE_WIDTH, LiveServer
from tests.e2e.support import sign_in
from tests.e2e.test_accessibility import axe_source, report, violations
from tests.factories import PASSWORD
from tests.life.campaigns import live_campaign
from tests.life.support import card_paid_order, shop
from tests.payments.support import payer

pytestmark = pytest.mark.browser

Shot = Callable[[str], Path]
__all__ = ["axe_source"]  # the accessibility test's fixture

WORDS = {
    "zh-CN": {
        "for_you": "为你推荐",
        "favourite": "常去",
        "habit": "你的常去之选（来过 2 次）",
        "taste": "因为你常在静安区喝咖啡",
        "coupon": "可在愚园路咖啡使用 · 你的常去之选（来过 2 次）",
    },
    "en": {
        "for_you": "For you",
        "favourite": "Favourite",
        "habit": "One of your favourites: you have been 2 times",
        "taste": "Because you often have coffee in 静安区",
        "coupon": "For 愚园路咖啡 · One of your favourites: you have been 2 times",
    },
}


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_customer_sees_stores_and_coupons_for_them_with_reasons(
    page: Page, live_server: LiveServer, api: TestClient, shot: Shot, axe_source: str, lang: str
) -> None:
    words = WORDS[lang]
    db, settings = live_server.db, live_server.settings
    bank = Bank(api, db, settings)
    cafe = shop(
        api,
        db,
        settings,
        at=("31.233000", "121.453000"),
        name="愚园路咖啡",
        district="静安区",
        category="cafe",
    )
    other = shop(
        api,
        db,
        settings,
        at=("31.234000", "121.455000"),
        name="常德路咖啡",
        district="静安区",
        category="cafe",
    )
    me, fan = payer(bank, 100_000), payer(bank, 100_000)
    for till, who in [(cafe, me), (cafe, me), (cafe, fan), (other, fan)]:
        card_paid_order(api, till, who, 1_800)
    campaign = live_campaign(api, cafe, name="咖啡立减")
    with db.unit_of_work() as session:
        recommend.train(session)

    page.set_viewport_size(PHONE_WIDTH)
    sign_in(page, "app", me.person.phone, PASSWORD)
    page.context.add_cookies([{"name": "lang", "value": lang, "url": live_server.url}])
    page.goto(f"{live_server.url}/app/life")
    page.get_by_role("link", name=words["for_you"]).click()
    expect(page).to_have_url(re.compile(r"/app/life/for-you$"))

    mine = page.locator(f"[data-recommended='stores'] [data-store='{cafe.store_id}']")
    expect(mine.locator("[data-reason]")).to_have_text(words["habit"])
    expect(mine.get_by_text(words["favourite"], exact=True)).to_be_visible()
    alike = page.locator(f"[data-recommended='stores'] [data-store='{other.store_id}']")
    expect(alike.locator("[data-reason]")).to_have_text(words["taste"])
    expect(alike.get_by_text(words["favourite"], exact=True)).to_have_count(0)
    coupon = page.locator(f"[data-campaign='{campaign}']")
    expect(coupon).to_contain_text("咖啡立减")
    expect(coupon.locator("[data-reason]")).to_have_text(words["coupon"])
    expect(page.locator("[data-not-personalised]")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH["width"]
    found = violations(page, axe_source)
    assert not found, report(found)
    shot(f"app-for-you-{lang}")
