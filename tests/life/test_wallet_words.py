"""Coupons in the wallet say where they can be used (the stores by name, or the merchant's stores),
and a percent-off coupon reads 88折 in Chinese and "12% off" in English, never "12% 折扣"."""

from __future__ import annotations

from fastapi.testclient import TestClient

from finlife.kit.auth import TOKEN_COOKIE
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.accounts.support import Bank
from tests.life.campaigns import claim, live_campaign
from tests.life.support import PEOPLES_SQUARE, shop


def _phone(client: TestClient, token: str, lang: str = "zh-CN") -> TestClient:
    visitor = TestClient(client.app, follow_redirects=False)
    visitor.cookies.set(TOKEN_COOKIE, token)
    visitor.cookies.set("lang", lang)
    return visitor


def test_the_wallet_names_the_store_and_reads_percent_off_as_people_say_it(
    client: TestClient, db: Database, settings: Settings, bank: Bank
) -> None:
    till = shop(client, db, settings, at=PEOPLES_SQUARE, name="静安寺面馆")
    one_store = live_campaign(
        client, till, name="八八折", kind="percent", value=12, cap=2_000, store_ids=[till.store_id]
    )
    nine = live_campaign(client, till, name="九折", kind="percent", value=10, cap=1_000)
    person = bank.customer()
    for campaign_id in (one_store, nine):
        assert claim(client, person.token, campaign_id).status_code == 201
    zh = _phone(client, person.token).get("/app/coupons").text
    assert "88折，最高减 ¥20.00" in zh and "9折，最高减 ¥10.00" in zh and "% 折扣" not in zh
    assert "适用门店：静安寺面馆" in zh
    assert "适用商户：" in zh  # the other: every store of its merchant
    en = _phone(client, person.token, "en").get("/app/coupons").text
    assert "12% off, up to ¥20.00" in en and "At 静安寺面馆" in en


def test_a_store_page_does_not_offer_what_the_customer_can_no_longer_claim(
    client: TestClient, db: Database, settings: Settings, bank: Bank
) -> None:
    till = shop(client, db, settings, at=PEOPLES_SQUARE, name="静安寺茶饮")
    once = live_campaign(client, till, name="限领一张", per_customer_limit=1)
    twice = live_campaign(client, till, name="限领两张", per_customer_limit=2)
    person = bank.customer()
    assert claim(client, person.token, once).status_code == 201
    assert claim(client, person.token, twice).status_code == 201
    page = _phone(client, person.token).get(f"/app/life/stores/{till.store_id}").text
    assert f'action="/app/life/campaigns/{once}/claim"' not in page
    assert "您已领取（每人限 1 张）" in page
    assert f'action="/app/life/campaigns/{twice}/claim"' in page  # one more may still be claimed
    other = bank.customer()
    fresh = _phone(client, other.token).get(f"/app/life/stores/{till.store_id}").text
    assert f'action="/app/life/campaigns/{once}/claim"' in fresh and "您已领取" not in fresh
