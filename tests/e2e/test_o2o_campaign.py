"""The marketing loop in Chromium: a merchant draws up a campaign the branch co-funds and submits it; a
bank marketing officer approves it; a customer on a 375 px phone finds the store nearby, claims the
coupon and sees it in the wallet. Then the error people meet: the last coupon went while another
customer looked at the store, and the tap shows the catalogue's message.

The shop, the customers and the officer's login are set up through the API and the services against
the live server's database; everything the merchant, the officer and the customers do goes through
the pages.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, BrowserContext, Page, expect

from finlife.app import create_app
from finlife.kit.auth import Role
from tests.accounts.support import Bank, Person
from tests.cashier.support import Till, add_terminal, goods
from tests.catalog.support import variation
from tests.e2e.conftest import PHONE_WIDTH, LiveServer
from tests.e2e.support import sign_in
from tests.factories import PASSWORD, add_store, approved_merchant, headers, make_user

pytestmark = pytest.mark.browser

Shot = Callable[[str], Path]
Snap = Callable[[Page, str], None]
DESKTOP = {"width": 1280, "height": 900}
STORE = "南京东路面馆"
CAMPAIGN = "开业立减5元"


@pytest.fixture
def api(live_server: LiveServer) -> Iterator[TestClient]:
    with TestClient(create_app(live_server.settings, check_schema=False)) as client:
        yield client


@pytest.fixture
def snap(screenshots: Path, request: pytest.FixtureRequest) -> Snap:
    """A whole-page picture of another browser context's page (a phone, the bank) into this test's folder."""
    folder = screenshots / re.sub(r"[^\w.-]+", "_", request.node.name)

    def take(other: Page, step: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        # As ``shot`` does: the viewport stretched to the page, so fixed bars sit where people see them.
        size = other.viewport_size
        assert size is not None
        height = other.evaluate("document.documentElement.scrollHeight")
        other.set_viewport_size({"width": size["width"], "height": max(height, size["height"])})
        try:
            other.screenshot(path=str(folder / f"{step}.png"), full_page=True)
        finally:
            other.set_viewport_size(size)

    return take


def _shop(api: TestClient, live_server: LiveServer) -> str:
    """A noodle shop a few hundred metres from People's Square, with two dishes; the owner's login."""
    logins = approved_merchant(
        api, live_server.db, live_server.settings, legal_name="上海南京东路面馆有限公司"
    )
    store_id = add_store(
        api,
        logins.owner,
        logins.merchant_id,
        name=STORE,
        district="黄浦区",
        address="上海市黄浦区南京东路100号",
        latitude="31.235000",
        longitude="121.478000",
        opening_hours="00:00-24:00",
    )
    till = Till(logins.merchant_id, logins.owner, "", store_id, add_terminal(api, logins.owner, store_id))
    goods(api, till, variation(name="大碗", price=2_200), name="葱油拌面")
    return logins.owner_username


def _phone(browser: Browser, live_server: LiveServer, person: Person) -> tuple[BrowserContext, Page]:
    # The phone stands at the noodle shop's door, and lets the app read its position.
    context = browser.new_context(
        base_url=live_server.url,
        viewport=PHONE_WIDTH,
        geolocation={"latitude": 31.235, "longitude": 121.478},
        permissions=["geolocation"],
    )
    phone = context.new_page()
    phone.emulate_media(reduced_motion="reduce")
    sign_in(phone, "app", person.phone, PASSWORD)
    return context, phone


def _fits_the_phone(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH["width"]


def _merchant_submits_a_campaign(page: Page, owner: str, shot: Shot) -> str:
    page.set_viewport_size(DESKTOP)
    sign_in(page, "merchant", owner, PASSWORD)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="营销活动").click()
    expect(page.get_by_text("还没有营销活动")).to_be_visible()
    page.get_by_role("link", name="新建活动").first.click()
    page.get_by_label("活动名称").fill(CAMPAIGN)
    page.get_by_label("券种").select_option("fixed")
    page.get_by_label("优惠额度").fill("5")
    page.get_by_label("商户出资（%）").fill("50")
    page.get_by_label("分行出资（%）").fill("40")
    page.get_by_label("商户预算（元）").fill("500")
    page.get_by_label("分行预算（元）").fill("500")
    page.get_by_label("发行数量（张）").fill("2")
    page.get_by_label("领取后有效天数").fill("30")
    page.get_by_role("button", name="保存草稿").click()
    # The shares add up to 90 %: the service refuses, the form keeps what was typed.
    expect(page.locator("#f-funding-error")).to_have_text("商户、分行、总行的出资比例之和须为 100%")
    expect(page.get_by_label("活动名称")).to_have_value(CAMPAIGN)
    shot("merchant-campaign-refused")
    page.get_by_label("分行出资（%）").fill("50")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_role("status")).to_contain_text("活动草稿已保存")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("status")).to_contain_text("活动已提交")
    expect(page.locator(".entity-head [data-status]")).to_have_text("待审批")
    shot("merchant-campaign-submitted")
    match = re.search(r"/merchant/campaigns/(cmp_\w+)$", page.url)
    assert match, page.url
    return match.group(1)


def _officer_approves(browser: Browser, live_server: LiveServer, officer: str, snap: Snap) -> None:
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    bank = context.new_page()
    bank.emulate_media(reduced_motion="reduce")
    sign_in(bank, "bank", officer, PASSWORD)
    bank.get_by_role("navigation", name="主导航").get_by_role("link", name="营销活动").click()
    bank.get_by_role("link", name=CAMPAIGN).click()
    expect(bank.get_by_text("银行出资的活动须由创建人以外的营销人员审批").first).to_be_visible()
    bank.get_by_role("button", name="批准").click()
    expect(bank.get_by_role("status")).to_contain_text("活动已批准")
    expect(bank.locator(".entity-head [data-status]")).to_have_text("进行中")
    snap(bank, "bank-approved")
    bank.get_by_role("link", name="营销活动").first.click()
    bank.get_by_role("link", name="全部活动").click()
    expect(bank.locator("[data-budgets]")).to_contain_text("已用 ¥0.00，预算 ¥500.00")
    context.close()


def test_a_campaign_goes_from_the_merchant_through_the_bank_to_a_customer(
    page: Page, browser: Browser, api: TestClient, live_server: LiveServer, shot: Shot, snap: Snap
) -> None:
    owner = _shop(api, live_server)
    officer = make_user(live_server.db, live_server.settings, roles=(Role.BRANCH_MARKETING,))
    bank = Bank(api, live_server.db, live_server.settings)
    customer, late, quick = bank.customer(), bank.customer(), bank.customer()

    campaign_id = _merchant_submits_a_campaign(page, owner, shot)
    _officer_approves(browser, live_server, officer, snap)

    # The customer finds the store nearby (no position given: measured from the city centre).
    context, phone = _phone(browser, live_server, customer)
    phone.get_by_role("navigation", name="主导航").get_by_role("link", name="生活").click()
    expect(phone).to_have_url(re.compile(r"/app/life$"))
    place = phone.locator(".place").filter(has_text=STORE)
    expect(place.locator(".place__distance")).to_have_text(re.compile(r"^\d+ 米$"))
    expect(place).to_contain_text("1 张券")
    _fits_the_phone(phone)
    snap(phone, "app-nearby")
    phone.get_by_role("button", name="使用我的位置").click()
    expect(phone).to_have_url(re.compile(r"/app/life\?lat=31\.235000&lng=121\.478000"))
    expect(phone.get_by_text("按与您的距离排序")).to_be_visible()
    expect(place.locator(".place__distance")).to_have_text("0 米")
    place.click()
    coupon = phone.locator(f'[data-campaign="{campaign_id}"]')
    expect(coupon).to_contain_text("立减 ¥5.00")
    expect(phone.get_by_text("葱油拌面")).to_be_visible()
    _fits_the_phone(phone)
    snap(phone, "app-store")
    coupon.get_by_role("button", name="免费领取").click()
    # The claim ends on the coupon's own page; the wallet is one tap away.
    expect(phone).to_have_url(re.compile(r"/app/coupons/\w+$"))
    expect(phone.get_by_role("status")).to_contain_text("领取成功")
    phone.locator("#main").get_by_role("link", name="我的券").click()
    expect(phone).to_have_url(re.compile(r"/app/coupons$"))
    expect(phone.locator(".wallet-coupon__code")).to_have_text(re.compile(r"^\w{4} \w{4} \w{4}$"))
    expect(phone.locator(".wallet-coupon__qr svg")).to_be_visible()
    _fits_the_phone(phone)
    snap(phone, "app-wallet")
    context.close()

    # Another customer opens the store while one coupon is left; someone else takes it first.
    context, phone = _phone(browser, live_server, late)
    phone.goto("/app/life")
    phone.locator(".place").filter(has_text=STORE).click()
    claim = api.post(
        f"/v1/life/campaigns/{campaign_id}/claim",
        json={},
        headers=headers(quick.token, channel="mobile", **{"Idempotency-Key": str(uuid.uuid4())}),
    )
    assert claim.status_code == 201, claim.text
    phone.locator(f'[data-campaign="{campaign_id}"]').get_by_role("button", name="免费领取").click()
    expect(phone.get_by_role("alert")).to_have_text("券已领完")
    expect(phone.get_by_text("本店暂时没有可领的券")).to_be_visible()
    snap(phone, "app-out-of-stock")
    context.close()
