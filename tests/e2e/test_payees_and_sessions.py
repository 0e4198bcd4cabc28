"""In Chromium on a 375 px phone, as a person would: save a friend as a payee on a transfer's
confirmation (typing their card number and name once), pay them again by picking the saved payee,
delete it; and sign out everywhere, after which the other device's login no longer works and a new
sign-in does. Each step is photographed; the pages pass axe."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from tests.accounts.support import Bank
from tests.e2e.conftest import LiveServer
from tests.e2e.support import sign_in
from tests.e2e.test_accessibility import AXE, report, violations
from tests.factories import PASSWORD, headers
from tests.factories import sign_in as sign_in_by_api
from tests.payments.support import payer

pytestmark = pytest.mark.browser

Shot = Callable[[str], Path]


def _fits_and_passes_axe(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{page.url} is {width}px wide"
    if AXE.is_file():  # test_accessibility says loudly when axe-core is missing
        found = violations(page, AXE.read_text(encoding="utf-8"))
        assert not found, f"axe on {page.url}:\n{report(found)}"


def _me(page: Page, link: str) -> None:
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的").click()
    page.get_by_role("link", name=link).first.click()


def test_save_a_payee_on_the_confirmation_pay_them_again_by_name_and_delete_them(
    phone_page: Page, api: TestClient, live_server: LiveServer, shot: Shot
) -> None:
    bank = Bank(api, live_server.db, live_server.settings)
    me, friend = payer(bank, 100_000), payer(bank, 0)
    printed_card = " ".join(friend.pan[i : i + 4] for i in range(0, len(friend.pan), 4))
    saved_as = f"{'*' * (len(friend.person.name) - 1)}{friend.person.name[-1]} · 尾号 {friend.pan[-4:]}"

    page = phone_page
    sign_in(page, "app", me.person.phone, PASSWORD)
    page.goto("/app/transfer")
    page.get_by_label("收款账号或卡号").fill(printed_card)
    page.get_by_label("收款人姓名").fill(friend.person.name)
    page.get_by_label("金额（元）").fill("20")
    page.get_by_role("button", name="下一步").click()
    page.get_by_label("保存收款人，下次直接选择").check()
    shot("confirm-with-save-payee")
    page.get_by_role("button", name="确认转账").click()
    expect(page.get_by_role("status")).to_contain_text("转账成功")

    page.goto("/app/transfer")
    expect(page.get_by_label("转给已存收款人")).to_be_checked()  # the saved ones come first
    page.get_by_label("已存收款人", exact=True).select_option(label=saved_as)
    page.get_by_label("金额（元）").fill("30")
    _fits_and_passes_axe(page)
    shot("transfer-to-saved-payee")
    page.get_by_role("button", name="下一步").click()
    expect(page.locator("[data-payee]")).to_have_text(saved_as)
    expect(page.get_by_label("保存收款人，下次直接选择")).to_have_count(0)  # already saved
    page.get_by_role("button", name="确认转账").click()
    expect(page.get_by_role("status")).to_contain_text("转账成功")
    expect(page.locator("[data-counterparty]")).to_have_text(friend.person.name)
    shot("paid-saved-payee")
    assert bank.balance(friend.account_id) == 5_000

    page.goto("/app/transfer")
    page.get_by_role("link", name="管理收款人").click()
    payee = page.locator("[data-payee]").filter(has_text=saved_as)
    expect(payee).to_be_visible()
    _fits_and_passes_axe(page)
    shot("saved-payees")
    payee.get_by_role("button", name="删除").click()
    expect(page.get_by_role("status")).to_contain_text("已删除收款人")
    expect(page.get_by_text("还没有收款人")).to_be_visible()
    shot("payee-deleted")


def test_sign_out_everywhere_ends_the_other_devices_login_and_a_new_sign_in_works(
    phone_page: Page, api: TestClient, live_server: LiveServer, shot: Shot
) -> None:
    person = Bank(api, live_server.db, live_server.settings).customer()
    other_device = sign_in_by_api(api, username=person.phone, channel="mobile")
    assert api.get("/v1/me", headers=headers(other_device)).status_code == 200

    page = phone_page
    sign_in(page, "app", person.phone, PASSWORD)
    _me(page, "退出所有设备")
    expect(page.get_by_text("包括这一台")).to_be_visible()
    _fits_and_passes_axe(page)
    shot("sign-out-everywhere")
    page.get_by_role("button", name="确认退出所有设备").click()
    expect(page.get_by_role("status")).to_contain_text("已退出所有设备，请重新登录")
    shot("signed-out-everywhere")
    # ``api`` is another node on the same database: it refuses the old logins once its memory of
    # the login's generation runs out (``session_check_seconds``), not later.
    deadline = time.monotonic() + live_server.settings.session_check_seconds + 1
    while api.get("/v1/me", headers=headers(other_device)).status_code != 401:
        assert time.monotonic() < deadline, "another node still takes a login signed out everywhere"
        time.sleep(0.2)
    assert api.get("/v1/me", headers=headers(person.token)).status_code == 401

    sign_in(page, "app", person.phone, PASSWORD)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的").click()
    expect(page.get_by_role("link", name="退出所有设备")).to_be_visible()
    shot("signed-in-again")
