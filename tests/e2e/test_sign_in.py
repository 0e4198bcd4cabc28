"""The three web apps in Chromium: sign-in redirects, refusals in both languages, admin and customer."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ADMIN_PASSWORD

pytestmark = pytest.mark.browser

Shot = Callable[[str], Path]


@pytest.mark.parametrize("app", ["app", "merchant", "bank"])
def test_each_app_sends_a_visitor_to_its_own_sign_in(page: Page, shot: Shot, app: str) -> None:
    page.goto(f"/{app}")
    expect(page).to_have_url(re.compile(rf"/{app}/login\?next=%2F{app}$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", level=1)).to_contain_text("登录")
    expect(page.get_by_label("密码", exact=True)).to_be_visible()
    shot(f"{app}-sign-in")


def test_a_wrong_password_is_explained_in_chinese_then_in_english(page: Page, shot: Shot) -> None:
    page.goto("/bank/login")
    page.get_by_label("用户名").fill("admin")
    page.get_by_label("密码", exact=True).fill("not-the-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_have_text("用户名或密码错误")
    expect(page.get_by_label("用户名")).to_have_value("admin")
    shot("wrong-password-zh")

    page.get_by_role("link", name="EN").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/bank/login$"))
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password", exact=True).fill("still-not-it")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Wrong username or password")
    shot("wrong-password-en")


def test_the_bank_admin_signs_in_to_the_console_and_out_again(page: Page, shot: Shot) -> None:
    page.goto("/bank")
    page.get_by_label("用户名").fill("admin")
    page.get_by_label("密码", exact=True).fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/bank$"))
    expect(page.get_by_role("heading", name="您好，admin")).to_be_visible()
    expect(page.get_by_role("navigation", name="主导航").get_by_role("link", name="概览")).to_have_attribute(
        "aria-current", "page"
    )
    shot("bank-home")

    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url(re.compile(r"/bank/login$"))
    expect(page.get_by_role("status")).to_contain_text("您已安全退出")
    page.goto("/bank")
    expect(page).to_have_url(re.compile(r"/bank/login\?next="))


def test_a_customer_signs_up_and_signs_in_on_a_phone(phone_page: Page, shot: Shot) -> None:
    page = phone_page
    page.goto("/app")
    page.get_by_role("link", name="立即注册").click()
    expect(page).to_have_url(re.compile(r"/app/signup$"))
    shot("signup-form")

    page.get_by_label("姓名").fill("王小明")
    page.get_by_label("手机号").fill("13800138000")
    page.get_by_label("密码", exact=True).fill("short")
    page.get_by_role("button", name="同意协议并注册").click()
    expect(page.locator("#f-password-error")).to_have_text("密码至少需要8位")
    shot("signup-weak-password")

    page.get_by_label("密码", exact=True).fill("a-good-password-1")
    page.get_by_role("button", name="同意协议并注册").click()
    expect(page).to_have_url(re.compile(r"/app/login\?username=13800138000$"))
    expect(page.get_by_role("status")).to_contain_text("注册成功，请登录")
    expect(page.get_by_label("手机号")).to_have_value("13800138000")
    shot("signed-up")

    page.get_by_label("密码", exact=True).fill("a-good-password-1")
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/app$"))
    expect(page.get_by_text("您好，王小明")).to_be_visible()
    expect(page.get_by_text("已注册")).to_be_visible()
    # Mobile first: nothing sticks out sideways on a 375 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot("app-home")

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的").click()
    expect(page).to_have_url(re.compile(r"/app/me$"))
    expect(page.get_by_text("138****8000").first).to_be_visible()
    shot("app-me")

    # The customer's session is the Life app's (channel mobile): the bank's console, bound to the
    # branch, asks for its own sign-in instead of an error (and never a JSON one).
    page.goto("/bank")
    expect(page).to_have_url(re.compile(r"/bank/login\?next=%2Fbank$"))
    expect(page.get_by_role("heading", name="登录银行工作台")).to_be_visible()
    shot("bank-sign-in-for-a-customer")
